#!/usr/bin/env node
// Runs Hotpath's tests in a real VS Code (code-server 1.139 + Debian Chromium, see README.md here):
// (a) integration: mocha inside the extension host (test/vscode/suite/*.test.ts);
// (b) UI: Playwright drives the workbench (test/vscode/ui/*.ui.js).
// Always stops code-server and Chromium, also on failure or at the hard timeout.
// Ends with the line `vscode: N passed, N failed` (scripts/test.js reads it).
// Env: HOTPATH_VSCODE_TIMEOUT_MS (default 900000), HOTPATH_VSCODE_ONLY=integration|ui|untrusted|packaged,
//      HOTPATH_VSIX (the .vsix the packaged pass installs; else scripts/package.js builds one),
//      HOTPATH_VSCODE_GREP (mocha grep for the suite), HOTPATH_UPDATE_SCREENSHOT=1,
//      HOTPATH_VSCODE_SKIP_BUILD=1, HOTPATH_KEEP_TMP=1 (keep logs and workspaces for debugging).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { ensureVscode } = require('../../scripts/setup-vscode');
const { startCodeServer } = require('./harness/codeServer');
const { launchBrowser } = require('./harness/browser');
const { runIntegration } = require('./harness/integration');
const { runUiTests } = require('./harness/ui');
const { killLeftovers } = require('./harness/leftovers');

const repo = path.resolve(__dirname, '..', '..');
const timeoutMs = Number(process.env.HOTPATH_VSCODE_TIMEOUT_MS) || 900_000;
const only = process.env.HOTPATH_VSCODE_ONLY;
const cleanups = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

async function cleanup() {
  while (cleanups.length) await cleanups.pop()().catch((e) => console.error(`cleanup: ${e.message}`));
}

let stopping = false; // set by the hard timeout or a signal: they report and clean up
function finish(code) {
  console.log(`vscode: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(code);
}

function seconds(t0) { return `${((Date.now() - t0) / 1000).toFixed(1)} s`; }

// A fresh copy per run: profiling writes into the workspace, the checked-in fixture stays clean.
function copyFixture(tmp, name) {
  const dest = path.join(tmp, 'workspaces', name);
  fs.cpSync(path.join(repo, 'test', 'fixtures', name), dest, { recursive: true });
  return dest;
}

async function integrationPass({ browser, layout, tmp, env, name, workspaceTrust = false, install, extensionPath = repo }) {
  const t1 = Date.now();
  const dir = path.join(tmp, name);
  const folder = copyFixture(dir, 'workspace-simple');
  const server = await startCodeServer({ layout, tmp: dir, folder, smokeDriver: true, workspaceTrust, env, install });
  cleanups.push(server.stop);
  console.log(`[vscode] ${name}: code-server ${server.url} (log ${server.logFile})`);
  const r = await runIntegration({
    browser, server, folder, extensionPath,
    testsPath: path.join(repo, 'out', 'test', 'vscode', 'suite', 'index.js'),
    timeoutMs: Math.min(timeoutMs, 600_000),
    logFile: path.join(dir, 'workbench.log'),
  });
  await cleanups.pop()(); // this server
  totals.passed += r.passed; totals.failed += r.failed; totals.skipped += r.skipped;
  if (r.failed) {
    // Keep the logs as artifacts: the temp folder goes away.
    const artifacts = path.join(repo, 'test-results');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.copyFileSync(path.join(dir, 'workbench.log'), path.join(artifacts, `${name}-workbench.log`));
    fs.copyFileSync(server.logFile, path.join(artifacts, `${name}-code-server.log`));
    console.log(`  ${r.log.slice(-1)[0] ?? '(no output from the suite)'}\n  logs: test-results/${name}-workbench.log, test-results/${name}-code-server.log`);
  }
  console.log(`[vscode] ${name}: ${r.passed} passed, ${r.failed} failed in ${seconds(t1)}`);
}

async function main() {
  const t0 = Date.now();
  if (only && !['integration', 'ui', 'untrusted', 'packaged'].includes(only)) throw new Error(`HOTPATH_VSCODE_ONLY=${only}: expected integration, ui, untrusted or packaged`);
  if (!process.env.HOTPATH_VSCODE_SKIP_BUILD) { // scripts/test.js has just built everything
    const build = spawnSync(process.execPath, ['esbuild.js', '--quiet'], { cwd: repo, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed (node esbuild.js)');
  }
  const layout = ensureVscode();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-vscode-'));
  cleanups.push(async () => { if (!process.env.HOTPATH_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true }); });
  cleanups.push(async () => { killLeftovers(fs.realpathSync(tmp)); });
  const browser = await launchBrowser(layout.chromium);
  cleanups.push(() => browser.close());
  const env = { HOTPATH_TEST_FIXTURES: path.join(repo, 'test', 'fixtures') };

  if (!only || only === 'integration') await integrationPass({ browser, layout, tmp, env, name: 'integration' });
  // A second code-server with workspace trust on, so the folder opens untrusted; the suite runs
  // suite/*.untrusted.ts instead of *.test.ts (about 15 s; part of every full run).
  if (!only || only === 'untrusted') {
    await integrationPass({ browser, layout, tmp, name: 'untrusted', workspaceTrust: true, env: { ...env, HOTPATH_VSCODE_UNTRUSTED: '1' } });
  }

  // The packaged .vsix installed into code-server as a user would (HOTPATH_VSIX, else built now
  // by scripts/package.js), its installed folder under test: suite/*.packaged.ts (the 0x engine).
  if (!only || only === 'packaged') {
    const pkg = require(path.join(repo, 'package.json'));
    let vsix = process.env.HOTPATH_VSIX;
    if (!vsix) {
      vsix = path.join(tmp, `${pkg.name}-${pkg.version}.vsix`);
      const built = spawnSync(process.execPath, ['scripts/package.js', '--out', vsix], { cwd: repo, stdio: 'inherit' });
      if (built.status !== 0) throw new Error('scripts/package.js failed');
    }
    const installed = path.join(tmp, 'packaged', 'extensions', `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    await integrationPass({ browser, layout, tmp, name: 'packaged', install: [path.resolve(vsix)], extensionPath: installed,
      env: { ...env, HOTPATH_VSCODE_PACKAGED: '1', HOTPATH_INSTALLED_EXTENSION: installed } });
  }

  if (!only || only === 'ui') {
    const t2 = Date.now();
    const r = await runUiTests({ browser, layout, tmp: path.join(tmp, 'ui'), repo, copyFixture, env, cleanups });
    totals.passed += r.passed; totals.failed += r.failed;
    console.log(`[vscode] ui: ${r.passed} passed, ${r.failed} failed in ${seconds(t2)}`);
  }
  console.log(`[vscode] total ${seconds(t0)}`);
}

const hardTimeout = setTimeout(async () => {
  stopping = true;
  console.error(`[vscode] hard timeout after ${timeoutMs} ms: stopping code-server and Chromium`);
  totals.failed += 1;
  await cleanup();
  finish(1);
}, timeoutMs);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => { stopping = true; await cleanup(); finish(130); });
}

main().then(
  async () => { if (stopping) return; clearTimeout(hardTimeout); await cleanup(); finish(totals.failed ? 1 : 0); },
  async (err) => {
    clearTimeout(hardTimeout);
    if (stopping) return;
    console.error(`[vscode] ${err.stack || err.message}`);
    totals.failed += 1;
    await cleanup();
    finish(1);
  },
);
