// Checkpoints: before a batch of fixes, the files about to change are copied (content + sha256,
// plus git HEAD and dirty flag when in a repository) into `<store>/<id>/`; `rollback` restores
// them in one step and deletes files the batch created. A file edited after the batch is never
// overwritten silently: rollback refuses and lists it, unless forced, and a forced rollback
// first saves the current contents as a new checkpoint (itself rollback-able). Works without git.
//
// On disk (version 2) the file paths are relative to the checkpoint's root ('/'-separated), and
// the root is relative to the store when they move together, so a checkpoint survives moving
// or renaming the folder. Version-1 checkpoints (absolute paths) are still read. In memory the
// paths are absolute, resolved against where the store is now.
//
// Where the store lives (one rule for `fixes --apply`, `checkpoints`, `rollback` and VS Code):
// `<top>/.hotpath/checkpoints`, where top is the nearest folder at or above the target holding
// `.git` (the repository's top level, found without running git), else the target folder itself.
// `checkpoints`/`rollback` find it from a sub-folder by walking up (findCheckpointStore).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gitState } from '../history/git';
import { listStore } from '../storeList';

export interface CheckpointFile {
  /** Absolute path (on disk: relative to the root, '/'-separated; absolute in version 1 or outside the root). */
  path: string;
  /** Whether the file existed before the batch (false: the batch creates it; rollback deletes it). */
  existed: boolean;
  /** sha256 (hex) of the content before the batch; null when it did not exist. */
  sha256: string | null;
  size: number | null;
  /** File mode before the batch (restored with the content). */
  mode: number | null;
  /** Name of the copy inside the checkpoint's `files/` folder. */
  blob: string | null;
  /** The state right after the batch (set by markApplied): what rollback expects to find. */
  after?: { exists: boolean; sha256: string | null };
}

export type CheckpointState = 'open' | 'applied' | 'rolled-back';

export interface Checkpoint {
  /** 2: paths stored relative to the root; 1 (still read): absolute paths. */
  version: 1 | 2;
  /** Folder name in the store; sortable by time. */
  id: string;
  label?: string;
  createdAt: string;
  /** The folder the paths are relative to (the workspace), absolute: where it is now when the store is inside it. */
  root: string;
  git?: { head: string; dirty: boolean; branch?: string };
  files: CheckpointFile[];
  /** open: snapshot taken, batch not confirmed; applied: markApplied ran; rolled-back: restored. */
  state: CheckpointState;
  appliedAt?: string;
  rolledBackAt?: string;
  /** For a checkpoint made by a forced rollback: the checkpoint that was rolled back. */
  savedBeforeRollbackOf?: string;
}

export interface Conflict {
  path: string;
  reason: string;
}

export interface RollbackResult {
  ok: boolean;
  id: string;
  /** Files written back to their content before the batch. */
  restored: string[];
  /** Files the batch created, deleted. */
  deleted: string[];
  /** Files left alone because they already had their content before the batch. */
  unchanged: string[];
  /** Files changed after the batch (when not forced, nothing was touched). */
  conflicts: Conflict[];
  /** Forced rollback: id of the checkpoint holding the contents it overwrote. */
  savedAs?: string;
  error?: string;
}

const META = 'checkpoint.json';
const VERSION = 2;

/** `<root>/.hotpath/checkpoints`. */
export function defaultCheckpointStore(root: string): string {
  return path.join(root, '.hotpath', 'checkpoints');
}

/** `child` relative to `parent` when it is inside it (or is it: ''), else undefined. */
export function relativeInside(parent: string, child: string): string | undefined {
  const rel = path.relative(parent, child);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel;
}

const portable = (rel: string) => rel.split(path.sep).join('/');

const hasGit = (dir: string) => fs.existsSync(path.join(dir, '.git'));

/**
 * The folder whose `.hotpath/checkpoints` holds the checkpoints for `target` (a folder): the
 * nearest folder at or above it holding `.git` (a repository's top level; a file there for
 * worktrees and submodules), else `target` itself. Pure file-system checks: no git runs.
 */
export function checkpointStoreRoot(target: string): string {
  const start = path.resolve(target);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (hasGit(dir)) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** Where checkpoints for `target` (a folder) are stored: `<checkpointStoreRoot(target)>/.hotpath/checkpoints`. */
export function checkpointStoreFor(target: string): string {
  return defaultCheckpointStore(checkpointStoreRoot(target));
}

/**
 * The store `checkpoints` and `rollback` use from `cwd`: walking up from cwd, not past the
 * repository's top level, the top level's store when it exists, else the nearest existing
 * `.hotpath/checkpoints` (outside a repository: up to the file-system root; inside one: a store
 * an older Hotpath made in a sub-folder). None: `checkpointStoreFor(cwd)` (which does not exist).
 */
export function findCheckpointStore(cwd: string): string {
  let nearest: string | undefined;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const store = defaultCheckpointStore(dir);
    const exists = fs.existsSync(store);
    if (hasGit(dir)) return exists ? store : nearest ?? store;
    if (exists) nearest ??= store;
    if (path.dirname(dir) === dir) return nearest ?? checkpointStoreFor(cwd);
  }
}

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

