#!/usr/bin/env node
// Stop the Neo4j started by scripts/neo4j/start.mjs (SIGTERM, then SIGKILL after GGEN_NEO4J_STOP_TIMEOUT s).
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { config, isAlive, isOurLauncher, log, readJson, readPid, sleep } from './common.mjs';

/** After a clean JVM exit, promote the AppCDS archive dumped by that run. */
function finishCds(cfg, graceful) {
  if (!existsSync(cfg.cdsDir)) return;
  for (const f of readdirSync(cfg.cdsDir)) {
    if (!f.endsWith('.jsa.tmp')) continue;
    const tmp = join(cfg.cdsDir, f);
    if (graceful && statSync(tmp).size > 0) {
      renameSync(tmp, tmp.slice(0, -'.tmp'.length));
      log('saved class-data-sharing archive (faster next start)');
    } else {
      rmSync(tmp, { force: true });
    }
  }
}

async function main() {
  const cfg = config();
  let pid = readPid(cfg.pidFile);
  if (!pid) pid = readJson(cfg.readyFile)?.pid ?? null;
  if (!pid || !isOurLauncher(pid, cfg)) {
    log(pid ? `not running (stale pid ${pid})` : 'not running (no pid file)');
    rmSync(cfg.pidFile, { force: true });
    rmSync(cfg.readyFile, { force: true });
    finishCds(cfg, false);
    return;
  }

  const t0 = Date.now();
  log(`stopping Neo4j (pid ${pid}) ...`);
  process.kill(pid, 'SIGTERM');
  const deadline = t0 + cfg.stopTimeoutSec * 1000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);

  let graceful = true;
  if (isAlive(pid)) {
    graceful = false;
    log(`still running after ${cfg.stopTimeoutSec} s (GGEN_NEO4J_STOP_TIMEOUT); sending SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(200);
    if (isAlive(pid)) throw new Error(`pid ${pid} survived SIGKILL`);
  }
  rmSync(cfg.pidFile, { force: true });
  rmSync(cfg.readyFile, { force: true });
  // Only keep an archive from a run that got all the way to "ready" (it saw all startup classes).
  let reachedReady = false;
  try {
    reachedReady = readFileSync(cfg.logFile, 'utf8').includes('GGEN_NEO4J_READY');
  } catch {
    /* no log */
  }
  finishCds(cfg, graceful && reachedReady);
  log(`stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s${graceful ? '' : ' (killed)'}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    log(`ERROR: ${e?.message ?? e}`);
    process.exit(1);
  },
);
