#!/usr/bin/env node
// Start a local Neo4j 5.26 community DBMS (embedded, Bolt on 127.0.0.1) in the background.
// Node built-ins only. See scripts/neo4j/README.md for env vars and layout.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  HOST,
  config,
  findJdkTool,
  isAlive,
  isOurLauncher,
  log,
  probeBolt,
  readJson,
  readPid,
  sleep,
  tail,
} from './common.mjs';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const secs = (t0) => ((Date.now() - t0) / 1000).toFixed(1);

class StartError extends Error {}

function javaInfo() {
  const java = findJdkTool('java');
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new StartError(
      `cannot run "${java} -version" (${r.error?.code ?? `exit ${r.status}`}). Install a JDK 17 or 21 (e.g. apt-get install openjdk-17-jdk-headless) or set JAVA_HOME.`,
    );
  }
  const text = `${r.stderr}${r.stdout}`;
  const m = text.match(/version "(\d+)(?:\.(\d+))?/);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= 17)) throw new StartError(`Neo4j 5.26 needs Java 17 or 21; "${java} -version" says:\n${text}`);
  if (major !== 17 && major !== 21) log(`warning: Java ${major} is not officially supported by Neo4j 5.26 (17/21 are)`);
  return { java, versionText: text.trim(), major };
}

/** Copy the Neo4j jars into <home>/lib with Maven, unless already complete for this pom.xml. */
async function ensureLib(cfg) {
  const pom = readFileSync(cfg.pomFile, 'utf8');
  const pomSha = sha256(pom);
  const stamp = readJson(cfg.libStamp);
  if (stamp?.pomSha === pomSha && Array.isArray(stamp.jars) && stamp.jars.length > 0 &&
      stamp.jars.every((j) => existsSync(join(cfg.libDir, j)))) {
    return stamp.jars;
  }
  const mvn = process.env.MVN || 'mvn';
  const pluginVersion =
    pom.match(/<artifactId>maven-dependency-plugin<\/artifactId>\s*<version>([^<]+)<\/version>/)?.[1] ?? '3.8.1';
  const tmp = `${cfg.libDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const t0 = Date.now();
  log(`fetching Neo4j jars with Maven into ${cfg.libDir} (first run: ~125 MB from Maven Central unless already in ~/.m2) ...`);
  const args = [
    '-B', '-q', '-Dstyle.color=never',
    '-f', cfg.pomFile,
    // full coordinates: no plugin-prefix lookup (avoids a daily metadata check against Central)
    `org.apache.maven.plugins:maven-dependency-plugin:${pluginVersion}:copy-dependencies`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${tmp}`,
    // e.g. GGEN_NEO4J_MVN_ARGS="-Dmaven.repo.local=/ci/cache/m2" (Maven 3.8 ignores MAVEN_ARGS)
    ...(process.env.GGEN_NEO4J_MVN_ARGS || '').split(/\s+/).filter(Boolean),
  ];
  // mvn's output goes to our stderr (stdout stays clean), minus the ANSI noise Maven 3.8 emits with -q.
  const r = await new Promise((res) => {
    const p = spawn(mvn, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        // eslint-disable-next-line no-control-regex
        const clean = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
        if (clean) process.stderr.write(`[mvn] ${clean}\n`);
      }
    };
    p.stdout.on('data', forward);
    p.stderr.on('data', forward);
    p.on('error', (error) => res({ error }));
    p.on('close', (status, signal) => res({ status, signal }));
  });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new StartError(
      r.error?.code === 'ENOENT'
        ? `"${mvn}" not found. Install Maven 3.6.3+ (apt-get install maven) or set MVN=/path/to/mvn.`
        : `Maven failed (${r.error ? r.error.message : `exit ${r.status}${r.signal ? `, ${r.signal}` : ''}`}): ${mvn} ${args.join(' ')}`,
    );
  }
  const jars = readdirSync(tmp).filter((f) => f.endsWith('.jar')).sort();
  if (!jars.some((j) => /^neo4j-bolt-\d/.test(j)) || !jars.some((j) => /^neo4j-kernel-\d/.test(j))) {
    throw new StartError(`Maven ran but ${tmp} does not contain the expected Neo4j jars`);
  }
  writeFileSync(join(tmp, '.ggen-complete'), `${JSON.stringify({ pomSha, jars, fetchedAt: new Date().toISOString() }, null, 1)}\n`);
  rmSync(cfg.libDir, { recursive: true, force: true });
  renameSync(tmp, cfg.libDir);
  log(`fetched ${jars.length} jars in ${secs(t0)} s`);
  return jars;
}

/**
 * Compile Launcher.java into <home>/launcher/launcher.jar (cached by source + JDK).
 * Returns null if javac/jar are unavailable -> caller falls back to single-file source launch.
 */
