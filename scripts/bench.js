// `npm run bench [-- name ...]`: runs every bench/*.bench.{js,ts} (or the named ones) one after
// another, each in its own Node process so that one benchmark's heap and JIT state cannot skew
// the next. Each benchmark prints its own ratios against a baseline measured in the same run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const benchDir = path.join(root, 'bench');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = fs.readdirSync(benchDir)
  .filter((f) => /\.bench\.(js|ts)$/.test(f))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

if (files.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ') || '(any)'} in bench/.`);
  process.exit(2);
}

// Benchmarks run the built CLI, preload and webview bundles.
const build = spawnSync(process.execPath, [path.join(root, 'esbuild.js'), '--quiet'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const args = file.endsWith('.ts') ? ['--import', 'tsx', path.join(benchDir, file)] : [path.join(benchDir, file)];
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--expose-gc', ...args], { stdio: 'inherit', cwd: root });
  console.log(`--- ${file}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
