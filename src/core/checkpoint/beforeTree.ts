// "Before" as a checkpoint: a temporary copy of the workspace with the checkpoint's files put
// back to their content before the batch (files the batch created are left out), node_modules
// folders symlinked rather than copied. Then the same interleaved A/B run as `benchmarkRef`,
// with the copy as "before" and the working tree as "after". Works without git, and the copy
// keeps uncommitted and untracked files, which a worktree of HEAD would not. With `build`, the
// build command runs once in the copy (and optionally in the working tree) before any measured run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gitState } from '../history/git';
import {
  buildBoth, compareBench, defaultBenchStore, newBenchId, profilePair, runAB, saveBench, targetNodeVersion, toBenchRecord, treeMap,
  type CommandSpec, type RefBenchmarkOptions, type RefBenchmarkResult,
} from '../bench';
import { realLocation } from './guard';
import { loadCheckpoint, relativeInside, verifiedBlobs, type Checkpoint } from './index';

/** Folders never copied: VCS data, Hotpath's own store (bench results, checkpoints, runs). */
const SKIP = new Set(['.git', '.hotpath', '.hg', '.svn']);

export interface BeforeTree {
  /** Root of the copy (matches the checkpoint's root). */
  root: string;
  /** node_modules folders symlinked from the workspace, relative to the root. */
  linked: string[];
  /** Files written back to their checkpoint content, and files the batch created (left out). */
  restored: string[];
  removed: string[];
  /** Where `dir` (inside the checkpoint's root) is in the copy. */
  map(dir: string): string;
  remove(): void;
}

export interface BeforeTreeOptions {
  /** Refuse to copy more files than this (default 50 000): a copy is meant for source trees. */
  maxFiles?: number;
}

