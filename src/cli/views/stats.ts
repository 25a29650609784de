/** `packs stats` for people and spreadsheets: the report, its CSV sections and YAML */
import type {MachineTotals, StatsResult, StatsTotals} from '../../core/stats.js'
import type {MaintenanceReport} from '../../core/stats-maintainer.js'
import type {Timeline, TimelinePeriod} from '../../core/stats-timeline.js'
import {count, some, someLines} from '../../util/text.js'
import {bar, sparkline} from '../chart.js'
import {ago, bytes, color, csv, table, yaml} from '../render.js'

export const STATS_FORMATS = ['table', 'json', 'yaml', 'csv'] as const
export type StatsFormat = (typeof STATS_FORMATS)[number]

/** what one CSV holds: adoption (the default), machines, timeline, unused or maintainer */
export const STATS_SECTIONS = ['adoption', 'machines', 'timeline', 'unused', 'maintainer'] as const
export type StatsSection = (typeof STATS_SECTIONS)[number]

const pct = (share: number) => `${Math.round(share * 100)}%`
const LIST_MAX = 10
const BAR_WIDTH = 30

const CSV: {[S in StatsSection]: (r: StatsResult) => {headers: string[]; rows: (string | number | boolean | null)[][]}} = {
  adoption: (r) => ({
    headers: ['id', 'version', 'projects', 'share', 'newest', 'newest_share', 'outdated_share', 'drift', 'deprecated', 'yanked'],
    rows: r.adoption.flatMap((p) => p.versions.map((v) => [p.id, v.version, v.projects, v.share, p.newest, p.newest_share, p.outdated_share, p.drift, v.deprecated, v.yanked])),
  }),
  machines: (r) => ({
    headers: ['machine', 'projects', 'packages', 'versions', 'locks', 'store_entries', 'store_bytes', 'copied_bytes', 'saved_bytes', 'store_basis'],
    rows: r.machines.map((m) => [m.machine, m.projects, m.packages, m.versions, m.locks, m.store_entries, m.store_bytes, m.copied_bytes, m.saved_bytes, m.store_basis]),
  }),
  timeline: (r) => {
    const versions = [...new Set((r.timeline?.periods ?? []).flatMap((p) => (p.versions ?? []).map((v) => v.version)))]
    return {
      headers: ['start', 'installs', 'updates', 'uninstalls', ...versions.map((v) => `on_${v}`)],
      rows: (r.timeline?.periods ?? []).map((p) => [p.start, p.installs, p.updates, p.uninstalls, ...versions.map((v) => p.versions?.find((x) => x.version === v)?.projects ?? 0)]),
    }
  },
  unused: (r) => ({
    headers: ['kind', 'id', 'version', 'bytes', 'last_used', 'path'],
    rows: [
      ...r.unused.store_entries.map((e) => ['store_entry', e.id, e.version, e.size, null, null]),
      ...r.unused.stale_packages.map((p) => ['stale_package', p.id, null, null, p.last_used, null]),
      ...r.unused.empty_projects.map((p) => ['empty_project', null, null, null, null, p.path]),
    ],
  }),
  maintainer: (r) => ({
    headers: ['id', 'version', 'projects', 'newest', 'deprecated', 'yanked', 'lagging'],
    rows: (r.maintainer?.packages ?? []).flatMap((p) => p.versions.map((v) => [p.id, v.version, v.projects.length, p.newest, v.deprecated, v.yanked, p.newest !== null && v.version !== p.newest])),
  }),
}

export function statsCsv(r: StatsResult, section: StatsSection = 'adoption'): string {
  const t = CSV[section](r)
  return csv(t.headers, t.rows)
}

function totalsLine(t: StatsTotals): string[] {
  return [
    `${count(t.projects, 'project')}, ${count(t.packages, 'package')}, ${count(t.versions, 'version')} (${count(t.locks, 'lockfile entry', 'lockfile entries')})`,
    `store: ${count(t.store_entries, 'entry', 'entries')}, ${bytes(t.store_bytes)}; a copy per project would take ${bytes(t.copied_bytes)}: deduplication ${t.saved_bytes >= 0 ? `saves ${bytes(t.saved_bytes)}` : `saves nothing (${bytes(-t.saved_bytes)} more in the store than in use)`}`,
  ]
}

function machinesTable(ms: MachineTotals[]): string {
  return table(
    ['MACHINE', 'PROJECTS', 'PACKAGES', 'VERSIONS', 'STORE', 'COPIES', 'SAVED'],
    ms.map((m) => [m.machine + (m.store_basis === 'locked' ? color.dim(' (store: locked versions)') : ''), m.projects, m.packages, m.versions, bytes(m.store_bytes), bytes(m.copied_bytes), bytes(m.saved_bytes)]),
  )
}

function totalsSection(r: StatsResult): string {
  const head = r.scope === 'team' ? `Totals (team, ${count(r.machines.length, 'machine')})` : 'Totals (this machine)'
  return [color.bold(head), ...totalsLine(r.totals).map((l) => `  ${l}`), ...(r.scope === 'team' ? ['', machinesTable(r.machines).trimEnd()] : [])].join('\n')
}

