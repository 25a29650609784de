/** `packs import` for people: where the file went, what was mapped, what was not and why */
import type {ImportProblem} from '../../core/import-map.js'
import type {ImportResult} from '../../ops/import.js'
import {count, some, someLines} from '../../util/text.js'
import {color} from '../render.js'

const label = (e: {id: string; version?: string}) => (e.version ? `${e.id}@${e.version}` : e.id)

function headline(r: ImportResult): string {
  const verb = r.dryRun ? 'would write' : !r.written ? 'unchanged' : r.replaced ? 'replaced' : 'wrote'
  const gen = r.generation !== null ? color.dim(` (history generation ${r.generation}: \`ggen packs undo\` restores the old lockfile)`) : ''
  return `${color.bold(`import ${r.kind}`)} ${r.file} ${color.dim(`(${r.format})`)}\n  ${verb} ${r.target}${gen}`
}

/** notes grouped by reason: one line per reason with the entries, then the first message as an example */
function noteLines(notes: ImportProblem[]): string[] {
  const by = new Map<string, ImportProblem[]>()
  for (const n of notes) by.set(n.reason, [...(by.get(n.reason) ?? []), n])
  return [...by].flatMap(([reason, list]) => [`  ${color.yellow('!')} ${reason} (${list.length}): ${some([...new Set(list.map(label))], 8)}`, color.dim(`      e.g. ${list[0]!.message}`)])
}

export function renderImport(r: ImportResult): string {
  const lines = [headline(r), `  mapped: ${count(r.mapped.length, 'entry', 'entries')}${r.mapped.length ? `: ${some(r.mapped.map(label), 20)}` : ''}`]
  const reqs = Object.entries(r.requirements)
  if (reqs.length) lines.push(`  ggen.toml requirements added: ${reqs.map(([id, range]) => `${id} ${range}`).join(', ')}`)
  lines.push(`  not mapped: ${r.notMapped.length}${r.notMapped.length ? '' : color.green(' (nothing left out)')}`)
  lines.push(...r.notMapped.map((p) => `  ${color.red('x')} ${label(p)}: ${p.reason}: ${p.message} ${color.dim(`(${p.field ?? p.file})`)}`))
  if (r.notes.length) lines.push(`  notes: ${count(r.notes.length, 'note')} on mapped entries (--json lists each with its field)`, ...someLines(noteLines(r.notes), 24, '    '))
  return lines.join('\n')
}
