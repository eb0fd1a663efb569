#!/usr/bin/env node
// `npm test`: every check the project has, in order, each timed:
//   build, type-check (extension+core+cli, webview), unit tests (mocha), the "core never imports
//   vscode" check, the VS Code install (idempotent, cached), then the tests in a real VS Code.
// Ends with one line `N passed, N failed[, N skipped]` summing all stages (build, type-check and
// the import check count as one check each) and exits non-zero when anything failed.
// HOTPATH_SKIP_VSCODE=1 skips the VS Code stages for quick local runs (CI never sets it).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

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
  let counts;
  try {
    counts = await fn();
  } catch (err) {
    console.error(`[test] ${name}: ${err.message}`);
    counts = { passed: 0, failed: 1, skipped: 0 };
  }
  const ms = Date.now() - t0;
  for (const k of Object.keys(totals)) totals[k] += counts[k] ?? 0;
  timings.push({ name, ms, counts });
  console.log(`=== ${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''} in ${(ms / 1000).toFixed(1)} s`);
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
const tsc = require.resolve('typescript/bin/tsc');

/** Mocha's spec reporter summary: "N passing", "N failing", "N pending". */
function mochaCounts({ code, output: raw }) {
  const output = raw.replace(/\x1b\[[0-9;]*m/g, ''); // --color output
  const num = (word) => Number(new RegExp(`^\\s*(\\d+) ${word}`, 'm').exec(output)?.[1] ?? 0);
  const counts = { passed: num('passing'), failed: num('failing'), skipped: num('pending') };
  // Mocha died before its summary (no test files, a syntax error): never report that as green.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

/** test/vscode/run.js ends with "vscode: N passed, N failed[, N skipped]". */
function vscodeCounts({ code, output }) {
  const m = /^vscode: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m.exec(output);
  const counts = { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0), skipped: Number(m?.[3] ?? 0) };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

async function main() {
  const started = Date.now();
  const build = await stage('build (node esbuild.js)', async () => check((await run(process.execPath, ['esbuild.js'])).code === 0));
  await stage('type-check (tsc -p .)', async () => check((await run(process.execPath, [tsc, '--noEmit', '-p', '.'])).code === 0));
  await stage('type-check (tsc -p webview)', async () => check((await run(process.execPath, [tsc, '--noEmit', '-p', 'webview'])).code === 0));
  await stage('unit tests (mocha)', async () => mochaCounts(await run(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--color', 'test/unit/**/*.test.ts'])));
  await stage('src/core, the CLI and engine bundles never import vscode', async () => {
    const violations = vscodeImportViolations();
    for (const v of violations) console.log(`  ${v}`);
    return check(violations.length === 0);
  });
  if (process.env.HOTPATH_SKIP_VSCODE === '1') {
    console.log('\n=== VS Code stages skipped (HOTPATH_SKIP_VSCODE=1)');
  } else {
    const setup = await stage('VS Code install (scripts/setup-vscode.js)', async () => check((await run(process.execPath, ['scripts/setup-vscode.js'])).code === 0));
    if (setup.failed || build.failed) {
      await stage('VS Code tests', async () => { throw new Error('not run: the build or the VS Code install failed'); });
    } else {
      await stage('VS Code tests (test/vscode/run.js)', async () => vscodeCounts(await run(process.execPath, ['test/vscode/run.js'], { env: { HOTPATH_VSCODE_SKIP_BUILD: '1' } })));
    }
  }
  console.log('\n=== summary');
  for (const t of timings) console.log(`  ${t.name.padEnd(48)} ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${t.counts.failed ? 'FAILED' : 'ok'}`);
  console.log(`  ${'total'.padEnd(48)} ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s`);
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exitCode = totals.failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  console.log(`${totals.passed} passed, ${totals.failed + 1} failed`);
  process.exitCode = 1;
});
