// The bundles a test file runs, built in its before() hook: `node esbuild.js --only <targets>`.
// Under `npm test` (HOTPATH_PREBUILT, everything built first) esbuild.js returns at once; a test
// process builds each target once however many files ask for it (mocha runs many files per process).
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const built = new Set<string>();

/** `targets`: esbuild.js target names, comma-separated ('cli,preload'). */
export function buildOnly(targets: string): void {
  const missing = targets.split(',').filter((t) => !built.has(t));
  if (!missing.length) return;
  execFileSync(process.execPath, ['esbuild.js', '--only', missing.join(','), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  for (const t of missing) built.add(t);
}
