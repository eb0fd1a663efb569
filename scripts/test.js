#!/usr/bin/env node
// `npm test`: every check the project has, in order, each timed (wall and CPU, with the load):
//   build, type-check (extension+core+cli and webview, side by side), unit tests (mocha, two
//   parallel jobs; then the slowest files and tests, from test/unit/timing.ts), the "core never
//   imports vscode" check, the packages (.vsix and the CLI's npm tarball, test/package), the VS
//   Code install (idempotent, cached), then the tests in a real VS Code (the packaged pass
//   installs the .vsix built here).
// Ends with one line `N passed, N failed[, N skipped]` summing all stages (build, type-check and
// the import check count as one check each) and exits non-zero when anything failed.
// HOTPATH_SKIP_VSCODE=1 skips the VS Code stages for quick local runs (CI never sets it);
// HOTPATH_UNIT_JOBS=N runs the unit tests in N parallel jobs (default 2; 1: serially).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const os = require('os');

const repo = path.resolve(__dirname, '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];
/** What each failing stage printed about its failures, repeated after the summary (CI shows the tail). */
const failureReports = [];
// Every stage after the build: the tests' own `node esbuild.js` calls are no-ops (esbuild.js),
// so parallel test files never rewrite a bundle another is running.
const prebuilt = { HOTPATH_PREBUILT: '1' };

/** CPU ms of the child processes this process has reaped (Linux /proc; null elsewhere). */
function childrenCpuMs() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return null;
  }
}
const load = () => os.loadavg()[0].toFixed(1);

/** Runs a command with live output; resolves with its exit code and everything it printed. */
function run(cmd, args, { env, timeoutMs = 30 * 60_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (stream) => (chunk) => { output += chunk; stream.write(chunk); };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    // SIGTERM first: test/vscode/run.js then still stops code-server and Chromium.
    const timer = setTimeout(() => {
      output += `\n[test] timed out after ${timeoutMs} ms\n`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    }, timeoutMs);
    child.on('error', (err) => { output += String(err); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 1 : 0), output }); });
  });
}

async function stage(name, fn) {
  console.log(`\n=== ${name}`);
  const t0 = Date.now();
  const cpu0 = childrenCpuMs();
  const load0 = load();
  let counts;
  try {
    counts = await fn();
  } catch (err) {
    console.error(`[test] ${name}: ${err.message}`);
    counts = { passed: 0, failed: 1, skipped: 0 };
  }
  const ms = Date.now() - t0;
  const cpu1 = childrenCpuMs();
  // The unit stage also says the CPU its test files used (timing files): mocha's parallel workers
  // are reaped by mocha, so their CPU is already in the reaped children's (adding both counted it
  // twice: 36.1 s reaped vs 32.9 s in the files for two files); the larger one, should a worker not be.
  const cpuMs = cpu0 === null || cpu1 === null ? null : Math.max(cpu1 - cpu0, counts.filesCpuMs ?? 0);
  for (const k of Object.keys(totals)) totals[k] += counts[k] ?? 0;
  timings.push({ name, ms, cpuMs, load: `${load0}-${load()}`, counts });
  console.log(`=== ${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''} in ${(ms / 1000).toFixed(1)} s${cpuMs === null ? '' : ` (CPU ${(cpuMs / 1000).toFixed(1)} s)`}, load ${load0}-${load()}`);
  return counts;
}

const importsVscode = /(?:from\s+|require\s*\(\s*|import\s*\(\s*|import\s+)['"]vscode['"]/;

function filesUnder(dir, ext) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(full, ext) : d.name.endsWith(ext) ? [full] : [];
  });
}

/**
 * `vscode` only in src/extension: the core's sources, and the built CLI, preload and engine
 * bundles (which also catches an indirect import through src/extension).
 */
function vscodeImportViolations() {
  const sources = filesUnder(path.join(repo, 'src', 'core'), '.ts');
  const commands = fs.existsSync(path.join(repo, 'dist')) ? fs.readdirSync(path.join(repo, 'dist')).filter((f) => /^cli-\w+\.js$/.test(f)) : [];
  const bundles = ['cli.js', 'preload.js'].map((f) => path.join(repo, 'dist', f)).concat(commands.map((f) => path.join(repo, 'dist', f)), filesUnder(path.join(repo, 'dist', 'engines'), '.js'));
  const missing = bundles.slice(0, 2).filter((f) => !fs.existsSync(f));
  if (!sources.length || missing.length) return [`nothing to check: ${sources.length} core sources, missing ${missing.join(', ')}`];
  return [...sources, ...bundles].filter((f) => importsVscode.test(fs.readFileSync(f, 'utf8'))).map((f) => `imports vscode: ${path.relative(repo, f)}`);
}

