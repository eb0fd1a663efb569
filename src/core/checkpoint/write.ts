// Writing a user's file so that a kill at any moment leaves either the old content or the new one,
// never a truncated file: the data goes to a temporary file in the same folder (same file system),
// is flushed to disk (fsync), gets the old file's mode (and owner, when running as root), and is
// renamed over the file; then the folder is flushed so the rename itself survives a crash.
import * as fs from 'fs';
import * as path from 'path';

const TMP_MARK = '.hotpath-tmp-';

/** The temporary name for `file` while process `pid` writes it. */
export function tempNameFor(file: string, pid = process.pid): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${TMP_MARK}${pid}`);
}

/** Whether process `pid` still runs (kill 0: no signal is sent; EPERM means it runs as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files killed writers left beside `files` (those of live processes stay). */
export function removeStaleTemps(files: string[]): string[] {
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = path.dirname(f);
    if (!byDir.has(dir)) byDir.set(dir, new Set());
    byDir.get(dir)!.add(`.${path.basename(f)}${TMP_MARK}`);
  }
  const removed: string[] = [];
  for (const [dir, prefixes] of byDir) {
    let names: string[];
    try { names = fs.readdirSync(dir); } catch { continue; }
    for (const name of names) {
      const at = name.lastIndexOf(TMP_MARK);
      if (at < 0 || !prefixes.has(name.slice(0, at + TMP_MARK.length))) continue;
      const pid = Number(name.slice(at + TMP_MARK.length));
      if (!Number.isInteger(pid) || (pid !== process.pid && processAlive(pid))) continue;
      try {
        fs.rmSync(path.join(dir, name), { force: true });
        removed.push(path.join(dir, name));
      } catch { /* left for the next time */ }
    }
  }
  return removed;
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not every platform or file system can fsync a folder; the file itself was synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export interface AtomicWriteOptions {
  /** Permission bits for the file (default: the existing file's, else 0o644 less the umask). */
  mode?: number;
}

/**
 * Replaces `file` (never a link: pass the link's target) with `data` atomically. Keeps the
 * existing file's mode, and its owner and group when running as root.
 */
export function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  let old: fs.Stats | undefined;
  try { old = fs.statSync(file); } catch { /* a new file */ }
  const mode = (options.mode ?? (old ? old.mode : 0o666 & ~process.umask())) & 0o777;
  const tmp = tempNameFor(file);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, buf.length - off);
      fs.fchmodSync(fd, mode);
      if (old && process.getuid?.() === 0) fs.fchownSync(fd, old.uid, old.gid);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(path.dirname(file));
}

export interface FileWrite {
  /** The file to replace (never a link: pass the link's target). */
  file: string;
  data: Buffer;
  /** Permission bits (default: the existing file's). */
  mode?: number;
}

/** A batch write that failed: `renamed` files already hold their new content, the rest their old one. */
export class BatchWriteError extends Error {
  constructor(readonly file: string, readonly cause: Error, readonly renamed: string[]) {
    super(`${file}: ${cause.message}`);
    this.name = 'BatchWriteError';
  }
}

async function inPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Flushes `files` to disk, several at a time (one fsync each, in parallel), then their folders. */
export async function syncFiles(files: string[]): Promise<void> {
  await inPool(files, 32, async (f) => {
    const h = await fs.promises.open(f, 'r+');
    try { await h.sync(); } finally { await h.close(); }
  });
  for (const dir of new Set(files.map((f) => path.dirname(f)))) syncDir(dir);
}

/**
 * Replaces many files so that a kill at any moment leaves each one with its old or its new content:
 * every new content is first written to a temporary file beside its file (mode, and owner when
 * root, of the file it replaces) and flushed to disk (in parallel: one fsync per file, not one at a
 * time), then each is renamed over its file, then the folders are flushed. `beforeRename` (tests)
 * runs before each rename and may throw to fail the batch there.
 */
export async function writeFilesAtomic(writes: FileWrite[], hooks: { beforeRename?: (file: string, index: number) => void } = {}): Promise<void> {
  const temps: { tmp: string; file: string }[] = [];
  const renamed: string[] = [];
  let current = '';
  try {
    for (const w of writes) {
      current = w.file;
      let old: fs.Stats | undefined;
      try { old = fs.statSync(w.file); } catch { /* a new file */ }
      const tmp = tempNameFor(w.file);
      const fd = fs.openSync(tmp, 'w', 0o600);
      temps.push({ tmp, file: w.file });
      try {
        for (let off = 0; off < w.data.length;) off += fs.writeSync(fd, w.data, off, w.data.length - off);
        fs.fchmodSync(fd, (w.mode ?? (old ? old.mode : 0o666 & ~process.umask())) & 0o777);
        if (old && process.getuid?.() === 0) fs.fchownSync(fd, old.uid, old.gid);
      } finally {
        fs.closeSync(fd);
      }
    }
    await inPool(temps, 32, async (t) => {
      current = t.file;
      const h = await fs.promises.open(t.tmp, 'r+');
      try { await h.sync(); } finally { await h.close(); }
    });
    temps.forEach((t, i) => {
      current = t.file;
      hooks.beforeRename?.(t.file, i);
      fs.renameSync(t.tmp, t.file);
      renamed.push(t.file);
    });
  } catch (err) {
    for (const t of temps.slice(renamed.length)) fs.rmSync(t.tmp, { force: true });
    throw new BatchWriteError(current, err as Error, renamed);
  }
  for (const dir of new Set(writes.map((w) => path.dirname(w.file)))) syncDir(dir);
}
