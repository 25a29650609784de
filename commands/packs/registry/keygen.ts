import {Args} from '@oclif/core'
import {PacksCommand} from '../../../src/cli/base-command.js'
import {renderKeygen} from '../../../src/cli/views/registry.js'
import {writeKeyPair, type KeygenResult} from '../../../src/security/signing.js'

export default class RegistryKeygen extends PacksCommand {
  static override summary = 'Create an Ed25519 key pair for signing a registry.'
  static override args = {file: Args.string({description: 'where to write the private key (PEM)', required: true})}
  static override examples = ['<%= config.bin %> packs registry keygen team-key.pem']

  async run(): Promise<KeygenResult> {
    const {args} = await this.parse(RegistryKeygen)
    const k = writeKeyPair(args.file)
    const r = {private_key_file: args.file, public_key: k.publicBase64}
    this.out(renderKeygen(r))
    return r
  }
}
