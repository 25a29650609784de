import {Args} from '@oclif/core'
import {PacksCommand} from '../../../src/cli/base-command.js'
import {renderKeygen} from '../../../src/cli/views/registry.js'
import {writeFileAtomic} from '../../../src/formats/fs.js'
import {generateKeyPair} from '../../../src/security/signing.js'
import {existsSync} from 'node:fs'
import {PacksError} from '../../../src/domain/errors.js'

export interface KeygenResult {
  private_key_file: string
  public_key: string
}

export default class RegistryKeygen extends PacksCommand {
  static override summary = 'Create an Ed25519 key pair for signing a registry.'
  static override args = {file: Args.string({description: 'where to write the private key (PEM)', required: true})}
  static override examples = ['<%= config.bin %> packs registry keygen team-key.pem']

  async run(): Promise<KeygenResult> {
    const {args} = await this.parse(RegistryKeygen)
    if (existsSync(args.file)) throw new PacksError('E_USAGE', `${args.file} already exists; not overwriting a key`, {hint: 'Choose another file name.'})
    const k = generateKeyPair()
    writeFileAtomic(args.file, k.privatePem, {mode: 0o600})
    const r = {private_key_file: args.file, public_key: k.publicBase64}
    this.out(renderKeygen(r))
    return r
  }
}
