// "Before" as a git ref: the ref checked out into a temporary `git worktree` (detached), with the
// workspace's node_modules symlinked in and its submodules checked out from the local clones,
// removed afterwards whatever happens.
//
// Each worktree is locked with a reason naming the Hotpath process that made it (pid and start
// time), so a worktree left by a Hotpath that was killed is recognised for sure: the next
// comparison in the repository removes the locked Hotpath worktrees whose process is gone, and
// says so. Worktrees Hotpath did not make are never touched.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { currentOwner, ownerAlive } from '../history/owner';

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')}: ${(stderr || err.message).trim()}`));
      else resolve(stdout.trim());
    });
  });
}

const LOCK_REASON = 'hotpath compare --ref temporary worktree';
const OWNER_RE = new RegExp(`^${LOCK_REASON} \\(pid (\\d+), start (\\S+)\\)$`);

/** The lock reason of a worktree this process makes. */
function lockReason(): string {
  const me = currentOwner();
  return `${LOCK_REASON} (pid ${me.pid}, start ${me.start})`;
}

/**
 * Removes the temporary worktrees of Hotpath processes that are gone (killed mid-comparison):
 * locked with Hotpath's reason, owner not running. Returns one line per worktree removed.
 */
export async function pruneStaleWorktrees(top: string): Promise<string[]> {
  const list = await git(top, ['worktree', 'list', '--porcelain']).catch(() => '');
  const removed: string[] = [];
  for (const entry of list.split(/\n\s*\n/)) {
    const wt = /^worktree (.+)$/m.exec(entry)?.[1];
    const owner = OWNER_RE.exec(/^locked (.+)$/m.exec(entry)?.[1] ?? '');
    if (!wt || !owner || ownerAlive({ pid: Number(owner[1]), start: owner[2] })) continue;
    await git(top, ['worktree', 'unlock', wt]).catch(() => undefined);
    await git(top, ['worktree', 'remove', '--force', wt]).catch(() => undefined);
    // Its temporary parent folder (hotpath-ref-*), only when the layout is Hotpath's own.
    const parent = path.dirname(wt);
    if (path.basename(wt) === 'tree' && path.basename(parent).startsWith('hotpath-ref-')) fs.rmSync(parent, { recursive: true, force: true });
    removed.push(`removed a temporary worktree left by an interrupted Hotpath comparison (pid ${owner[1]}, no longer running): ${wt}`);
  }
  if (removed.length) await git(top, ['worktree', 'prune']).catch(() => undefined);
  return removed;
}

/**
 * Checks out the submodules that are checked out in the workspace (`top/<path>` is a git
 * checkout) in the worktree at the commits the ref records, cloned from those local checkouts
 * (no network; the repository's config is not changed: the URL is given for this command only).
 */
async function checkoutSubmodules(top: string, root: string, ref: string): Promise<string[]> {
  if (!fs.existsSync(path.join(root, '.gitmodules'))) return [];
  const lines = await git(root, ['config', '-f', '.gitmodules', '--get-regexp', '^submodule\\..*\\.path$']).catch(() => '');
  const done: string[] = [];
  for (const line of lines.split('\n').filter(Boolean)) {
    const space = line.indexOf(' ');
    const name = line.slice('submodule.'.length, space - '.path'.length);
    const sub = line.slice(space + 1);
    const local = path.join(top, sub);
    if (!fs.existsSync(path.join(local, '.git'))) continue; // not checked out in the workspace either
    try {
      await git(root, ['-c', 'protocol.file.allow=always', '-c', `submodule.${name}.url=${local}`, 'submodule', 'update', '--init', '--', sub]);
      done.push(sub);
    } catch (err) {
      const why = (err as Error).message.split('\n').filter(Boolean).pop() ?? '';
      throw new Error(`the submodule ${sub} could not be checked out at ${ref} in the temporary worktree from the local clone ${local} (${why}); fetch it there (\`git -C ${sub} fetch\`) and try again`);
    }
  }
  return done;
}

export interface RefWorktree {
  /** The folder matching `workspace` inside the worktree (run the "before" command here). */
  cwd: string;
  /** Root of the temporary worktree. */
  root: string;
  /** The commit the ref resolved to. */
  commit: string;
  ref: string;
  /** node_modules folders symlinked from the workspace, relative to the repository root. */
  linked: string[];
  /** Submodules checked out in the worktree (paths relative to the repository root). */
  submodules: string[];
  /** What was tidied up first: stale worktrees of killed Hotpath processes removed. */
  notes: string[];
  /** Removes the worktree (git worktree remove --force, then the folder, then prune). Safe to call twice. */
  remove(): Promise<void>;
}

/** Checks `ref` out into a temporary worktree of the repository holding `workspace`. */
export async function createRefWorktree(workspace: string, ref: string): Promise<RefWorktree> {
  const top = await git(workspace, ['rev-parse', '--show-toplevel']);
  const commit = await git(workspace, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new Error(`'${ref}' is not a commit in the repository at ${top}`);
  });
  const notes = await pruneStaleWorktrees(top);
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ref-'));
  const root = path.join(parent, 'tree');
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    await git(top, ['worktree', 'unlock', root]).catch(() => undefined);
    // git refuses to remove a worktree with submodules: the folder is deleted, then pruned.
    await git(top, ['worktree', 'remove', '--force', root]).catch(() => undefined);
    fs.rmSync(parent, { recursive: true, force: true });
    await git(top, ['worktree', 'prune']).catch(() => undefined);
  };
  try {
    await git(top, ['worktree', 'add', '--detach', '--lock', '--reason', lockReason(), root, commit]);
    const submodules = await checkoutSubmodules(top, root, ref);
    const rel = path.relative(fs.realpathSync(top), fs.realpathSync(workspace));
    const linked: string[] = [];
    for (const dir of new Set(['', rel])) {
      const from = path.join(top, dir, 'node_modules');
      const to = path.join(root, dir, 'node_modules');
      if (fs.existsSync(from) && fs.existsSync(path.dirname(to)) && !fs.existsSync(to)) {
        fs.symlinkSync(from, to, 'junction');
        linked.push(path.join(dir, 'node_modules'));
      }
    }
    const cwd = path.join(root, rel);
    if (!fs.existsSync(cwd)) throw new Error(`${rel || '.'} does not exist at ${ref}`);
    return { cwd, root, commit, ref, linked, submodules, notes, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

/** Runs `fn` with a worktree of `ref`; the worktree is removed afterwards, also on error or cancel. */
export async function withRefWorktree<T>(workspace: string, ref: string, fn: (wt: RefWorktree) => Promise<T>): Promise<T> {
  const wt = await createRefWorktree(workspace, ref);
  const onExit = () => { try { fs.rmSync(path.dirname(wt.root), { recursive: true, force: true }); } catch { /* best effort */ } };
  process.on('exit', onExit);
  try {
    return await fn(wt);
  } finally {
    process.removeListener('exit', onExit);
    await wt.remove();
  }
}
