/** the registry commands for people: build summary, new key, trusted keys */
import type {TrustResult} from '../../ops/registry-trust.js'
import type {BuildResult} from '../../registry/build.js'
import {count} from '../../util/text.js'
import {table} from '../render.js'

export function renderBuild(r: BuildResult): string {
  return `${r.out}: ${count(r.packages, 'package')}, ${count(r.versions, 'version')} (${r.added.length} added, ${r.unchanged} unchanged)${r.signed ? ', signed' : ''}`
}

export function renderKeygen(r: {private_key_file: string; public_key: string}): string {
  return `private key: ${r.private_key_file}\npublic key (share it; registries built with this key carry it): ${r.public_key}`
}

export function renderTrust(r: TrustResult): string {
  if (r.action === 'accept') return `now trusting key ${r.accepted!.keyid} for ${r.registry}`
  if (r.action === 'remove') return `removed ${count(r.removed ?? 0, 'pinned key')} of ${r.registry}`
  if (r.keys.length === 0) return 'No trusted keys: registries are used unsigned (set require_signatures to refuse them).'
  return table(['REGISTRY', 'SOURCE', 'KEY ID', 'SINCE'], r.keys.map((k) => [k.registry, k.source === 'pinned' ? `pinned (${k.how})` : k.source, k.keyid, k.pinned_at?.slice(0, 19) ?? '']))
}