function adoptionSection(r: StatsResult): string {
  if (r.adoption.length === 0) return `${color.bold('Adoption')}\n  No project locks ${r.package ?? 'any package'}.`
  const rows = r.adoption.map((p) => [
    p.id,
    p.projects,
    some(p.versions.map((v) => `${v.version} (${v.projects})${v.deprecated || v.yanked ? color.yellow('*') : ''}`), 4),
    p.newest ?? '-',
    pct(p.newest_share),
    pct(p.outdated_share),
    p.drift ? color.yellow('yes') : 'no',
  ])
  const marked = r.adoption.some((p) => p.versions.some((v) => v.deprecated || v.yanked))
  return `${color.bold('Adoption')}\n${table(['PACKAGE', 'PROJECTS', 'VERSIONS (PROJECTS)', 'NEWEST', 'ON NEWEST', 'OUTDATED', 'DRIFT'], rows).trimEnd()}${marked ? `\n${color.dim('* deprecated or yanked')}` : ''}`
}

function unusedSection(r: StatsResult): string {
  const u = r.unused
  const lines = [color.bold('Unused')]
  lines.push(`  store entries no project locks: ${u.store_entries.length ? `${count(u.store_entries.length, 'entry', 'entries')}, ${bytes(u.store_bytes)} (\`ggen packs gc\` removes them)` : 'none'}`)
  lines.push(...someLines(u.store_entries.map((e) => `    ${e.id} ${e.version} (${bytes(e.size)})`), LIST_MAX, '    '))
  lines.push(`  packages not used for ${count(u.days, 'day')}: ${u.stale_packages.length ? '' : 'none'}`.trimEnd())
  lines.push(...someLines(u.stale_packages.map((p) => `    ${p.id}: last installed ${ago(p.last_used, Date.parse(r.generated_at))} (${count(p.projects, 'project')})`), LIST_MAX, '    '))
  lines.push(`  projects with nothing locked: ${u.empty_projects.length ? some(u.empty_projects.map((p) => p.path), 5) : 'none'}`)
  return lines.join('\n')
}

const periodLabel = (p: TimelinePeriod, by: Timeline['by']) => (by === 'month' ? p.start.slice(0, 7) : p.start.slice(0, 10))

function timelineSection(t: Timeline): string {
  const totals = t.periods.map((p) => p.installs + p.updates + p.uninstalls)
  const max = Math.max(0, ...totals)
  const head = `${color.bold('Timeline')}${t.package ? ` of ${t.package}` : ''}, ${t.since.slice(0, 10)} to ${t.until.slice(0, 10)} by ${t.by}: ${count(t.totals.installs, 'install')}, ${count(t.totals.updates, 'update')}, ${count(t.totals.uninstalls, 'uninstall')}`
  const versionsText = (p: TimelinePeriod) => (p.versions ? `  ${p.versions.map((v) => `${v.version}:${v.projects}`).join(' ') || '-'}` : '')
  const rows: string[] = []
  for (let i = 0; i < t.periods.length; i++) {
    const p = t.periods[i]!
    const n = totals[i]!
    // a run of quiet periods is one line
    let j = i
    while (n === 0 && j + 1 < t.periods.length && totals[j + 1] === 0) j++
    if (j - i >= 2) {
      rows.push(`  ${periodLabel(p, t.by)} .. ${periodLabel(t.periods[j]!, t.by)}  ${color.dim('no changes')}${versionsText(p)}`)
      i = j
      continue
    }
    const counts = n ? `${n}  (+${p.installs} ~${p.updates} -${p.uninstalls})` : ''
    rows.push(`  ${periodLabel(p, t.by)}  ${bar(n, max, BAR_WIDTH).padEnd(BAR_WIDTH)}  ${counts}${versionsText(p)}`.trimEnd())
  }
  const moves = t.events.filter((e) => e.kind === 'update').map((e) => `    ${e.at.slice(0, 10)} ${e.id} ${e.from} -> ${e.to} (${e.project})`)
  return [
    head,
    `  ${sparkline(totals)}  changes per ${t.by} (+ installs, ~ updates, - uninstalls)${t.package ? '; then projects on each version at the end of the period' : ''}`,
    ...rows,
    ...(moves.length ? ['  updates:', ...someLines(moves, LIST_MAX, '    ')] : []),
  ].join('\n')
}

function maintainerSection(m: MaintenanceReport): string {
  if (m.packages.length === 0) return `${color.bold(`Maintainer ${m.author}`)}\n  No package has an author containing "${m.author}".`
  const lines = [color.bold(`Maintainer ${m.author}: ${count(m.packages.length, 'package')}, ${count(m.lagging, 'project')} behind the newest version`)]
  for (const p of m.packages) {
    lines.push(`  ${p.id} (newest ${p.newest ?? '-'}): ${count(p.dependents, 'project')}${p.dependent_packages.length ? `, required by ${some(p.dependent_packages.map((d) => `${d.id}@${d.version}`), 3)}` : ''}`)
    for (const v of p.versions) {
      const note = v.yanked ? color.red(' yanked') : v.deprecated ? color.yellow(` deprecated: ${v.deprecated}`) : ''
      lines.push(`    ${v.version}: ${some(v.projects.map((x) => x.name), 4)}${note}`)
    }
  }
  if (m.deprecated_in_use.length) lines.push(`  deprecated or yanked versions still in use: ${m.deprecated_in_use.map((d) => `${d.id}@${d.version} (${count(d.projects, 'project')})`).join(', ')}`)
  return lines.join('\n')
}

export function statsTable(r: StatsResult): string {
  const parts = [totalsSection(r), adoptionSection(r), unusedSection(r)]
  if (r.maintainer) parts.push(maintainerSection(r.maintainer))
  if (r.timeline) parts.push(timelineSection(r.timeline))
  return parts.join('\n\n') + '\n'
}

export async function renderStats(r: StatsResult, format: StatsFormat, section?: StatsSection): Promise<string> {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n'
  if (format === 'yaml') return yaml(r)
  if (format === 'csv') return statsCsv(r, section)
  return statsTable(r)
}
