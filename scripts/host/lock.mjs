// A cross-process lock made of a folder (mkdir is atomic): concurrent test runs on one machine
// must not install code-server into the same place at the same time.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function holderAlive(lockDir) {
  let pid;
  try {
    pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
  } catch {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return e?.code === 'EPERM';
  }
}

/** Runs `work` while holding `lockDir`; waits for another holder, takes over from a dead one. */
export async function withLock(lockDir, log, work, { timeoutMs = 20 * 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e?.code !== 'EEXIST') throw e;
    }
    await sleep(1000);
    if (!holderAlive(lockDir)) {
      // The pid file is written right after mkdir; give a fresh holder a moment before judging it dead.
      await sleep(1000);
      if (!holderAlive(lockDir)) {
        log(`removing a stale lock ${lockDir}`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
    }
    if (!announced) {
      log(`another run holds ${lockDir}; waiting for it`);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${lockDir} after ${timeoutMs / 60_000} min; remove it if no install is running.`);
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
