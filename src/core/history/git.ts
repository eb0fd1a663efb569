// Git commit and dirty flag of a folder, so a stored run says which code it measured.
import { execFile } from 'child_process';

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000 }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

/** undefined when the folder is not in a git repository (or git is missing). */
export async function gitState(cwd: string): Promise<{ commit: string; dirty: boolean; branch?: string } | undefined> {
  const commit = await git(cwd, ['rev-parse', 'HEAD']);
  if (!commit) return undefined;
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  const branch = await git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return { commit, dirty: !!status, branch: branch && branch !== 'HEAD' ? branch : undefined };
}
