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
import { CheckpointRefused, blobPath, isPlainName, outsideReason, realLocation, relativeInside, storeOwner, writeTarget } from './guard';
import { lockStore, StoreLocked } from './lock';
import { removeStaleTemps, syncFiles, writeFileAtomic, writeFilesAtomic } from './write';
import { ensureStoreDir } from '../hotpathDir';

export { CheckpointRefused, relativeInside, storeOwner } from './guard';

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
  /** What the batch was about to write (recorded before it wrote): lets rollback recover a batch interrupted half-way. */
  intended?: { exists: boolean; sha256: string | null };
  /** The file was a symbolic link with this target: the batch wrote through it, rollback keeps it a link. */
  link?: string;
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

type FileState = { exists: boolean; sha256: string | null; folder?: boolean };

function current(file: string): FileState {
  try {
    return { exists: true, sha256: sha256(fs.readFileSync(file)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false, sha256: null };
    if (code === 'EISDIR') return { exists: true, sha256: null, folder: true };
    throw err;
  }
}

/**
 * The on-disk form: paths relative to the root (also with `..` when outside the root but inside the
 * store's folder); the root relative to the store when they move together: the store is inside the
 * root, or the root is inside the folder holding the store's `.hotpath` (a package of the
 * repository whose top holds the store). Else the root stays absolute.
 */
function save(storeDir: string, cp: Checkpoint): void {
  const store = path.resolve(storeDir);
  const hotpathOwner = path.basename(path.dirname(store)) === '.hotpath' ? path.dirname(path.dirname(store)) : undefined;
  const together = relativeInside(cp.root, store) !== undefined || (hotpathOwner !== undefined && relativeInside(hotpathOwner, cp.root) !== undefined);
  const rootFromStore = together ? portable(path.relative(store, cp.root)) : undefined;
  const owner = storeOwner(store);
  const { version: _v, root, files, ...rest } = cp;
  const disk = {
    version: VERSION, ...rest, root, ...(rootFromStore !== undefined ? { rootFromStore } : {}),
    files: files.map((f) => ({ ...f, path: relativeInside(owner, f.path) !== undefined ? portable(path.relative(root, f.path)) : f.path })),
  };
  writeFileAtomic(path.join(storeDir, cp.id, META), JSON.stringify(disk, null, 2));
  cp.version = VERSION;
}

function newId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Throws CheckpointRefused when `root` or a file is somewhere a checkpoint in `storeDir` may not touch. */
function checkPlace(storeDir: string, root: string, files: string[]): void {
  const owner = storeOwner(storeDir);
  const ownerReal = realLocation(owner);
  const rootReal = realLocation(root);
  if (relativeInside(ownerReal, rootReal) === undefined) {
    throw new CheckpointRefused(`its folder ${root} is outside ${owner}, the folder holding the store ${storeDir}; a checkpoint only restores files inside that folder`);
  }
  for (const f of files) {
    const why = outsideReason(owner, f, ownerReal);
    if (why) throw new CheckpointRefused(`${relativeInside(root, f) !== undefined ? portable(path.relative(root, f)) : f} ${why}`);
  }
}

export interface CreateCheckpointOptions {
  root: string;
  label?: string;
  savedBeforeRollbackOf?: string;
  git?: boolean;
  /**
   * The content the batch is about to write, per file (absolute path; null: the batch deletes it).
   * Recorded so that rollback of a batch interrupted half-way (still 'open') can tell the batch's
   * own writes from later edits.
   */
  intended?: Map<string, Buffer | string | null>;
}

/**
 * Snapshots `files` (absolute or relative to `root`; missing ones are recorded as to-be-created).
 * Throws CheckpointRefused, creating nothing, when the root or a file is outside the folder
 * holding the store (or inside `.git`/`.hotpath`): rollback would refuse such a checkpoint.
 */
export async function createCheckpoint(storeDir: string, files: string[], options: CreateCheckpointOptions): Promise<Checkpoint> {
  const unique = [...new Set(files.map((f) => path.resolve(options.root, f)))];
  checkPlace(storeDir, options.root, unique);
  const id = newId();
  const dir = path.join(storeDir, id);
  ensureStoreDir(path.join(dir, 'files'));
  const entries: CheckpointFile[] = [];
  unique.forEach((file, i) => {
    let buf: Buffer | undefined;
    let mode: number | null = null;
    let link: string | undefined;
    try {
      if (fs.lstatSync(file).isSymbolicLink()) link = fs.readlinkSync(file);
      buf = fs.readFileSync(file);
      mode = fs.statSync(file).mode & 0o777;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    }
    const blob = buf ? String(i) : null;
    if (buf) fs.writeFileSync(path.join(dir, 'files', blob!), buf);
    const planned = options.intended?.get(file);
    const intended = planned === undefined ? undefined
      : { exists: planned !== null, sha256: planned === null ? null : sha256(typeof planned === 'string' ? Buffer.from(planned, 'utf8') : planned) };
    entries.push({
      path: file, existed: !!buf, sha256: buf ? sha256(buf) : null, size: buf ? buf.length : null, mode, blob,
      ...(link !== undefined ? { link } : {}), ...(intended ? { intended } : {}),
    });
  });
  // The saved copies are on disk before any file is changed (a crash must not lose both).
  await syncFiles(entries.filter((e) => e.blob).map((e) => path.join(dir, 'files', e.blob!)));
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

const isHex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStateOf = (v: unknown) => typeof v === 'object' && v !== null && typeof (v as FileState).exists === 'boolean'
  && ((v as FileState).sha256 === null || isHex((v as FileState).sha256));

/** Why a manifest's file entry is malformed (undefined: well formed). */
function malformed(f: unknown): string | undefined {
  if (typeof f !== 'object' || f === null) return 'a file entry is not an object';
  const e = f as Record<string, unknown>;
  if (typeof e.path !== 'string' || !e.path || e.path.includes('\0')) return 'a file entry has no path';
  const name = JSON.stringify(e.path);
  if (typeof e.existed !== 'boolean') return `${name}: 'existed' is not true or false`;
  if (e.existed && e.blob !== null && !isPlainName(e.blob)) return `${name}: blob ${JSON.stringify(e.blob)} is not a plain file name inside the checkpoint's files/ folder`;
  if (e.existed ? !isHex(e.sha256) || !isPlainName(e.blob) : e.sha256 !== null || e.blob !== null) return `${name}: its sha256 and blob do not match 'existed'`;
  if (e.mode !== null && e.mode !== undefined && !(isCount(e.mode) && (e.mode as number) <= 0o7777)) return `${name}: mode ${JSON.stringify(e.mode)} is not a file mode`;
  if (e.size !== null && e.size !== undefined && !isCount(e.size)) return `${name}: size is not a byte count`;
  if (e.after !== undefined && !isStateOf(e.after)) return `${name}: 'after' is malformed`;
  if (e.intended !== undefined && !isStateOf(e.intended)) return `${name}: 'intended' is malformed`;
  if (e.link !== undefined && (typeof e.link !== 'string' || !e.link)) return `${name}: 'link' is not a link target`;
  return undefined;
}

/** A checkpoint id: one plain folder name inside the store. */
export const isCheckpointId = isPlainName;

/**
 * Reads a checkpoint (version 1 or 2) with its root and file paths absolute, as they are now.
 * Throws CheckpointRefused when anything it would write, delete or copy from is outside the folder
 * holding the store (links followed), inside `.git`/`.hotpath`, or a blob is not a plain file inside
 * its own `files/` folder (or is missing, or has another size than recorded). Blob contents are
 * checked against their sha256 by `rollback` (and the "before" copy) before anything is written.
 */
export function loadCheckpoint(storeDir: string, id: string): Checkpoint {
  if (!isCheckpointId(id)) throw new CheckpointRefused(`${JSON.stringify(id)} is not a checkpoint id (a folder name in the store)`);
  // Its folder is written to (the state after a rollback): a link would lead the write elsewhere.
  if (fs.lstatSync(path.join(storeDir, id), { throwIfNoEntry: false })?.isSymbolicLink()) throw new CheckpointRefused(`its folder ${id} is a link to ${realLocation(path.join(storeDir, id))}`);
  const raw = JSON.parse(fs.readFileSync(path.join(storeDir, id, META), 'utf8')) as Checkpoint & { rootFromStore?: unknown };
  if ((raw?.version !== 1 && raw?.version !== 2) || raw.id !== id || !Array.isArray(raw.files) || typeof raw.root !== 'string'
    || raw.files.some((f) => typeof f?.path !== 'string')) throw new Error('not a Hotpath checkpoint');
  const bad = raw.files.map(malformed).find(Boolean);
  if (bad) throw new CheckpointRefused(`malformed manifest: ${bad}`);
  const { rootFromStore, ...cp } = raw;
  if (rootFromStore !== undefined && typeof rootFromStore !== 'string') throw new CheckpointRefused('malformed manifest: rootFromStore is not a path');
  const root = raw.version >= 2 && typeof rootFromStore === 'string' ? path.resolve(storeDir, rootFromStore) : raw.root;
  if (!path.isAbsolute(root)) throw new CheckpointRefused(`its root ${JSON.stringify(root)} is not an absolute path`);
  const files = raw.files.map((f) => ({ ...f, path: path.isAbsolute(f.path) ? path.normalize(f.path) : path.resolve(root, f.path) }));
  checkPlace(storeDir, root, files.map((f) => f.path));
  const owner = storeOwner(storeDir);
  for (const f of files) {
    if (f.link !== undefined) {
      const why = outsideReason(owner, path.resolve(path.dirname(f.path), f.link));
      if (why) throw new CheckpointRefused(`${f.path} was a link to ${f.link}, which ${why}`);
    }
    if (!f.existed) continue;
    const blob = fs.lstatSync(blobPath(storeDir, id, f.blob));
    if (typeof f.size === 'number' && blob.size !== f.size) throw new CheckpointRefused(`its saved copy of ${f.path} (files/${f.blob}) has ${blob.size} bytes, not the ${f.size} recorded`);
  }
  return { ...cp, root, files };
}

/**
 * The saved contents of every file the checkpoint restores, each checked against its recorded
 * sha256. Throws CheckpointRefused (nothing written yet) when one is missing or differs.
 */
export function verifiedBlobs(storeDir: string, cp: Checkpoint): Map<CheckpointFile, Buffer> {
  const out = new Map<CheckpointFile, Buffer>();
  for (const f of cp.files) {
    if (!f.existed) continue;
    const buf = fs.readFileSync(blobPath(storeDir, cp.id, f.blob));
    if (sha256(buf) !== f.sha256) throw new CheckpointRefused(`its saved copy of ${path.relative(cp.root, f.path) || f.path} (files/${f.blob}) is corrupted: its sha256 is not the one recorded`);
    out.set(f, buf);
  }
  return out;
}

/**
 * Records the files' state after the batch, so rollback can tell later edits apart. With
 * `nothingApplied` (a checkpoint taken by hand, no batch follows), that state is the snapshot's
 * own: an edit landing between the snapshot and this call is the user's, and rollback names it
 * as a conflict instead of taking it for the checkpoint's state.
 */
export function markApplied(storeDir: string, id: string, options: { nothingApplied?: boolean } = {}): Checkpoint {
  const cp = loadCheckpoint(storeDir, id);
  for (const f of cp.files) {
    const now = options.nothingApplied ? { exists: f.existed, sha256: f.existed ? f.sha256 : null } : current(f.path);
    f.after = { exists: now.exists, sha256: now.sha256 };
  }
  cp.state = 'applied';
  cp.appliedAt = new Date().toISOString();
  save(storeDir, cp);
  return cp;
}

/** Readable checkpoints, newest first; damaged or refused entries are reported in `warnings`. */
export function listCheckpoints(storeDir: string): { checkpoints: Checkpoint[]; warnings: string[] } {
  const r = listStore(storeDir, { what: 'checkpoint', entries: 'dirs', read: (id) => loadCheckpoint(storeDir, id), missing: `no ${META} (unfinished checkpoint)` });
  return { checkpoints: r.items, warnings: r.warnings };
}

const same = (a: FileState, b: { exists: boolean; sha256: string | null }) => a.exists === b.exists && a.sha256 === b.sha256;

/** What rollback would do to each file: nothing (already as before), restore, delete, or conflict. */
export function planRollback(cp: Checkpoint): { restore: CheckpointFile[]; remove: CheckpointFile[]; unchanged: CheckpointFile[]; conflicts: Conflict[] } {
  const plan = { restore: [] as CheckpointFile[], remove: [] as CheckpointFile[], unchanged: [] as CheckpointFile[], conflicts: [] as Conflict[] };
  for (const f of cp.files) {
    const now = current(f.path);
    const before = { exists: f.existed, sha256: f.sha256 };
    const linkLost = f.link !== undefined && !isLink(f.path);
    if (same(now, before) && !linkLost) { plan.unchanged.push(f); continue; }
    (f.existed ? plan.restore : plan.remove).push(f);
    if (now.folder) plan.conflicts.push({ path: f.path, reason: 'is a folder now' });
    else if (cp.state === 'rolled-back') plan.conflicts.push({ path: f.path, reason: `changed since the rollback on ${cp.rolledBackAt}` });
    else if (cp.state === 'open' && f.intended) {
      // An interrupted batch: each file holds its content before the batch or the one the batch wrote.
      if (!same(now, f.intended)) plan.conflicts.push({ path: f.path, reason: 'holds neither its content before the batch nor the one the batch wrote' });
    } else if (!f.after) plan.conflicts.push({ path: f.path, reason: 'the batch was never marked applied, so its changes cannot be told apart from later edits' });
    else if (!same(now, f.after)) {
      plan.conflicts.push({ path: f.path, reason: !now.exists ? 'deleted after the batch was applied' : f.after.exists ? 'edited after the batch was applied' : 'created again after the batch deleted it' });
    }
  }
  return plan;
}

function isLink(p: string): boolean {
  try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; }
}

/**
 * The checkpoint rollback takes when no id is given: the newest one not rolled back. A refused
 * checkpoint newer than it stops the choice (so another one is never rolled back in its place
 * without the user naming it); unreadable ones (unfinished, damaged) are passed over as before.
 */
function latest(storeDir: string): Checkpoint | string {
  let names: string[] = [];
  try { names = fs.readdirSync(storeDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().reverse(); } catch { /* no store */ }
  for (const name of names) {
    try {
      const cp = loadCheckpoint(storeDir, name);
      if (cp.state !== 'rolled-back') return cp;
    } catch (err) {
      if (err instanceof CheckpointRefused) return `checkpoint ${name} ${err.message}; nothing was written or deleted (\`hotpath checkpoints\` lists the others; roll one back by its id)`;
    }
  }
  return `no checkpoint to roll back in ${storeDir}`;
}

/**
 * Restores checkpoint `id` (default: the newest one not rolled back). Refuses, touching nothing,
 * when files changed after the batch, unless `force`; a forced rollback first saves the current
 * contents as a new checkpoint (`savedAs`), marked applied, so `rollback(savedAs)` undoes it.
 * A checkpoint whose manifest reaches outside its folder, or whose saved copies are missing or
 * corrupted, is refused whole (also when forced) before anything is written. A batch interrupted
 * half-way (still 'open', with the content it meant to write recorded) rolls back without force
 * when each file holds its content before the batch or the one the batch wrote. Holds the store's
 * lock (see lockStore) while it reads and writes.
 */
export async function rollback(storeDir: string, id?: string, options: { force?: boolean; git?: boolean; lockWaitMs?: number } = {}): Promise<RollbackResult> {
  const empty = { restored: [], deleted: [], unchanged: [], conflicts: [] };
  if (!fs.existsSync(storeDir)) return { ok: false, id: id ?? '', ...empty, error: id ? `no checkpoint ${id} in ${storeDir}` : `no checkpoint to roll back in ${storeDir}` };
  let release: () => void;
  try {
    release = await lockStore(storeDir, { waitMs: options.lockWaitMs, what: 'rollback' });
  } catch (err) {
    if (err instanceof StoreLocked) return { ok: false, id: id ?? '', ...empty, error: err.message };
    throw err;
  }
  try {
    return await rollbackHeld(storeDir, id, options);
  } finally {
    release();
  }
}

/** `rollback` for a caller that already holds the store's lock (a batch rolling itself back). */
export async function rollbackHeld(storeDir: string, id?: string, options: { force?: boolean; git?: boolean } = {}): Promise<RollbackResult> {
  const empty = { restored: [], deleted: [], unchanged: [], conflicts: [] };
  let cp: Checkpoint | undefined;
  let blobs: Map<CheckpointFile, Buffer>;
  try {
    if (id) cp = loadCheckpoint(storeDir, id);
    else {
      const found = latest(storeDir);
      if (typeof found === 'string') return { ok: false, id: '', ...empty, error: found };
      cp = found;
    }
    blobs = verifiedBlobs(storeDir, cp);
  } catch (err) {
    const name = id ?? cp?.id ?? '';
    if (err instanceof CheckpointRefused) return { ok: false, id: name, ...empty, error: `checkpoint ${name} ${err.message}; nothing was written or deleted` };
    return { ok: false, id: name, ...empty, error: `checkpoint ${name} cannot be read: ${(err as Error).message}` };
  }
  const plan = planRollback(cp);
  const result: RollbackResult = { ok: true, id: cp.id, restored: [], deleted: [], unchanged: plan.unchanged.map((f) => f.path), conflicts: plan.conflicts };
  const folders = plan.conflicts.filter((c) => c.reason === 'is a folder now');
  if (folders.length) return { ...result, ok: false, error: `${folders.length} file(s) of checkpoint ${cp.id} are folders now; nothing was rolled back` };
  if (plan.conflicts.length && !options.force) {
    return { ...result, ok: false, error: `${plan.conflicts.length} file(s) changed after checkpoint ${cp.id}; nothing was rolled back (force to overwrite; the current contents are saved first)` };
  }
  const touched = [...plan.restore, ...plan.remove].map((f) => f.path);
  if (options.force && plan.conflicts.length) {
    const saved = await createCheckpoint(storeDir, touched, { root: cp.root, label: `before forced rollback of ${cp.id}`, savedBeforeRollbackOf: cp.id, git: options.git });
    result.savedAs = saved.id;
  }
  const writes = new Map<string, { file: string; data: Buffer; mode?: number }>();
  for (const f of plan.restore) {
    const file = restoreLink(f) ?? writeTarget(f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // A link and its target both in the checkpoint are one file: written once.
    if (!writes.has(file)) writes.set(file, { file, data: blobs.get(f)!, mode: f.mode ?? undefined });
  }
  await writeFilesAtomic([...writes.values()]);
  result.restored.push(...plan.restore.map((f) => f.path));
  for (const f of plan.remove) {
    fs.rmSync(f.path, { force: true });
    result.deleted.push(f.path);
  }
  removeStaleTemps(cp.files.map((f) => writeTarget(f.path)));
  if (result.savedAs) markApplied(storeDir, result.savedAs);
  cp.state = 'rolled-back';
  cp.rolledBackAt = new Date().toISOString();
  save(storeDir, cp);
  return result;
}

/**
 * A file that was a link before the batch and is a plain file now (replaced by some tool) is a link
 * again: the link is recreated and its target is where the content goes. Undefined otherwise.
 */
function restoreLink(f: CheckpointFile): string | undefined {
  if (f.link === undefined || isLink(f.path)) return undefined;
  fs.rmSync(f.path, { force: true });
  fs.mkdirSync(path.dirname(f.path), { recursive: true });
  fs.symlinkSync(f.link, f.path);
  return realLocation(f.path);
}
