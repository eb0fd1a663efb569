// Hotpath's stores live in a `.hotpath` folder (runs, benchmarks, checkpoints). When Hotpath creates
// that folder it also writes `.hotpath/.gitignore` holding `*`, so nothing in it is committed by
// accident: a committed checkpoint is data another user would later roll back.
import * as fs from 'fs';
import * as path from 'path';

export const HOTPATH_DIR = '.hotpath';
const IGNORE = `# Written by Hotpath: its runs, benchmarks and checkpoints are not for version control.\n*\n`;

/** The run store of a workspace folder. */
export function runStoreOf(root: string): string {
  return path.join(root, HOTPATH_DIR, 'runs');
}

/** The nearest `.hotpath` folder at or above `dir` (by name), if any. */
function hotpathAbove(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (path.basename(d) === HOTPATH_DIR) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** `mkdir -p dir`; when that creates a `.hotpath` folder, writes its `.gitignore` (`*`). */
export function ensureStoreDir(dir: string): void {
  const top = hotpathAbove(dir);
  const creates = top !== undefined && !fs.existsSync(top);
  fs.mkdirSync(dir, { recursive: true });
  if (!creates) return;
  try {
    fs.writeFileSync(path.join(top, '.gitignore'), IGNORE, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
