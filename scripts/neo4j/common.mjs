// Shared helpers for scripts/neo4j/start.mjs and stop.mjs (Node built-ins only).
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import net from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCRIPT_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(SCRIPT_DIR, '..', '..');
export const HOST = '127.0.0.1';

export function log(msg) {
  process.stderr.write(`[neo4j] ${msg}\n`);
}

function intEnv(name, def) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function boolEnv(name, def) {
  const raw = (process.env[name] ?? '').trim().toLowerCase();
  if (raw === '') return def;
  return !['0', 'false', 'no', 'off'].includes(raw);
}

export function config() {
  const home = resolve(process.env.GGEN_NEO4J_HOME || join(REPO_ROOT, '.neo4j'));
  const isCI = boolEnv('CI', false);
  const port = intEnv('GGEN_NEO4J_PORT', 7687);
  if (port > 65535) throw new Error(`GGEN_NEO4J_PORT out of range: ${port}`);
  return {
    home,
    port,
    password: process.env.GGEN_NEO4J_PASSWORD || 'ggen-packs-local',
    startTimeoutSec: intEnv('GGEN_NEO4J_START_TIMEOUT', 180),
    stopTimeoutSec: intEnv('GGEN_NEO4J_STOP_TIMEOUT', 60),
    heap: process.env.GGEN_NEO4J_HEAP || '1g',
    pageCache: process.env.GGEN_NEO4J_PAGECACHE || '256m',
    // AppCDS archive: ~30% faster cached starts; pointless on throw-away CI machines.
    cds: boolEnv('GGEN_NEO4J_CDS', !isCI),
    isCI,
    pomFile: join(SCRIPT_DIR, 'pom.xml'),
    launcherSrc: join(SCRIPT_DIR, 'Launcher.java'),
    libDir: join(home, 'lib'),
    libStamp: join(home, 'lib', '.ggen-complete'),
    launcherDir: join(home, 'launcher'),
    cdsDir: join(home, 'cds'),
    dbmsHome: join(home, 'dbms'), // neo4j_home: data/ and logs/ (debug.log) live here
    pidFile: join(home, 'neo4j.pid'),
    readyFile: join(home, 'ready.json'),
    logFile: join(home, 'server.log'),
  };
}

/**
 * Probe the port with a Bolt handshake.
 * Resolves 'bolt' (a Bolt server answered), 'other' (something accepted the TCP
 * connection but did not answer like Bolt) or 'closed' (nothing listening).
 */
export function probeBolt(port, timeoutMs = 2000) {
  return new Promise((resolvePromise) => {
    let connected = false;
    let settled = false;
    let buf = Buffer.alloc(0);
    const sock = net.connect({ host: HOST, port });
    const done = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolvePromise(result);
    };
    const timer = setTimeout(() => done(connected ? 'other' : 'closed'), timeoutMs);
    sock.on('connect', () => {
      connected = true;
      // magic 0x6060B017, then 4 proposals: 5.8..5.0, 4.4, none, none
      sock.write(Buffer.from([0x60, 0x60, 0xb0, 0x17, 0, 8, 8, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0]));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4) {
        const isBolt = buf[0] === 0 && buf[1] === 0 && (buf[3] === 4 || buf[3] === 5 || buf.readUInt32BE(0) === 0);
        done(isBolt ? 'bolt' : 'other');
      }
    });
    sock.on('error', () => done(connected ? 'other' : 'closed'));
    sock.on('close', () => done(connected ? 'other' : 'closed'));
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** true if the pid exists and is not a zombie (a detached child whose parent doesn't reap it). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    // no /proc (macOS): trust kill(0)
  }
  return true;
}

/** Best effort check that pid is our Java launcher for this home (guards against pid reuse). */
export function isOurLauncher(pid, cfg) {
  if (!isAlive(pid)) return false;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmd.some((a) => a === 'Launcher' || a.endsWith('Launcher.java')) && cmd.includes(cfg.dbmsHome);
  } catch {
    return true; // no /proc: can't tell, assume yes
  }
}

export function readPid(file) {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function tail(file, lines = 40) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Locate an executable: $JAVA_HOME/bin/<name>, next to the real `java` on PATH, or on PATH. */
export function findJdkTool(name) {
  const javaHome = process.env.JAVA_HOME;
  if (javaHome && existsSync(join(javaHome, 'bin', name))) return join(javaHome, 'bin', name);
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (!dir) continue;
    const cand = join(dir, 'java');
    if (!existsSync(cand)) continue;
    try {
      const real = realpathSync(cand);
      const sib = join(dirname(real), name);
      if (existsSync(sib) && statSync(sib).isFile()) return sib;
    } catch {
      /* ignore */
    }
  }
  return name; // let spawn search PATH and fail with a clear ENOENT
}
