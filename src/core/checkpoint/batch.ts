// Writing a batch of fixes to the user's files (`hotpath fixes --apply`), safely:
// - links: a file that is a link is written through to its target when the target is inside the
//   folder holding the store; a link out of it is skipped with the reason (never written through);
// - one batch at a time per store (lockStore), and every file must still hold the bytes the fixes
//   were computed from (another batch or an editor may have changed it meanwhile);
// - every file (and its folder) must be writable before the first write, else nothing is written
//   and the unwritable files are listed;
// - the checkpoint records each file's content before and the content about to be written (state
//   'open'), so a plain rollback also recovers a batch killed half-way;
// - the files are replaced atomically (writeFilesAtomic): a kill leaves each old or new, never
//   half-written; a write that still fails rolls the batch back at once, and the result says so.
import * as fs from 'fs';
import * as path from 'path';
import { CheckpointRefused, outsideReason, realLocation, storeOwner } from './guard';
import { createCheckpoint, markApplied, rollbackHeld } from './index';
import { lockStore, StoreLocked } from './lock';
import { BatchWriteError, removeStaleTemps, writeFilesAtomic } from './write';

export interface BatchFile {
  /** The file as listed (absolute). */
  file: string;
  /** The bytes the new content was computed from. */
  before: Buffer;
  /** The bytes to write. */
  after: Buffer;
}

export interface BatchOptions {
  /** Checkpoint store. */
  store: string;
  /** The folder the checkpoint's paths are relative to. */
  root: string;
  label: string;
  git?: boolean;
  /** How long to wait for another batch on the same store (default 5 s). */
  lockWaitMs?: number;
  onLockWait?: (pid: number) => void;
  /** Tests: runs before each file is renamed into place; a throw fails the batch there. */
  beforeRename?: (file: string, index: number) => void;
}

export interface BatchResult {
  ok: boolean;
  /** Files written (as listed). */
  written: string[];
  /** Files left alone, with the reason (a link out of the folder, the same file twice). */
  skipped: { file: string; reason: string }[];
  checkpoint?: { id: string; dir: string };
  /** Why nothing (or, with rolledBack, nothing any more) was changed. */
  error?: string;
  /** Files that cannot be written or that changed since they were read (nothing was written). */
  blocked?: { file: string; reason: string }[];
  /** A write failed part-way: the files written so far were restored (true), or not all (false). */
  rolledBack?: boolean;
}

function writable(file: string): string | undefined {
  try {
    fs.accessSync(file, fs.constants.W_OK);
  } catch (err) {
    return `not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  try {
    // The new content is renamed into place: the folder must accept a new file.
    fs.accessSync(path.dirname(file), fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    return `its folder is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the file is replaced through a temporary file there`;
  }
  return undefined;
}

/** Applies `files` behind a checkpoint in `options.store`; see the file comment for the rules. */
export async function applyBatch(files: BatchFile[], options: BatchOptions): Promise<BatchResult> {
  const owner = storeOwner(options.store);
  const skipped: BatchResult['skipped'] = [];
  const targets: (BatchFile & { target: string })[] = [];
  const seen = new Map<string, string>();
  // Plain files first: a link to a file also listed itself is the one left out.
  const isLinkOf = new Map(files.map((f) => [f, fs.lstatSync(f.file, { throwIfNoEntry: false })?.isSymbolicLink() ?? false]));
  for (const f of [...files].sort((a, b) => Number(isLinkOf.get(a)) - Number(isLinkOf.get(b)))) {
    const isLink = isLinkOf.get(f)!;
    const target = isLink ? realLocation(f.file) : f.file;
    if (isLink && outsideReason(owner, target)) {
      skipped.push({ file: f.file, reason: `a link to ${target}, outside ${owner} (the folder holding the checkpoint store): not changed, fixes never write through a link out of the folder` });
      continue;
    }
    const why = outsideReason(owner, f.file);
    if (why) {
      skipped.push({ file: f.file, reason: `${why}: not changed` });
      continue;
    }
    const first = seen.get(target);
    if (first !== undefined) {
      skipped.push({ file: f.file, reason: `the same file as ${first} (a link to it): written once` });
      continue;
    }
    seen.set(target, f.file);
    targets.push({ ...f, target });
  }
  if (!targets.length) return { ok: true, written: [], skipped };

  let release: () => void;
  try {
    release = await lockStore(options.store, { waitMs: options.lockWaitMs, what: options.label, onWait: (h) => options.onLockWait?.(h.pid) });
  } catch (err) {
    if (err instanceof StoreLocked) return { ok: false, written: [], skipped, error: err.message };
    throw err;
  }
  try {
    const blocked: { file: string; reason: string }[] = [];
    for (const t of targets) {
      let now: Buffer | undefined;
      try { now = fs.readFileSync(t.target); } catch { /* reported below */ }
      if (!now || !now.equals(t.before)) blocked.push({ file: t.file, reason: now ? 'changed since it was read (another batch, or an editor)' : 'no longer exists' });
      else {
        const why = writable(t.target);
        if (why) blocked.push({ file: t.file, reason: why });
      }
    }
    if (blocked.length) {
      const changed = blocked.some((b) => b.reason.startsWith('changed') || b.reason === 'no longer exists');
      return {
        ok: false, written: [], skipped, blocked,
        error: `${blocked.length} file(s) ${changed ? 'changed since they were read or cannot be written' : 'cannot be written'}; nothing was changed${changed ? ' (run it again to fix them as they are now)' : ''}`,
      };
    }
    removeStaleTemps(targets.map((t) => t.target));
    let cp;
    try {
      cp = await createCheckpoint(options.store, targets.map((t) => t.target), {
        root: options.root, label: options.label, git: options.git, intended: new Map(targets.map((t) => [t.target, t.after])),
      });
    } catch (err) {
      if (err instanceof CheckpointRefused) return { ok: false, written: [], skipped, error: `no checkpoint could be made in ${options.store}, so nothing was changed: ${err.message.replace(/^refused: /, '')}` };
      throw err;
    }
    const checkpoint = { id: cp.id, dir: path.join(options.store, cp.id) };
    try {
      await writeFilesAtomic(targets.map((t) => ({ file: t.target, data: t.after })), { beforeRename: options.beforeRename });
    } catch (err) {
      if (!(err instanceof BatchWriteError)) throw err;
      const failed = seen.get(err.file) ?? err.file;
      if (!err.renamed.length) {
        fs.rmSync(checkpoint.dir, { recursive: true, force: true });
        return { ok: false, written: [], skipped, error: `writing ${failed} failed (${err.cause.message}); nothing was changed` };
      }
      const back = await rollbackHeld(options.store, cp.id, { git: options.git });
      return {
        ok: false, written: [], skipped, checkpoint, rolledBack: back.ok,
        error: back.ok
          ? `writing ${failed} failed (${err.cause.message}) after ${err.renamed.length} of ${targets.length} file(s) were written; the batch was rolled back (checkpoint ${cp.id}), so every file is as before`
          : `writing ${failed} failed (${err.cause.message}) after ${err.renamed.length} of ${targets.length} file(s) were written, and rolling back failed too: ${back.error} (checkpoint ${cp.id} holds every file as before; \`hotpath rollback ${cp.id}\`)`,
      };
    }
    markApplied(options.store, cp.id);
    return { ok: true, written: targets.map((t) => t.file), skipped, checkpoint };
  } finally {
    release();
  }
}