function current(file: string): { exists: boolean; sha256: string | null } {
  try {
    return { exists: true, sha256: sha256(fs.readFileSync(file)) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, sha256: null };
    throw err;
  }
}

function writeAtomic(file: string, data: string | Buffer, mode?: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.hotpath-tmp`);
  fs.writeFileSync(tmp, data, mode !== undefined ? { mode } : undefined);
  if (mode !== undefined) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

/**
 * The on-disk form: paths relative to the root; the root relative to the store when they move
 * together: the store is inside the root, or the root is inside the folder holding the store's
 * `.hotpath` (a package of the repository whose top holds the store). Else the root stays absolute.
 */
function save(storeDir: string, cp: Checkpoint): void {
  const store = path.resolve(storeDir);
  const owner = path.basename(path.dirname(store)) === '.hotpath' ? path.dirname(path.dirname(store)) : undefined;
  const together = relativeInside(cp.root, store) !== undefined || (owner !== undefined && relativeInside(owner, cp.root) !== undefined);
  const rootFromStore = together ? portable(path.relative(store, cp.root)) : undefined;
  const { version: _v, root, files, ...rest } = cp;
  const disk = {
    version: VERSION, ...rest, root, ...(rootFromStore !== undefined ? { rootFromStore } : {}),
    files: files.map((f) => {
      const rel = relativeInside(root, f.path);
      return { ...f, path: rel ? portable(rel) : f.path };
    }),
  };
  writeAtomic(path.join(storeDir, cp.id, META), JSON.stringify(disk, null, 2));
  cp.version = VERSION;
}

function newId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Snapshots `files` (absolute or relative to `root`; missing ones are recorded as to-be-created). */
export async function createCheckpoint(storeDir: string, files: string[], options: { root: string; label?: string; savedBeforeRollbackOf?: string; git?: boolean }): Promise<Checkpoint> {
  const id = newId();
  const dir = path.join(storeDir, id);
  fs.mkdirSync(path.join(dir, 'files'), { recursive: true });
  const entries: CheckpointFile[] = [];
  const unique = [...new Set(files.map((f) => path.resolve(options.root, f)))];
  unique.forEach((file, i) => {
    let buf: Buffer | undefined;
    let mode: number | null = null;
    try {
      buf = fs.readFileSync(file);
      mode = fs.statSync(file).mode & 0o7777;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const blob = buf ? String(i) : null;
    if (buf) fs.writeFileSync(path.join(dir, 'files', blob!), buf);
    entries.push({ path: file, existed: !!buf, sha256: buf ? sha256(buf) : null, size: buf ? buf.length : null, mode, blob });
  });
  // git: false in untrusted folders: `git status` can run programs the repository configures.
  const g = options.git === false ? undefined : await gitState(options.root);
  const cp: Checkpoint = {
    version: VERSION, id, ...(options.label ? { label: options.label } : {}), createdAt: new Date().toISOString(), root: path.resolve(options.root),
    ...(g ? { git: { head: g.commit, dirty: g.dirty, ...(g.branch ? { branch: g.branch } : {}) } } : {}),
    files: entries, state: 'open', ...(options.savedBeforeRollbackOf ? { savedBeforeRollbackOf: options.savedBeforeRollbackOf } : {}),
  };
  save(storeDir, cp);
  return cp;
}

/** Reads a checkpoint (version 1 or 2) with its root and file paths absolute, as they are now. */
export function loadCheckpoint(storeDir: string, id: string): Checkpoint {
  const raw = JSON.parse(fs.readFileSync(path.join(storeDir, id, META), 'utf8')) as Checkpoint & { rootFromStore?: unknown };
  if ((raw?.version !== 1 && raw?.version !== 2) || raw.id !== id || !Array.isArray(raw.files) || typeof raw.root !== 'string'
    || raw.files.some((f) => typeof f?.path !== 'string')) throw new Error('not a Hotpath checkpoint');
  const { rootFromStore, ...cp } = raw;
  const root = raw.version >= 2 && typeof rootFromStore === 'string' ? path.resolve(storeDir, rootFromStore) : raw.root;
  return { ...cp, root, files: raw.files.map((f) => ({ ...f, path: path.isAbsolute(f.path) ? f.path : path.resolve(root, f.path) })) };
}

/** Records the files' state after the batch, so rollback can tell later edits apart. */
export function markApplied(storeDir: string, id: string): Checkpoint {
  const cp = loadCheckpoint(storeDir, id);
  for (const f of cp.files) f.after = current(f.path);
  cp.state = 'applied';
  cp.appliedAt = new Date().toISOString();
  save(storeDir, cp);
  return cp;
}

/** Readable checkpoints, newest first; damaged entries are reported in `warnings`. */
export function listCheckpoints(storeDir: string): { checkpoints: Checkpoint[]; warnings: string[] } {
  const r = listStore(storeDir, { what: 'checkpoint', entries: 'dirs', read: (id) => loadCheckpoint(storeDir, id), missing: `no ${META} (unfinished checkpoint)` });
  return { checkpoints: r.items, warnings: r.warnings };
}

/** What rollback would do to each file: nothing (already as before), restore, delete, or conflict. */
export function planRollback(cp: Checkpoint): { restore: CheckpointFile[]; remove: CheckpointFile[]; unchanged: CheckpointFile[]; conflicts: Conflict[] } {
  const plan = { restore: [] as CheckpointFile[], remove: [] as CheckpointFile[], unchanged: [] as CheckpointFile[], conflicts: [] as Conflict[] };
  for (const f of cp.files) {
    const now = current(f.path);
    if (now.exists === f.existed && now.sha256 === f.sha256) { plan.unchanged.push(f); continue; }
    (f.existed ? plan.restore : plan.remove).push(f);
    if (cp.state === 'rolled-back') plan.conflicts.push({ path: f.path, reason: `changed since the rollback on ${cp.rolledBackAt}` });
    else if (!f.after) plan.conflicts.push({ path: f.path, reason: 'the batch was never marked applied, so its changes cannot be told apart from later edits' });
    else if (now.exists !== f.after.exists || now.sha256 !== f.after.sha256) {
      plan.conflicts.push({ path: f.path, reason: !now.exists ? 'deleted after the batch was applied' : f.after.exists ? 'edited after the batch was applied' : 'created again after the batch deleted it' });
    }
  }
  return plan;
}

/**
 * Restores checkpoint `id` (default: the newest one not rolled back). Refuses, touching nothing,
 * when files changed after the batch, unless `force`; a forced rollback first saves the current
 * contents as a new checkpoint (`savedAs`), marked applied, so `rollback(savedAs)` undoes it.
 */
export async function rollback(storeDir: string, id?: string, options: { force?: boolean; git?: boolean } = {}): Promise<RollbackResult> {
  const empty = { restored: [], deleted: [], unchanged: [], conflicts: [] };
  let cp: Checkpoint;
  try {
    if (id) cp = loadCheckpoint(storeDir, id);
    else {
      const latest = listCheckpoints(storeDir).checkpoints.find((c) => c.state !== 'rolled-back');
      if (!latest) return { ok: false, id: '', ...empty, error: `no checkpoint to roll back in ${storeDir}` };
      cp = latest;
    }
  } catch (err) {
    return { ok: false, id: id ?? '', ...empty, error: `checkpoint ${id} cannot be read: ${(err as Error).message}` };
  }
  const plan = planRollback(cp);
  const result: RollbackResult = { ok: true, id: cp.id, restored: [], deleted: [], unchanged: plan.unchanged.map((f) => f.path), conflicts: plan.conflicts };
  if (plan.conflicts.length && !options.force) {
    return { ...result, ok: false, error: `${plan.conflicts.length} file(s) changed after checkpoint ${cp.id}; nothing was rolled back (force to overwrite; the current contents are saved first)` };
  }
  const touched = [...plan.restore, ...plan.remove].map((f) => f.path);
  if (options.force && plan.conflicts.length) {
    const saved = await createCheckpoint(storeDir, touched, { root: cp.root, label: `before forced rollback of ${cp.id}`, savedBeforeRollbackOf: cp.id, git: options.git });
    result.savedAs = saved.id;
  }
  for (const f of plan.restore) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    writeAtomic(f.path, fs.readFileSync(path.join(storeDir, cp.id, 'files', f.blob!)), f.mode ?? undefined);
    result.restored.push(f.path);
  }
  for (const f of plan.remove) {
    fs.rmSync(f.path, { force: true });
    result.deleted.push(f.path);
  }
  if (result.savedAs) markApplied(storeDir, result.savedAs);
  cp.state = 'rolled-back';
  cp.rolledBackAt = new Date().toISOString();
  save(storeDir, cp);
  return result;
}