function ensureLauncherJar(cfg, jv) {
  const src = readFileSync(cfg.launcherSrc);
  const key = sha256(Buffer.concat([src, Buffer.from(jv.versionText), Buffer.from(readFileSync(cfg.libStamp))]));
  const jar = join(cfg.launcherDir, 'launcher.jar');
  const stampFile = join(cfg.launcherDir, '.stamp');
  if (existsSync(jar) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === key) return jar;

  const javac = findJdkTool('javac');
  const jarTool = findJdkTool('jar');
  const tmp = `${cfg.launcherDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'classes'), { recursive: true });
  const t0 = Date.now();
  let r = spawnSync(
    javac,
    ['-nowarn', '-encoding', 'UTF-8', '-d', join(tmp, 'classes'), '-cp', join(cfg.libDir, '*'), cfg.launcherSrc],
    { encoding: 'utf8' },
  );
  if (!r.error && r.status === 0) {
    r = spawnSync(jarTool, ['cf', join(tmp, 'launcher.jar'), '-C', join(tmp, 'classes'), '.'], { encoding: 'utf8' });
  }
  if (r.error || r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    if (r.error?.code === 'ENOENT') {
      log(`note: ${r.error.path ?? 'javac/jar'} not found; using single-file source launch (slower start)`);
      return null;
    }
    throw new StartError(`compiling ${cfg.launcherSrc} failed:\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  rmSync(join(tmp, 'classes'), { recursive: true, force: true });
  writeFileSync(join(tmp, '.stamp'), key);
  rmSync(cfg.launcherDir, { recursive: true, force: true });
  renameSync(tmp, cfg.launcherDir);
  log(`compiled Launcher.java in ${secs(t0)} s`);
  return jar;
}

