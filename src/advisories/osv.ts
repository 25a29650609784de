/**
 * The OSV record (schema 1.7, https://ossf.github.io/osv-schema/) as a zod schema, written from
 * the spec: what the advisory reader accepts. It refuses what the official JSON Schema refuses
 * (test/unit/advisories/osv-schema.test.ts checks both ways on real and fixture records), with the
 * relaxations the issue asks for:
 *   - any id prefix (the official pattern lists only known home databases), and
 *   - any ecosystem name, `ggen` included (the official pattern lists only known ecosystems;
 *     OSV adds ecosystems over time and records of ecosystems we do not match are harmless).
 * Unknown keys inside objects are allowed (as the official schema allows them); only the record's
 * top level is closed.
 */
import {z} from 'zod'

/** RFC 3339 in UTC with a `Z` (the spec's timestamp) */
const TIMESTAMP_MESSAGE = 'expected an RFC 3339 timestamp in UTC with seconds (2024-01-31T12:00:00Z)'
const timestamp = z.iso.datetime({message: TIMESTAMP_MESSAGE}).regex(/T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, TIMESTAMP_MESSAGE)

/** a JSON object (the spec's free-form `database_specific` / `ecosystem_specific`) */
const freeObject = z.record(z.string(), z.unknown())

/** a string list that may also be null in the spec */
const nullableStrings = z.array(z.string()).nullable()

const GIT_HASH = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/
const UBUNTU_PRIORITIES = ['negligible', 'low', 'medium', 'high', 'critical'] as const

/** a CVSS vector's shape by OSV severity type: the prefix, then `METRIC:VALUE` parts separated by `/` */
const CVSS_SHAPE: Record<string, RegExp> = {
  CVSS_V2: /^[A-Za-z]+:[A-Za-z]+(\/[A-Za-z]+:[A-Za-z]+)*$/,
  CVSS_V3: /^CVSS:3\.[01](\/[A-Z]+:[A-Z])+$/,
  CVSS_V4: /^CVSS:4\.0(\/[A-Z]+:[A-Za-z]+)+$/,
}

const severityEntry = z
  .looseObject({type: z.enum(['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu']), score: z.string()})
  .superRefine((s, ctx) => {
    const shape = CVSS_SHAPE[s.type]
    if (shape && !shape.test(s.score)) ctx.addIssue({code: 'custom', path: ['score'], message: `not a ${s.type} vector`})
    if (s.type === 'Ubuntu' && !(UBUNTU_PRIORITIES as readonly string[]).includes(s.score)) ctx.addIssue({code: 'custom', path: ['score'], message: `expected one of ${UBUNTU_PRIORITIES.join(', ')}`})
  })
const severityList = z.array(severityEntry).nullable()

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

/** one event: exactly one of introduced, fixed, last_affected, limit (a string) */
const event = z.looseObject({}).superRefine((e, ctx) => {
  const kinds = EVENT_KINDS.filter((k) => k in e)
  if (kinds.length !== 1) ctx.addIssue({code: 'custom', message: `an event holds exactly one of ${EVENT_KINDS.join(', ')} (found ${kinds.length ? kinds.join(', ') : 'none'})`})
  for (const k of kinds) if (typeof e[k] !== 'string') ctx.addIssue({code: 'custom', path: [k], message: 'expected a string'})
})

const range = z
  .looseObject({type: z.enum(['GIT', 'SEMVER', 'ECOSYSTEM']), repo: z.string().optional(), events: z.array(event).min(1), database_specific: freeObject.optional()})
  .superRefine((r, ctx) => {
    const has = (k: EventKind) => r.events.some((e) => k in e)
    if (!has('introduced')) ctx.addIssue({code: 'custom', path: ['events'], message: 'events must contain an introduced event'})
    if (has('last_affected') && has('fixed')) ctx.addIssue({code: 'custom', path: ['events'], message: 'last_affected and fixed events are mutually exclusive'})
    if (r.type !== 'GIT') return
    if (r.repo === undefined) ctx.addIssue({code: 'custom', path: ['repo'], message: 'GIT ranges require a repo'})
    r.events.forEach((e, i) => {
      for (const k of EVENT_KINDS) if (typeof e[k] === 'string' && !GIT_HASH.test(e[k] as string)) ctx.addIssue({code: 'custom', path: ['events', i, k], message: 'GIT ranges use full-length commit hashes'})
    })
  })

const affected = z.looseObject({
  package: z.looseObject({ecosystem: z.string().regex(/^[^:]+(:.+)?$/, 'expected an ecosystem name (optionally `:suffix`)'), name: z.string(), purl: z.string().optional()}).optional(),
  severity: severityList.optional(),
  ranges: z.array(range).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: freeObject.optional(),
  database_specific: freeObject.optional(),
})

const REFERENCE_TYPES = ['ADVISORY', 'ARTICLE', 'DETECTION', 'DISCUSSION', 'REPORT', 'FIX', 'INTRODUCED', 'GIT', 'PACKAGE', 'EVIDENCE', 'WEB'] as const
/** an absolute URI: a scheme, then no whitespace (RFC 3986) */
const uri = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/, 'expected an absolute URI')

const CREDIT_TYPES = ['FINDER', 'REPORTER', 'ANALYST', 'COORDINATOR', 'REMEDIATION_DEVELOPER', 'REMEDIATION_REVIEWER', 'REMEDIATION_VERIFIER', 'TOOL', 'SPONSOR', 'OTHER'] as const

export const osvRecordSchema = z
  .strictObject({
    schema_version: z.string().optional(),
    id: z.string().min(1),
    modified: timestamp,
    published: timestamp.optional(),
    withdrawn: timestamp.optional(),
    aliases: nullableStrings.optional(),
    related: z.array(z.string()).optional(),
    upstream: z.array(z.string()).optional(),
    summary: z.string().optional(),
    details: z.string().optional(),
    severity: severityList.optional(),
    affected: z.array(affected).nullable().optional(),
    references: z.array(z.looseObject({type: z.enum(REFERENCE_TYPES), url: uri})).nullable().optional(),
    credits: z.array(z.looseObject({name: z.string(), contact: z.array(z.string()).optional(), type: z.enum(CREDIT_TYPES).optional()})).optional(),
    database_specific: freeObject.optional(),
  })
  .superRefine((r, ctx) => {
    // a record-level severity excludes per-package ones
    if (!r.severity) return
    r.affected?.forEach((a, i) => {
      if (a.severity !== undefined && a.severity !== null) ctx.addIssue({code: 'custom', path: ['affected', i, 'severity'], message: 'a record with a top-level severity cannot give one per package'})
    })
  })

export type OsvRecord = z.infer<typeof osvRecordSchema>
export type OsvAffected = z.infer<typeof affected>

/** a JSON pointer (RFC 6901) for a zod issue path: `/affected/0/ranges/1/events` */
export const jsonPointer = (path: readonly PropertyKey[]): string => (path.length === 0 ? '/' : path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''))

export type RecordCheck = {ok: true; record: OsvRecord} | {ok: false; field: string; message: string}

/** validate one parsed record: the record, or the first problem's JSON pointer and message */
export function checkRecord(raw: unknown): RecordCheck {
  const r = osvRecordSchema.safeParse(raw)
  if (r.success) return {ok: true, record: r.data}
  const issue = r.error.issues[0]!
  return {ok: false, field: jsonPointer(issue.path), message: issue.message}
}
