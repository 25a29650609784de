/**
 * Driver errors -> PacksError with a hint. Only what a user can fix becomes a PacksError:
 * unreachable server, wrong password, unknown database, a write attempted through `packs query`,
 * a Cypher mistake in `packs query`. Anything else is rethrown (a bug in a statement file).
 */
import {isPacksError, PacksError} from '../../domain/errors.js'
import type {Neo4jSettings} from '../open.js'

const START_HINT = 'Start Neo4j with `npm run neo4j:start` (or `docker compose up -d`), or point GGEN_NEO4J_URI at your team\'s server.'

interface DriverError {
  code?: string
  message?: string
  gqlStatus?: string
}

const codeOf = (e: unknown): string => (e && typeof e === 'object' && typeof (e as DriverError).code === 'string' ? (e as DriverError).code! : '')
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export function isUnreachable(e: unknown): boolean {
  const code = codeOf(e)
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') return true
  return /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|Failed to connect|Could not perform discovery|Connection acquisition timed out/i.test(messageOf(e))
}

export function isAccessModeError(e: unknown): boolean {
  const code = codeOf(e)
  return code === 'Neo.ClientError.Statement.AccessMode' || /(write|writing) .*read access mode|read[- ]only/i.test(messageOf(e))
}

/** map a connection-level failure (connect, any statement) to a PacksError, or return null */
export function connectionError(e: unknown, s: Neo4jSettings): PacksError | null {
  if (isPacksError(e)) return e
  const code = codeOf(e)
  const db = s.database ? ` (database ${s.database})` : ''
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new PacksError('E_NEO4J_AUTH', `Neo4j at ${s.uri} refused user "${s.user}": ${messageOf(e)}`, {
      hint: 'Set GGEN_NEO4J_PASSWORD (and GGEN_NEO4J_USER) to the server\'s credentials, or the neo4j.password field of $GGEN_HOME/config.json. The local server started by `npm run neo4j:start` uses GGEN_NEO4J_PASSWORD (default ggen-packs-local).',
      cause: e,
    })
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new PacksError('E_NEO4J', `Neo4j at ${s.uri} has no database${db}: ${messageOf(e)}`, {
      hint: 'Unset GGEN_NEO4J_DATABASE to use the server\'s default database, or create the database first (Neo4j community has only "neo4j").',
      cause: e,
    })
  }
  if (code === 'Neo.ClientError.Security.Forbidden') {
    return new PacksError('E_NEO4J_AUTH', `Neo4j at ${s.uri} forbids this for user "${s.user}"${db}: ${messageOf(e)}`, {
      hint: 'Use an account allowed to write (GGEN_NEO4J_USER / GGEN_NEO4J_PASSWORD) for `packs graph sync`.',
      cause: e,
    })
  }
  if (isUnreachable(e)) {
    return new PacksError('E_NEO4J', `cannot reach Neo4j at ${s.uri}${db}: ${messageOf(e)}`, {hint: `${START_HINT} Check GGEN_NEO4J_URI.`, cause: e})
  }
  if (/unknown scheme|invalid url|url.*not supported|Illegal URI/i.test(messageOf(e))) {
    return new PacksError('E_NEO4J', `GGEN_NEO4J_URI "${s.uri}" is not a Neo4j address: ${messageOf(e)}`, {
      hint: 'Use bolt://HOST:7687 or neo4j://HOST:7687 (neo4j+s:// for TLS).',
      cause: e,
    })
  }
  return null
}

/** errors of a user-written `packs query` statement */
export function queryError(e: unknown, s: Neo4jSettings): PacksError {
  const mapped = connectionError(e, s)
  if (mapped) return mapped
  if (isAccessModeError(e)) {
    return new PacksError('E_READ_ONLY', 'packs query is read-only: the statement tried to write (CREATE, MERGE, SET, DELETE, schema or admin commands are refused)', {
      hint: 'Use MATCH ... RETURN to read. The graph is written only by `ggen packs graph sync`.',
      cause: e,
    })
  }
  const code = codeOf(e)
  if (code.startsWith('Neo.ClientError.')) {
    return new PacksError('E_USAGE', `Neo4j rejected the query: ${messageOf(e)}`, {
      hint: code.includes('ParameterMissing') ? 'Pass every $parameter with --param key=value.' : 'Check the Cypher syntax, labels (Package, Version, Project, Advisory, Machine) and property names.',
      details: {neo4jCode: code},
      cause: e,
    })
  }
  return new PacksError('E_NEO4J', `Neo4j failed to run the query: ${messageOf(e)}`, {hint: 'Retry; if it persists check the server logs.', details: {neo4jCode: code}, cause: e})
}
