import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {renderTrust} from '../../../src/cli/views/registry.js'
import {registryTrust, type TrustResult} from '../../../src/ops/registry-trust.js'

export default class RegistryTrust extends PacksCommand {
  static override summary = 'Show and change which keys are trusted to sign each registry.'
  static override description =
    'Keys listed inside a registry index are never trusted by themselves. Trusted keys come from $GGEN_HOME/config.json `registry_keys` (optionally per registry), GGEN_MARKETPLACE_PUBLIC_KEY, or are pinned the first time a signed registry is used ($GGEN_HOME/trust.json). A registry whose key changes is refused until you accept the new key here. No prompt: CI can run it.'
  static override flags = {
    list: Flags.boolean({summary: 'List trusted keys (the default).', exclusive: ['accept', 'remove']}),
    accept: Flags.string({summary: 'Trust a key the registry at URL now lists (needs --key).', helpValue: 'URL', exclusive: ['remove'], dependsOn: ['key']}),
    remove: Flags.string({summary: 'Remove pinned keys of the registry at URL (all, or --key).', helpValue: 'URL'}),
    key: Flags.string({summary: 'Key id (as printed by --list or in a refusal).', helpValue: 'KEYID'}),
    offline: Flags.boolean({summary: 'Read the registry index from the cache only.'}),
  }
  static override examples = [
    '<%= config.bin %> packs registry trust --list',
    '<%= config.bin %> packs registry trust --accept https://gpacks.example.com/ --key Xy12AbCdEf34GhIj',
    '<%= config.bin %> packs registry trust --remove /mnt/share/registry',
  ]

  async run(): Promise<TrustResult> {
    const {flags} = await this.parse(RegistryTrust)
    const r = await registryTrust(contextFor(this, {offline: flags.offline}), {accept: flags.accept, remove: flags.remove, key: flags.key})
    this.out(renderTrust(r))
    return r
  }
}