function argfileQuote(s) {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function buildCommand(cfg, jv, jars, launcherJar) {
  const jvm = [
    `-Xmx${cfg.heap}`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-OmitStackTraceInFastThrow',
    '-Djdk.nio.maxCachedBufferSize=1024',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dlog4j2.disable.jmx=true',
    '-Dfile.encoding=UTF-8',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  ];
  const cpEntries = [...(launcherJar ? [launcherJar] : []), ...jars.map((j) => join(cfg.libDir, j))];
  const cp = cpEntries.join(process.platform === 'win32' ? ';' : ':');
  // Class path in an @argfile: keeps `ps` readable and the command line short.
  const argfile = join(cfg.home, 'classpath.args');
  writeFileSync(argfile, `-cp ${argfileQuote(cp)}\n`);

  let cds = null;
  if (cfg.cds && launcherJar) {
    // AppCDS archive of the loaded classes; only valid for this exact JDK + class path + launcher.
    const key = sha256([jv.java, jv.versionText, cp, readFileSync(launcherJar).toString('base64'), jvm.join(' ')].join('\n')).slice(0, 16);
    mkdirSync(cfg.cdsDir, { recursive: true });
    const archive = join(cfg.cdsDir, `neo4j-${key}.jsa`);
    for (const f of readdirSync(cfg.cdsDir)) {
      if (join(cfg.cdsDir, f) !== archive) rmSync(join(cfg.cdsDir, f), { force: true }); // stale archives / dumps
    }
    if (existsSync(archive) && statSync(archive).size > 0) {
      cds = { mode: 'use', archive };
      jvm.push(`-XX:SharedArchiveFile=${archive}`);
    } else {
      // Dumped when the JVM exits; stop.mjs renames *.tmp -> *.jsa after a clean exit.
      cds = { mode: 'dump', archive };
      jvm.push(`-XX:ArchiveClassesAtExit=${archive}.tmp`);
    }
    jvm.push('-Xlog:cds=off', '-Xlog:cds+dynamic=off');
  }

  const appArgs = [
    '--home', cfg.dbmsHome,
    '--port', String(cfg.port),
    '--page-cache', cfg.pageCache,
    '--ready-file', cfg.readyFile,
  ];
  const main = launcherJar ? ['Launcher'] : [cfg.launcherSrc];
  return { args: [...jvm, `@${argfile}`, ...main, ...appArgs], cds };
}

async function waitForReady(cfg, pid, childState, t0) {
  const deadline = t0 + cfg.startTimeoutSec * 1000;
  let nextNote = Date.now() + 15000;
  for (;;) {
    if (childState.exited || !isAlive(pid)) {
      const how = childState.exited ? ` (${childState.exited})` : '';
      throw new StartError(`Neo4j launcher (pid ${pid}) exited during startup${how}.`);
    }
    const ready = readJson(cfg.readyFile);
    if (ready && ready.pid === pid && (await probeBolt(cfg.port)) === 'bolt') return ready;
    if (Date.now() > deadline) {
      throw new StartError(`Neo4j did not become ready within ${cfg.startTimeoutSec} s (GGEN_NEO4J_START_TIMEOUT).`);
    }
    if (Date.now() > nextNote) {
      log(`still starting ... ${secs(t0)} s`);
      nextNote = Date.now() + 15000;
    }
    await sleep(250);
  }
}

async function killQuietly(pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(200);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

function failureDetails(cfg) {
  return (
    `--- last lines of ${cfg.logFile} ---\n${tail(cfg.logFile, 40)}\n---\n` +
    `More detail: ${join(cfg.dbmsHome, 'logs', 'debug.log')}`
  );
}

/** Serialize concurrent start.mjs runs for the same home (e.g. parallel CI steps). */
async function acquireStartLock(cfg) {
  const lock = join(cfg.home, 'start.lock');
  const deadline = Date.now() + (cfg.startTimeoutSec + 300) * 1000;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      process.on('exit', () => {
        if (readPid(lock) === process.pid) rmSync(lock, { force: true });
      });
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = readPid(lock);
    if (!owner || !isAlive(owner)) {
      // stale (owner died) or being written right now: only remove when clearly stale
      if (owner || Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 5000) rmSync(lock, { force: true });
      await sleep(100);
      continue;
    }
    if (!announced) {
      log(`another start.mjs (pid ${owner}) is running for ${cfg.home}; waiting for it ...`);
      announced = true;
    }
    if (Date.now() > deadline) throw new StartError(`timed out waiting for start.lock held by pid ${owner}`);
    await sleep(500);
  }
}

async function main() {
  const cfg = config();
  const t0 = Date.now();
  const url = `bolt://${HOST}:${cfg.port}`;
  mkdirSync(cfg.home, { recursive: true });
  await acquireStartLock(cfg);

  // 1. Already running from this home?
  const oldPid = readPid(cfg.pidFile);
  if (oldPid && isOurLauncher(oldPid, cfg)) {
    const ready = readJson(cfg.readyFile);
    const runningPort = ready?.pid === oldPid ? ready.port : undefined;
    if (runningPort !== undefined && runningPort !== cfg.port) {
      throw new StartError(
        `Neo4j from ${cfg.home} is already running on port ${runningPort} (pid ${oldPid}); run scripts/neo4j/stop.mjs first to use port ${cfg.port}.`,
      );
    }
    if (runningPort === cfg.port && (await probeBolt(cfg.port)) === 'bolt') {
      log(`already running: ${url} (pid ${oldPid}, home ${cfg.home})`);
      return;
    }
    log(`launcher pid ${oldPid} is still starting; waiting for it ...`);
    await waitForReady(cfg, oldPid, {}, t0);
    log(`ready: ${url} (pid ${oldPid}) after ${secs(t0)} s`);
    return;
  }
  if (oldPid) rmSync(cfg.pidFile, { force: true }); // stale

  // 2. Something else on the port?
  const probe = await probeBolt(cfg.port);
  if (probe === 'bolt') {
    log(`a Bolt server already answers on ${url} (not started from ${cfg.home}); not starting another.`);
    log(`if its password is not GGEN_NEO4J_PASSWORD, stop it or pick another GGEN_NEO4J_PORT.`);
    return;
  }
  if (probe === 'other') {
    throw new StartError(`port ${cfg.port} on ${HOST} is in use by something that is not a Bolt server; set GGEN_NEO4J_PORT.`);
  }

  // 3. Java, jars, launcher.
  const jv = javaInfo();
  const jars = await ensureLib(cfg);
  const launcherJar = ensureLauncherJar(cfg, jv);
  const { args, cds } = buildCommand(cfg, jv, jars, launcherJar);

  // 4. Spawn detached, output to the log file.
  rmSync(cfg.readyFile, { force: true });
  if (existsSync(cfg.logFile)) renameSync(cfg.logFile, `${cfg.logFile}.prev`);
  const fd = openSync(cfg.logFile, 'a');
  const child = spawn(jv.java, args, {
    cwd: cfg.home,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, GGEN_NEO4J_PASSWORD: cfg.password },
  });
  closeSync(fd);
  const childState = {};
  child.on('error', (e) => (childState.exited = `spawn error: ${e.message}`));
  child.on('exit', (code, sig) => (childState.exited = sig ? `signal ${sig}` : `exit code ${code}`));
  child.unref();
  if (!child.pid) {
    await sleep(100);
    throw new StartError(`could not start ${jv.java}: ${childState.exited ?? 'unknown error'}`);
  }
  writeFileSync(cfg.pidFile, `${child.pid}\n`);
  log(
    `starting Neo4j (pid ${child.pid}, heap ${cfg.heap}, page cache ${cfg.pageCache}` +
      `${cds ? `, CDS ${cds.mode === 'use' ? 'on' : 'archive dumped at next stop'}` : ''}); log: ${cfg.logFile}`,
  );

  // 5. Wait for the ready marker + a Bolt handshake.
  const tStart = Date.now();
  try {
    const ready = await waitForReady(cfg, child.pid, childState, tStart);
    log(`ready: ${url} user "neo4j" (Neo4j ${ready.version}, pid ${child.pid}) - JVM up in ${secs(tStart)} s, total ${secs(t0)} s`);
  } catch (e) {
    if (isAlive(child.pid)) {
      log(`stopping the half-started server (pid ${child.pid}) ...`);
      await killQuietly(child.pid);
    }
    rmSync(cfg.pidFile, { force: true });
    throw new StartError(`${e.message}\n${failureDetails(cfg)}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    log(`ERROR: ${e instanceof StartError ? e.message : e?.stack ?? e}`);
    process.exit(1);
  },
);
