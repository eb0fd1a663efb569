#!/usr/bin/env node
// `npm run test:electron`: the integration suite (test/vscode/suite/*.test.ts) in desktop VS Code,
// downloaded by @vscode/test-electron from Microsoft's update server. For machines that can reach
// it (a developer's, GitHub Actions: see test/vscode/README.md); `npm test` runs the same suite in
// code-server instead, which installs from npm only. On Linux without a display, run it under
// `xvfb-run -a`. Env: HOTPATH_VSCODE_VERSION (default 'stable'), HOTPATH_VSCODE_GREP.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const repo = path.resolve(__dirname, '..', '..');

async function main() {
  let runTests;
  try {
    ({ runTests } = require('@vscode/test-electron'));
  } catch {
    throw new Error('@vscode/test-electron is not installed: run `npm ci` first.');
  }
  const build = spawnSync(process.execPath, ['esbuild.js', '--quiet'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed (node esbuild.js)');
  // A fresh copy of the fixture workspace, as the code-server harness opens.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-electron-'));
  const folder = path.join(tmp, 'workspace-simple');
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'workspace-simple'), folder, { recursive: true });
  try {
    await runTests({
      version: process.env.HOTPATH_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${path.join(tmp, 'user-data')}`],
      extensionTestsEnv: { HOTPATH_TEST_FIXTURES: path.join(repo, 'test', 'fixtures'), ...(process.env.HOTPATH_VSCODE_GREP ? { HOTPATH_VSCODE_GREP: process.env.HOTPATH_VSCODE_GREP } : {}) },
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`test:electron: ${err.message || err}`);
  if (/ENOTFOUND|getaddrinfo|ECONNREFUSED|ETIMEDOUT/.test(String(err))) {
    console.error('test:electron: VS Code could not be downloaded from Microsoft\'s update server; `npm test` runs the same suite in code-server (from npm) instead.');
  }
  process.exit(1);
});
