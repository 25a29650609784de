import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {renderDeprecate} from '../../src/cli/views/deprecate.js'
import {deprecate, type DeprecateResult} from '../../src/ops/deprecate.js'

export default class Deprecate extends PacksCommand {
  static override summary = 'Deprecate or yank versions of a package (or take it back with --undo).'
  static override description =
    'Marks every version of ID that RANGE matches (default: all). With --registry naming a directory registry you can write, the mark goes into its index.json (under the registry build lock); otherwise into the local overlay $GGEN_HOME/overlay/deprecations.json, which applies on top of every registry and which `graph sync` shares with the team. list, info, search and verify show the mark; install warns about deprecated versions (naming the replacement) and skips yanked ones unless a lockfile already pins them. Each mark records who and when, and is audited (deprecate, yank, deprecate-undo, yank-undo).'
  static override args = {package: Args.string({description: 'package id, optionally @range (default: every version)', required: true})}
  static override flags = {
    message: Flags.string({char: 'm', summary: 'Why, and what users should do (required to deprecate; the reason of a yank).', helpValue: 'TEXT'}),
    replacement: Flags.string({summary: 'The package users should move to (install names it).', helpValue: 'ID', exclusive: ['yank', 'undo']}),
    yank: Flags.boolean({summary: 'Yank instead: new installs skip these versions; existing lockfiles keep them.'}),
    undo: Flags.boolean({summary: 'Take back a deprecation (or, with --yank, a yank) of the same ID@RANGE.'}),
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs deprecate io.ggen.web@<2 --message "use 2.x" --replacement io.ggen.web2',
    '<%= config.bin %> packs deprecate io.ggen.web@1.0.3 --yank --message "broken template"',
    '<%= config.bin %> packs deprecate io.ggen.web@1.0.3 --yank --undo',
    '<%= config.bin %> packs deprecate io.ggen.web --message "unmaintained" --registry ./registry',
  ]

  async run(): Promise<DeprecateResult> {
    const {args, flags} = await this.parse(Deprecate)
    const target = flags.registry?.[0]
    const r = await deprecate(contextFor(this, flags), {spec: args.package, yank: flags.yank, undo: flags.undo, message: flags.message, replacement: flags.replacement, registry: target})
    this.out(renderDeprecate(r))
    return r
  }
}
