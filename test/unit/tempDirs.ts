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
