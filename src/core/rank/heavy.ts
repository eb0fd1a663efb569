// The measured size of a package on disk; the known-heavy table itself is shared with the
// refactor engine (../knownHeavy).
import * as fs from 'fs';
import * as path from 'path';

export { knownHeavy, type HeavyInfo } from '../knownHeavy';

/** Stop counting after this many entries: the size is then a lower bound. */
const MAX_ENTRIES = 20_000;

export interface PackageSize {
  bytes: number;
  files: number;
  /** True when the count stopped at MAX_ENTRIES. */
  truncated: boolean;
  dir: string;
}

/** Finds `node_modules/<pkg>` from `fromDir` up to `root` (inclusive) and measures it. */
export function packageSize(pkg: string, fromDir: string, root: string, cache: Map<string, PackageSize | null>): PackageSize | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', pkg);
    const hit = cache.get(candidate);
    if (hit !== undefined) {
      if (hit) return hit;
    } else if (fs.existsSync(candidate)) {
      const size = measureDir(candidate);
      cache.set(candidate, size);
      return size;
    } else {
      cache.set(candidate, null);
    }
    const parent = path.dirname(dir);
    if (dir === root || parent === dir || !dir.startsWith(root)) return undefined;
    dir = parent;
  }
}

function measureDir(top: string): PackageSize {
  const size: PackageSize = { bytes: 0, files: 0, truncated: false, dir: top };
  const stack = [top];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (size.files >= MAX_ENTRIES) {
        size.truncated = true;
        return size;
      }
      const p = path.join(dir, e.name);
      if (e.isDirectory() || e.isSymbolicLink()) {
        // Nested node_modules belong to other packages.
        if (e.name !== 'node_modules') stack.push(p);
      } else if (e.isFile()) {
        try {
          size.bytes += fs.statSync(p).size;
          size.files++;
        } catch {
          // Vanished or unreadable: not counted.
        }
      }
    }
  }
  return size;
}
