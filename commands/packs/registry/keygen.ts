import {Args} from '@oclif/core'
import {PacksCommand} from '../../../src/cli/base-command.js'
import {writeFileAtomic} from '../../../src/formats/fs.js'
import {generateKeyPair, type KeygenResult} from '../../../src/security/signing.js'
import {existsSync} from 'node:fs'
import {PacksError} from '../../../src/domain/errors.js'

export default class RegistryKeygen extends PacksCommand {
  static override summary = 'Create an Ed25519 key pair for signing a registry.'
  static override args = {file: Args.string({description: 'where to write the private key (PEM)', required: true})}
  static override examples = ['<%= config.bin %> packs registry keygen team-key.pem']

  async run(): Promise<KeygenResult> {
    const {args} = await this.parse(RegistryKeygen)
    if (existsSync(args.file)) throw new PacksError('E_USAGE', `${args.file} already exists; not overwriting a key`, {hint: 'Choose another file name.'})
    const k = generateKeyPair()
    writeFileAtomic(args.file, k.privatePem, {mode: 0o600})
    this.out(`private key: ${args.file}\npublic key (share it; registries built with this key carry it): ${k.publicBase64}`)
    return {private_key_file: args.file, public_key: k.publicBase64}
  }
}
