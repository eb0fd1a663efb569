// UI run: one code-server with the repo installed as an unpacked extension (a
// `hotpath.hotpath-<version>` symlink in its extensions folder, as a user's install would be),
// then every test/vscode/ui/*.ui.js in a fresh browser page on a fresh fixture copy.
// Failures save a screenshot to test-results/<test>-failure.png.
'use strict';
const fs = require('fs');
const path = require('path');
const { startCodeServer } = require('./codeServer');

function linkExtension(repo, extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const link = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.symlinkSync(repo, link, 'dir');
  return link;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

async function runUiTests({ browser, layout, tmp, repo, copyFixture, env, cleanups, release, filter = process.env.HOTPATH_UI_GREP }) {
  const uiDir = path.join(repo, 'test', 'vscode', 'ui');
  const files = fs.readdirSync(uiDir).filter((f) => f.endsWith('.ui.js')).sort();
  const tests = files.map((f) => ({ file: f, ...require(path.join(uiDir, f)) })).filter((t) => !filter || t.name.includes(filter));
  const artifacts = path.join(repo, 'test-results');
  fs.mkdirSync(artifacts, { recursive: true });
  const counts = { passed: 0, failed: 0 };
  if (!tests.length) return counts;

  const folder = copyFixture(tmp, 'workspace-simple');
  fs.mkdirSync(path.join(tmp, 'extensions'), { recursive: true });
  linkExtension(repo, path.join(tmp, 'extensions')); // before start: the server scans it once
  const server = await startCodeServer({ layout, tmp, folder, env });
  cleanups.push(server.stop);
  console.log(`[vscode] ui: code-server ${server.url} (log ${server.logFile})`);

  for (const test of tests) {
    const started = Date.now();
    const page = await browser.newPage();
    try {
      await withTimeout(test.run({ page, server, folder, repo, artifacts }), test.timeoutMs ?? 180_000, test.name);
      counts.passed++;
      console.log(`  ✔ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      counts.failed++;
      const shot = path.join(artifacts, `${path.basename(test.file, '.ui.js')}-failure.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      console.log(`  ✘ ${test.name}: ${String(err.message).split('\n').slice(0, 6).join('\n    ')}\n    screenshot: ${path.relative(repo, shot)}`);
    } finally {
      await page.context().close().catch(() => {});
    }
  }
  await release(server.stop); // this server (other passes may have pushed cleanups since)
  return counts;
}

module.exports = { runUiTests, linkExtension };
