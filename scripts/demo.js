// `npm run demo`: the main job on the bundled demo workspace (demo/). Profiles it (CPU, heap
// allocations and module load time, every Node process), prints the top functions, writes a
// self-contained HTML report with the flame graphs, then ranks the demo's modules and lists the
// fixes Hotpath would offer; then closes the loop on a copy of the demo in a temporary git repo:
// applies the fixes (behind a checkpoint), measures HEAD against the fixed working tree
// (interleaved runs, medians with intervals, verdict), shows where the time moved (a profile diff
// of 5 profiled runs per side, after the timed runs) and rolls back in one step. Everything
// goes through the real CLI (dist/cli.js).
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const demo = path.join(root, 'demo');
const outDir = path.join(demo, '.hotpath', 'demo-run');
const report = path.join(demo, '.hotpath', 'demo-report.html');

function step(title, args, { allowFail = false, cwd = demo } = {}) {
  console.log(`\n\x1b[1m== ${title}\x1b[0m\n$ hotpath ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { cwd, stdio: 'inherit' });
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

// Close the loop on a copy (the demo itself stays as it is): a git repo whose HEAD is "before".
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-demo-'));
try {
  fs.cpSync(path.join(demo, 'src'), path.join(work, 'src'), { recursive: true });
  fs.copyFileSync(path.join(demo, 'package.json'), path.join(work, 'package.json'));
  fs.writeFileSync(path.join(work, '.gitignore'), 'node_modules\n.hotpath/\n');
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  const git = (...args) => execFileSync('git', ['-c', 'user.name=Hotpath demo', '-c', 'user.email=demo@hotpath.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: work, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'demo before the fixes');
  console.log(`\n\x1b[1m== Close the loop on a copy of the demo in a temporary git repo\x1b[0m (${work})`);
  // memoize only where a counting run of the demo shows repeated arguments (slugify: 50,000 calls
  // with 200 titles); the functions called once (sumOfSquareRoots, simulate) are not memoized.
  step('Count the calls of memoize candidates in one run, then apply the lazy-load fixes and the memoize fixes whose hit rate pays (the files are saved in a checkpoint first)',
    ['fixes', '.', '--apply', '--kind', 'lazy-import,memoize', '--calls', '--', 'node', 'src/main.js'], { cwd: work });
  step('Measure before (HEAD, in a temporary worktree) against after (the working tree), runs interleaved; then 5 profiled runs per side show where the time moved', ['compare', '--ref', 'HEAD', '--runs', '10', '--profile', '5', '--', 'node', 'src/main.js'], { cwd: work });
  step('Roll the fixes back in one step', ['rollback'], { cwd: work });
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`\nReport: ${report}\nOpen it in a browser; in VS Code run "Hotpath: Profile…" on the demo folder for the same views in the editor.`);
