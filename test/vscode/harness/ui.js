// UI run: one code-server with the repo installed as an unpacked extension (a
// `hotpath.hotpath-<version>` symlink in its extensions folder, as a user's install would be),
// then every test/vscode/ui/*.ui.js on one fixture copy. The tests share one workbench window
// (loading it took 13-16 s a test at load 9): after a test passes, resetWorkbench closes what it
// left open and the next test goes on in the same page. A fresh page (a new window, new extension
// host) after a failure, for a test that says `freshWorkbench: true` (what it checks could be
// left over from an earlier test, say an editor's remembered cursor line), after one that says
// `freshWorkbenchAfter: true` (it leaves a run going), and for every test with HOTPATH_UI_FRESH=1. Failures save a screenshot to test-results/<test>-failure.png.
'use strict';
const fs = require('fs');
const path = require('path');
const { startCodeServer } = require('./codeServer');
const { resetWorkbench } = require('../ui/workbench');

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
  // HOTPATH_UI_GREP: a part of a test's name, or several separated by `|`.
  const tests = files.map((f) => ({ file: f, ...require(path.join(uiDir, f)) })).filter((t) => !filter || filter.split('|').some((part) => t.name.includes(part)));
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

  const fresh = process.env.HOTPATH_UI_FRESH === '1';
  let page = null; // the shared workbench page, or null: the next test opens a new one
  let viewport;
  const drop = async () => { if (page) await page.context().close().catch(() => {}); page = null; };
  for (const test of tests) {
    const started = Date.now();
    let how = 'new window';
    if (page && (fresh || test.freshWorkbench)) await drop();
    if (page) {
      try {
        await withTimeout(resetWorkbench(page, viewport), 90_000, 'resetting the workbench');
        how = 'same window';
      } catch (err) {
        console.log(`    (a new window: ${String(err.message).split('\n')[0]})`);
        await drop();
      }
    }
    if (!page) {
      page = await browser.newPage();
      viewport = page.viewportSize();
    }
    try {
      await withTimeout(test.run({ page, server, folder, repo, artifacts }), test.timeoutMs ?? 180_000, test.name);
      counts.passed++;
      console.log(`  ✔ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s, ${how})`);
      if (test.freshWorkbenchAfter) await drop(); // it may leave work going in its window
    } catch (err) {
      counts.failed++;
      const shot = path.join(artifacts, `${path.basename(test.file, '.ui.js')}-failure.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      console.log(`  ✘ ${test.name} (${how}): ${String(err.message).split('\n').slice(0, 6).join('\n    ')}\n    screenshot: ${path.relative(repo, shot)}`);
      await drop(); // whatever it left behind stays out of the next test
    }
  }
  await drop();
  await release(server.stop); // this server (other passes may have pushed cleanups since)
  return counts;
}

module.exports = { runUiTests, linkExtension };