const check = (ok) => ({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
const add = (...cs) => cs.reduce((a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 });

/** Tests whose own CPU time is above this are named after the unit stage (HELPERS: "~5 s needs a reason"). */
const SLOW_TEST_CPU_MS = 5000;

/** The slowest test files and tests of a run, from the JSON lines test/unit/timing.ts wrote. */
function slowTestReport(dir) {
  const rows = fs.readdirSync(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  const files = rows.filter((r) => r.kind === 'file');
  const tests = rows.filter((r) => r.kind === 'test');
  if (!files.length) return 0;
  const s = (ms) => (ms === null ? '  n/a' : (ms / 1000).toFixed(1).padStart(6));
  const cpuTotal = files.reduce((a, f) => a + (f.cpuMs ?? 0), 0);
  console.log(`\n  slowest test files by CPU (s; of ${(cpuTotal / 1000).toFixed(0)} s CPU in ${files.length} files; wall includes waiting for the other job):`);
  console.log('     CPU   wall  tests  file');
  for (const f of [...files].sort((a, b) => (b.cpuMs ?? b.wallMs) - (a.cpuMs ?? a.wallMs)).slice(0, 12)) console.log(`  ${s(f.cpuMs)} ${s(f.wallMs)} ${String(f.tests).padStart(6)}  ${f.file}`);
  const slow = tests.filter((t) => (t.cpuMs ?? t.wallMs) > SLOW_TEST_CPU_MS).sort((a, b) => (b.cpuMs ?? b.wallMs) - (a.cpuMs ?? a.wallMs));
  console.log(`  ${slow.length} test(s) over ${SLOW_TEST_CPU_MS / 1000} s of CPU (before/after hooks are counted to their files):`);
  for (const t of slow.slice(0, 15)) console.log(`  ${s(t.cpuMs)} ${s(t.wallMs)}  ${t.file}: ${t.title}`);
  // A retried test (this.retries: the load-sensitive ones) that failed a try is named, passed or not.
  const retried = tests.filter((t) => t.retry > 0 && !tests.some((u) => u !== t && u.title === t.title && u.retry > t.retry));
  if (retried.length) console.log(`  ${retried.length} test(s) failed a first try (load?) and were retried:`);
  for (const t of retried) console.log(`    ${t.state === 'passed' ? 'passed' : 'FAILED'} on try ${t.retry + 1} (load ${os.loadavg()[0].toFixed(1)} now): ${t.file}: ${t.title}`);
  return cpuTotal;
}
const tsc = require.resolve('typescript/bin/tsc');

/** Mocha's spec reporter summary: "N passing", "N failing", "N pending". */
function mochaCounts({ code, output: raw }) {
  const output = raw.replace(/\x1b\[[0-9;]*m/g, ''); // --color output
  const num = (word) => Number(new RegExp(`^\\s*(\\d+) ${word}`, 'm').exec(output)?.[1] ?? 0);
  const counts = { passed: num('passing'), failed: num('failing'), skipped: num('pending') };
  // Mocha died before its summary (no test files, a syntax error): never report that as green.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  if (counts.failed) failureReports.push(failureBlock(output, /^\s*\d+ failing/m));
  return counts;
}

/** The part of a test run's output from its failure list on (at most 80 lines), or its last 40 lines. */
function failureBlock(output, start) {
  const m = start.exec(output);
  const lines = (m ? output.slice(m.index) : output).split('\n');
  return (m ? lines.slice(0, 80) : lines.slice(-40)).join('\n').trimEnd();
}

/** test/vscode/run.js ends with "vscode: N passed, N failed[, N skipped]". */
function vscodeCounts({ code, output }) {
  const m = /^vscode: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m.exec(output);
  const counts = { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0), skipped: Number(m?.[3] ?? 0) };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  if (counts.failed) failureReports.push(failureBlock(output.replace(/\x1b\[[0-9;]*m/g, ''), /^.*(?:\d+ failing|✗|✖|FAIL).*$/m));
  return counts;
}

async function main() {
  const started = Date.now();
  const build = await stage('build (node esbuild.js)', async () => check((await run(process.execPath, ['esbuild.js'])).code === 0));
  // The two type-checks side by side (2 cores): tsc -p . is the long one.
  await stage('type-check (tsc -p . and -p webview)', async () => add(...(await Promise.all(['.', 'webview'].map(async (p) => check((await run(process.execPath, [tsc, '--noEmit', '-p', p])).code === 0))))));
  const jobs = Math.max(1, Number(process.env.HOTPATH_UNIT_JOBS) || 2);
  const timingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-test-timings-'));
  await stage(`unit tests (mocha, ${jobs} job${jobs > 1 ? 's' : ''})`, async () => {
    const args = [require.resolve('mocha/bin/mocha.js'), '--color', '--require', 'test/unit/timing.ts', ...(jobs > 1 ? ['--parallel', '--jobs', String(jobs)] : []), 'test/unit/**/*.test.ts'];
    const counts = mochaCounts(await run(process.execPath, args, { env: { ...prebuilt, HOTPATH_TEST_TIMINGS: timingDir } }));
    let filesCpuMs = 0;
    try { filesCpuMs = slowTestReport(timingDir); } catch (err) { console.log(`  (no timing report: ${err.message})`); }
    fs.rmSync(timingDir, { recursive: true, force: true });
    return { ...counts, filesCpuMs };
  });
  await stage('src/core, the CLI and engine bundles never import vscode', async () => {
    const violations = vscodeImportViolations();
    for (const v of violations) console.log(`  ${v}`);
    return check(violations.length === 0);
  });
  // The .vsix and the CLI's npm tarball, built once here; the packaged VS Code pass installs this .vsix.
  const packagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-test-packages-'));
  const pkg = require(path.join(repo, 'package.json'));
  const vsix = path.join(packagesDir, `${pkg.name}-${pkg.version}.vsix`);
  const packaged = await stage('packages (.vsix, CLI tarball; test/package)', async () => {
    const built = await run(process.execPath, ['scripts/package.js', '--out', vsix]);
    const packed = built.code === 0 ? await run(process.execPath, ['scripts/pack-cli.js', '--out', packagesDir]) : built;
    if (packed.code !== 0) return check(false);
    return mochaCounts(await run(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--color', 'test/package/*.test.ts'], { env: { ...prebuilt, HOTPATH_PACKAGES_DIR: packagesDir } }));
  });
  if (process.env.HOTPATH_SKIP_VSCODE === '1') {
    console.log('\n=== VS Code stages skipped (HOTPATH_SKIP_VSCODE=1)');
  } else {
    const setup = await stage('VS Code install (scripts/setup-vscode.js)', async () => check((await run(process.execPath, ['scripts/setup-vscode.js'])).code === 0));
    if (setup.failed || build.failed) {
      await stage('VS Code tests', async () => { throw new Error('not run: the build or the VS Code install failed'); });
    } else {
      const vsixEnv = fs.existsSync(vsix) ? { HOTPATH_VSIX: vsix } : {}; // else the packaged pass builds one
      await stage('VS Code tests (test/vscode/run.js)', async () => vscodeCounts(await run(process.execPath, ['test/vscode/run.js'], { env: { ...prebuilt, ...vsixEnv, HOTPATH_VSCODE_SKIP_BUILD: '1' } })));
    }
  }
  fs.rmSync(packagesDir, { recursive: true, force: true });
  console.log(`\n=== summary (${os.cpus().length} cores)`);
  console.log(`  ${'stage'.padEnd(48)} ${'wall'.padStart(9)} ${'CPU'.padStart(9)}  load (1 min)`);
  const sec = (ms) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`).padStart(9);
  for (const t of timings) console.log(`  ${t.name.padEnd(48)} ${sec(t.ms)} ${sec(t.cpuMs)}  ${t.load.padEnd(10)} ${t.counts.failed ? 'FAILED' : 'ok'}`);
  const cpuAll = timings.every((t) => t.cpuMs !== null) ? timings.reduce((a, t) => a + t.cpuMs, 0) : null;
  console.log(`  ${'total'.padEnd(48)} ${sec(Date.now() - started)} ${sec(cpuAll)}`);
  console.log('  CPU: user + system time of the processes each stage started, once they ended (mocha\'s parallel workers included; esbuild\'s service process is not counted).');
  if (failureReports.length) {
    console.log('\n=== failures (repeated from above)');
    for (const r of failureReports) console.log(r);
  }
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exitCode = totals.failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  console.log(`${totals.passed} passed, ${totals.failed + 1} failed`);
  process.exitCode = 1;
});
