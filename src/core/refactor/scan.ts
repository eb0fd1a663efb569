// Lists the source files of a folder for `hotpath fixes` and the workspace-wide command:
// skips dependencies, build output, declaration files, minified and huge files.
import * as fs from 'fs';
import * as path from 'path';
import { isSourceFile } from './analyze';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'coverage', '.git', '.hotpath', '.vscode-test']);
const MAX_BYTES = 1_000_000;

export function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string): void => {
    let real: string;
    try { real = fs.realpathSync(dir); } catch { return; }
    if (seen.has(real)) return; // symlink loops
    seen.add(real);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && isDir(full))) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(full);
      } else if (isSourceFile(e.name) && !/\.min\.js$/.test(e.name)) {
        try { if (fs.statSync(full).size <= MAX_BYTES) out.push(full); } catch { /* unreadable: skip */ }
      }
    }
  };
  walk(root);
  return out;
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}
