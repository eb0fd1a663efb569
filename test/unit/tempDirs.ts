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
