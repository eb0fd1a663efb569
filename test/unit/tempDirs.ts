// Temporary folders of the unit tests: made under the OS temp folder and removed when the test
// process exits (set HOTPATH_KEEP_TEMP=1 to keep them for a look after a failure).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];

export function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hotpath-${name}-`));
  if (made.length === 0 && !process.env.HOTPATH_KEEP_TEMP) {
    process.on('exit', () => {
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  made.push(dir);
  return dir;
}

/**
 * `compare --ref`'s temporary worktree folders (hotpath-ref-*) of the repository in `repoDir`:
 * other tests on the machine make their own at the same time, so only this repository's count.
 */
export function refDirsOf(repoDir: string): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => {
    if (!n.startsWith('hotpath-ref-')) return false;
    try {
      return fs.readFileSync(path.join(os.tmpdir(), n, 'tree', '.git'), 'utf8').includes(repoDir);
    } catch {
      return false;
    }
  }).sort();
}

/**
 * Points TMPDIR (os.tmpdir() in this process and in every process a test starts) at a fresh
 * folder for the calling describe block, and restores it after: a test that checks Hotpath left
 * nothing in the temp folder then sees only its own, whatever other test files (parallel jobs)
 * or other users of the machine put there meanwhile. Call it first in the describe block.
 */
export function privateTmpdir(name: string): void {
  let saved: string | undefined;
  let dir = '';
  before(() => {
    saved = process.env.TMPDIR;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `hotpath-${name}-tmp-`));
    process.env.TMPDIR = dir;
  });
  after(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    if (!process.env.HOTPATH_KEEP_TEMP) fs.rmSync(dir, { recursive: true, force: true });
  });
}
