// "Before" as a git ref: the ref checked out into a temporary `git worktree` (detached), with the
// workspace's node_modules symlinked in, removed afterwards whatever happens.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')}: ${(stderr || err.message).trim()}`));
      else resolve(stdout.trim());
    });
  });
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
  /** Removes the worktree (git worktree remove --force, then the folder, then prune). Safe to call twice. */
  remove(): Promise<void>;
}

/** Checks `ref` out into a temporary worktree of the repository holding `workspace`. */
export async function createRefWorktree(workspace: string, ref: string): Promise<RefWorktree> {
  const top = await git(workspace, ['rev-parse', '--show-toplevel']);
  const commit = await git(workspace, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new Error(`'${ref}' is not a commit in the repository at ${top}`);
  });
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ref-'));
  const root = path.join(parent, 'tree');
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    await git(top, ['worktree', 'remove', '--force', root]).catch(() => undefined);
    fs.rmSync(parent, { recursive: true, force: true });
    await git(top, ['worktree', 'prune']).catch(() => undefined);
  };
  try {
    await git(top, ['worktree', 'add', '--detach', root, commit]);
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
    return { cwd, root, commit, ref, linked, remove };
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