/** Copies the checkpoint's root with its files as they were before the batch. */
export function createBeforeTree(checkpoint: Checkpoint, storeDir: string, options: BeforeTreeOptions = {}): BeforeTree {
  const maxFiles = options.maxFiles ?? 50_000;
  const src = path.resolve(checkpoint.root);
  // The saved contents are checked (sha256) before anything is copied.
  const blobs = verifiedBlobs(storeDir, checkpoint);
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-checkpoint-'));
  const root = path.join(parent, path.basename(src) || 'tree');
  const remove = () => fs.rmSync(parent, { recursive: true, force: true });
  const modules: string[] = [];
  let files = 0;
  try {
    fs.cpSync(src, root, {
      recursive: true, verbatimSymlinks: true, errorOnExist: false,
      filter: (from) => {
        const name = path.basename(from);
        if (from !== src && SKIP.has(name)) return false;
        let st: fs.Stats;
        try {
          st = fs.lstatSync(from);
        } catch {
          return false; // vanished while copying
        }
        if (name === 'node_modules' && st.isDirectory()) {
          modules.push(path.relative(src, from));
          return false;
        }
        if (!st.isDirectory() && !st.isFile() && !st.isSymbolicLink()) return false; // sockets, fifos
        if (!st.isDirectory() && ++files > maxFiles) throw new Error(`the workspace has more than ${maxFiles} files to copy; benchmark against a git ref instead`);
        return true;
      },
    });
    const restored: string[] = [];
    const removed: string[] = [];
    // Every write stays inside the copy: a file is placed where it really is in the workspace (links followed), and a folder of the
    // copy that is a link (copied as it was) must not lead out of the copy.
    const srcReal = realLocation(src);
    const copyReal = fs.realpathSync(root);
    for (const f of checkpoint.files) {
      const rel = relativeInside(srcReal, realLocation(f.path));
      if (!rel) throw new Error(`${f.path} is outside the checkpoint's folder ${src}`);
      const to = path.join(root, rel);
      if (relativeInside(copyReal, realLocation(path.dirname(to))) === undefined) throw new Error(`${rel} is behind a link that leads out of the copy of ${src}`);
      const isLink = fs.lstatSync(to, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
      if (f.existed) {
        fs.mkdirSync(path.dirname(to), { recursive: true });
        if (isLink) fs.rmSync(to);
        fs.writeFileSync(to, blobs.get(f)!);
        if (f.mode !== null) fs.chmodSync(to, f.mode & 0o777);
        restored.push(rel);
      } else if (isLink || fs.existsSync(to)) {
        fs.rmSync(to, { force: true });
        removed.push(rel);
      }
    }
    const linked: string[] = [];
    for (const rel of modules) {
      const to = path.join(root, rel);
      if (fs.existsSync(path.dirname(to)) && !fs.existsSync(to)) {
        fs.symlinkSync(path.join(src, rel), to, 'junction');
        linked.push(rel);
      }
    }
    return {
      root, linked, restored, removed, remove,
      map(dir: string) {
        const rel = relativeInside(src, path.resolve(dir));
        if (rel === undefined) throw new Error(`${dir} is outside the checkpoint's folder ${src}`);
        return path.join(root, rel);
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}

export interface CheckpointBenchmarkResult extends RefBenchmarkResult {
  checkpoint: Checkpoint;
}

/**
 * Runs `spec` in a copy of the workspace as it was at checkpoint `id` ("before") and in the
 * working tree ("after"), interleaved; stores both records (paired, the "before" one with
 * `ref: "checkpoint <id>"`) and compares them. With `options.build`, the build runs first in the
 * copy (and in the working tree with `build.workingTree`); a failed build rejects with BuildError.
 * The copy is removed afterwards, also on error, build failure or cancel.
 */
export async function benchmarkCheckpoint(spec: CommandSpec, checkpointStore: string, id: string, options: RefBenchmarkOptions = {}): Promise<CheckpointBenchmarkResult> {
  const checkpoint = loadCheckpoint(checkpointStore, id);
  const o = { ...options, runs: options.runs ?? 10, warmup: options.warmup ?? 1 };
  const created = new Date();
  const [git, nodeV] = await Promise.all([gitState(spec.cwd), targetNodeVersion(spec.cwd, spec.env)]);
  const ids = { before: newBenchId(created), after: newBenchId(new Date(created.getTime() + 1)) };
  const order = options.order ?? 'alternate';
  const tree = createBeforeTree(checkpoint, checkpointStore);
  const onExit = () => tree.remove();
  process.on('exit', onExit);
  try {
    const beforeSpec = { ...spec, cwd: tree.map(spec.cwd) };
    const built = await buildBoth(options.build, { cwd: beforeSpec.cwd, side: 'checkpoint', where: `copy of checkpoint ${checkpoint.id}` }, spec, options);
    const ab = await runAB(beforeSpec, spec, o);
    const common = { createdAt: created.toISOString(), nodeVersion: nodeV, workspace: spec.cwd };
    const before = toBenchRecord(beforeSpec, ab.before, o, {
      ...common, id: ids.before, ref: `checkpoint ${checkpoint.id}`, pair: { role: 'before', other: ids.after, order }, build: built.before,
      ...(checkpoint.git ? { git: { commit: checkpoint.git.head, dirty: checkpoint.git.dirty, ...(checkpoint.git.branch ? { branch: checkpoint.git.branch } : {}) } } : {}),
    });
    const after = toBenchRecord(spec, ab.after, o, { ...common, id: ids.after, ...(git ? { git } : {}), pair: { role: 'after', other: ids.before, order }, build: built.after });
    const metric = options.metric ?? 'wall';
    const comparison = compareBench(before, after, metric, options.compare);
    const store = options.storeDir ?? defaultBenchStore(spec.cwd);
    const saved = options.save === false ? { before, after } : { before: { ...before, file: saveBench(store, before) }, after: { ...after, file: saveBench(store, after) } };
    // Profiled runs only now, after the timed runs are stored, in the copy before it is removed.
    const profile = await profilePair(beforeSpec, spec, treeMap(tree.root, beforeSpec.cwd, spec.cwd), ids, options);
    return { ...saved, comparison, metric, checkpoint, ...(profile ? { profile } : {}) };
  } finally {
    process.removeListener('exit', onExit);
    tree.remove();
  }
}
