#!/usr/bin/env node
// Runs Hotpath's tests in a real VS Code (code-server 1.139 + Debian Chromium, see README.md here):
// (a) integration: mocha inside the extension host (test/vscode/suite/*.test.ts);
// (b) UI: Playwright drives the workbench (test/vscode/ui/*.ui.js).
// Always stops code-server and Chromium, also on failure or at the hard timeout.
// Ends with the line `vscode: N passed, N failed` (scripts/test.js reads it).
// Env: HOTPATH_VSCODE_TIMEOUT_MS (default 900000), HOTPATH_VSCODE_ONLY=integration|ui|untrusted|packaged,
//      HOTPATH_VSIX (the .vsix the packaged pass installs; else scripts/package.js builds one),
//      HOTPATH_VSCODE_GREP (mocha grep for the suite), HOTPATH_UPDATE_SCREENSHOT=1,
//      HOTPATH_VSCODE_SKIP_BUILD=1, HOTPATH_KEEP_TMP=1 (keep logs and workspaces for debugging),
//      HOTPATH_VSCODE_PARALLEL=1 (the UI pass beside the integration passes instead of after them).
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
/** Runs one cleanup now and forgets it (passes run side by side: never just the last one pushed). */
async function release(fn) {
  const i = cleanups.indexOf(fn);
  if (i >= 0) cleanups.splice(i, 1);
  await fn();
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

/**
 * One code-server for several integration windows (`windows`: {name, extensionPath, testsPath});
 * each opens its own copy of the fixture workspace with its own extensionDevelopmentPath and
 * suite entry, one after the other. `install`: .vsix files installed before the server starts.
 */
async function integrationServer({ browser, layout, tmp, env, name, workspaceTrust = false, install, windows }) {
  const t1 = Date.now();
  const dir = path.join(tmp, name);
  const server = await startCodeServer({ layout, tmp: dir, folder: dir, smokeDriver: true, workspaceTrust, env, install });
  cleanups.push(server.stop);
  console.log(`[vscode] ${name}: code-server ${server.url} (log ${server.logFile})`);
  for (const w of windows) {
    const t2 = Date.now();
    const folder = copyFixture(path.join(dir, w.name), 'workspace-simple');
    const logFile = path.join(dir, `${w.name}-workbench.log`);
    const r = await runIntegration({ browser, server, folder, extensionPath: w.extensionPath, testsPath: w.testsPath, timeoutMs: Math.min(timeoutMs, 600_000), logFile });
    totals.passed += r.passed; totals.failed += r.failed; totals.skipped += r.skipped;
    if (r.failed) {
      // Keep the logs as artifacts: the temp folder goes away.
      const artifacts = path.join(repo, 'test-results');
      fs.mkdirSync(artifacts, { recursive: true });
      fs.copyFileSync(logFile, path.join(artifacts, `${w.name}-workbench.log`));
      fs.copyFileSync(server.logFile, path.join(artifacts, `${name}-code-server.log`));
      console.log(`  ${r.log.slice(-1)[0] ?? '(no output from the suite)'}\n  logs: test-results/${w.name}-workbench.log, test-results/${name}-code-server.log`);
    }
    console.log(`[vscode] ${w.name}: ${r.passed} passed, ${r.failed} failed in ${seconds(t2)}`);
  }
  await release(server.stop);
  console.log(`[vscode] ${name} server: ${windows.map((w) => w.name).join(', ')} in ${seconds(t1)}`);
}

const suiteEntry = (file) => path.join(repo, 'out', 'test', 'vscode', 'suite', file);

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

  // One code-server (workspace trust off) for the integration suites: suite/*.test.ts with the
  // repository as the development extension, and the packaged .vsix installed into it as a user
  // would (HOTPATH_VSIX, else built now by scripts/package.js) with its installed folder under
  // test: suite/*.packaged.ts (the 0x engine).
  const windows = [];
  let install;
  let installedEnv = {};
  if (!only || only === 'integration') windows.push({ name: 'integration', extensionPath: repo, testsPath: suiteEntry('index.js') });
  if (!only || only === 'packaged') {
    const pkg = require(path.join(repo, 'package.json'));
    let vsix = process.env.HOTPATH_VSIX;
    if (!vsix) {
      vsix = path.join(tmp, `${pkg.name}-${pkg.version}.vsix`);
      const built = spawnSync(process.execPath, ['scripts/package.js', '--out', vsix], { cwd: repo, stdio: 'inherit' });
      if (built.status !== 0) throw new Error('scripts/package.js failed');
    }
    const installed = path.join(tmp, 'integration', 'extensions', `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    install = [path.resolve(vsix)];
    installedEnv = { HOTPATH_INSTALLED_EXTENSION: installed };
    windows.push({ name: 'packaged', extensionPath: installed, testsPath: suiteEntry('packagedEntry.js') });
  }
  const integrationPasses = async () => {
    if (windows.length) await integrationServer({ browser, layout, tmp, name: 'integration', env: { ...env, ...installedEnv }, install, windows });
    // A second code-server with workspace trust on (a server-wide switch), so the folder opens
    // untrusted; the suite runs suite/*.untrusted.ts instead of *.test.ts (part of every full run).
    if (!only || only === 'untrusted') {
      await integrationServer({ browser, layout, tmp, name: 'untrusted', workspaceTrust: true, env: { ...env, HOTPATH_VSCODE_UNTRUSTED: '1' },
        windows: [{ name: 'untrusted', extensionPath: repo, testsPath: suiteEntry('index.js') }] });
    }
  };
  const uiPass = async () => {
    if (only && only !== 'ui') return;
    const t2 = Date.now();
    const r = await runUiTests({ browser, layout, tmp: path.join(tmp, 'ui'), repo, copyFixture, env, cleanups, release });
    totals.passed += r.passed; totals.failed += r.failed;
    console.log(`[vscode] ui: ${r.passed} passed, ${r.failed} failed in ${seconds(t2)}`);
  };
  // HOTPATH_VSCODE_PARALLEL=1: the UI pass beside the integration passes (its own code-server,
  // workspace copy and browser context). One after the other the stage used 0.7-0.8 of the 2
  // cores (load 6-8), so side by side may save wall time on a quiet machine; at load 22-25 the
  // integration window then hit its 600 s cap (136-151 s alone at load 6-8): not the default.
  if (process.env.HOTPATH_VSCODE_PARALLEL === '1') await Promise.all([integrationPasses(), uiPass()]);
  else { await integrationPasses(); await uiPass(); }
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
