// `npm run demo`: the main job on the bundled demo workspace (demo/). Profiles it (CPU, heap
// allocations and module load time, every Node process), prints the top functions, writes a
// self-contained HTML report with the flame graphs, then ranks the demo's modules and lists the
// fixes Hotpath would offer. Everything goes through the real CLI (dist/cli.js).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const demo = path.join(root, 'demo');
const outDir = path.join(demo, '.hotpath', 'demo-run');
const report = path.join(demo, '.hotpath', 'demo-report.html');

function step(title, args, { allowFail = false } = {}) {
  console.log(`\n\x1b[1m== ${title}\x1b[0m\n$ hotpath ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { cwd: demo, stdio: 'inherit' });
  if (r.status !== 0 && !allowFail) {
    console.error(`\nThe demo stopped: \`hotpath ${args[0]}\` exited with ${r.status ?? r.signal}.`);
    process.exit(r.status || 1);
  }
}

const build = spawnSync(process.execPath, [path.join(root, 'esbuild.js'), '--quiet'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status || 1);
fs.rmSync(outDir, { recursive: true, force: true });

step('Profile the demo (CPU + heap + import time, every Node process)', ['profile', '--cpu', '--heap', '--imports', '--no-save', '--out', path.relative(demo, outDir), '--', 'node', 'src/main.js']);
step('Write the HTML report with the flame graphs', ['report', '--run', path.relative(demo, outDir), '--out', path.relative(demo, report), '--title', 'Hotpath demo']);
step('Rank the modules by optimization potential (measured data from the run)', ['rank', '.', '--profile', path.relative(demo, outDir), '--top', '5'], { allowFail: true });
step('Fixes Hotpath offers, with the load times measured in the run (nothing is changed without --apply)', ['fixes', '.', '--profile', path.relative(demo, outDir)], { allowFail: true });

console.log(`\nReport: ${report}\nOpen it in a browser; in VS Code run "Hotpath: Profile…" on the demo folder for the same views in the editor.`);
