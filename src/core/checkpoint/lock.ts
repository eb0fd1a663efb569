// One batch at a time per checkpoint store: `fixes --apply` and `rollback` hold `<store>/.lock`
// (the holder's pid and start time) while they read, snapshot and write. A second one waits a
// little, then refuses naming the holder; a lock whose process is gone is stale and taken over.
import * as fs from 'fs';
import * as path from 'path';
import { ensureStoreDir } from '../hotpathDir';
import { processAlive } from './write';

const LOCK = '.lock';

export interface LockInfo { pid: number; startedAt: string; what: string }

/** Another process holds the store (still running after the wait). */
export class StoreLocked extends Error {
  constructor(readonly holder: LockInfo, readonly lockFile: string) {
    super(`another Hotpath process (pid ${holder.pid}, ${holder.what}, since ${holder.startedAt}) is changing files with this checkpoint store; nothing was changed. Try again when it has finished (if no such process runs, delete ${lockFile}).`);
    this.name = 'StoreLocked';
  }
}

function readLock(file: string): { text: string; info?: LockInfo } | undefined {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch { return undefined; }
  try {
    const info = JSON.parse(text) as LockInfo;
    return Number.isInteger(info?.pid) ? { text, info } : { text };
  } catch {
    return { text };
  }
}

export interface LockOptions {
  /** How long to wait for another holder (default 5 s). */
  waitMs?: number;
  /** What the holder does, for the message another process shows ("fixes --apply"). */
  what?: string;
  /** Called once when the store is busy and the wait begins. */
  onWait?: (holder: LockInfo) => void;
}

/**
 * Takes the store's lock; resolves to the function that releases it. Throws StoreLocked when a
 * live process still holds it after `waitMs`.
 */
export async function lockStore(storeDir: string, options: LockOptions = {}): Promise<() => void> {
  ensureStoreDir(storeDir);
  const file = path.join(storeDir, LOCK);
  const mine = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), what: options.what ?? 'a batch' } satisfies LockInfo);
  const until = Date.now() + (options.waitMs ?? 5000);
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(file);
    if (held?.info && !processAlive(held.info.pid)) {
      // Stale: its process is gone. Removed only if it is still that same lock.
      if (readLock(file)?.text === held.text) fs.rmSync(file, { force: true });
      continue;
    }
    const holder = held?.info ?? { pid: 0, startedAt: 'unknown', what: 'unknown' };
    if (Date.now() >= until) {
      // A lock file without a readable holder (a writer killed between create and write) is stale once the wait is over.
      if (!held?.info && readLock(file)?.text === held?.text) { fs.rmSync(file, { force: true }); continue; }
      throw new StoreLocked(holder, file);
    }
    if (!told && held?.info) { told = true; options.onWait?.(held.info); }
    await new Promise((r) => setTimeout(r, 100));
  }
  const release = () => {
    process.removeListener('exit', release);
    if (readLock(file)?.text === mine) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}
