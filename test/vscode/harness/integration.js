// Integration run: VS Code's own extension-test mechanism in the browser workbench. The payload
// makes the workbench load the repo as a development extension and call extensionTestsPath's
// run() inside the (Node) extension host; with --vscode-option enable-smoke-test-driver the
// workbench reports console output to window.codeAutomationLog and the end to codeAutomationExit.
'use strict';
const fs = require('fs');
const util = require('util');

const PREFIX = '[hotpath-test] '; // set by test/vscode/suite/index.ts on the reporter's lines

function workbenchUrl(server, folder, payload) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const entries = Object.entries(payload).map(([k, v]) => [k, remote(v)]);
  return `${server.url}?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
}

function formatArgs(args) {
  const list = Array.isArray(args) ? args : [args];
  return typeof list[0] === 'string' ? util.format(...list) : list.map((a) => JSON.stringify(a)).join(' ');
}

/**
 * @returns {Promise<{passed:number, failed:number, skipped:number, exitCode:number, log:string[]}>}
 */
async function runIntegration({ browser, server, folder, extensionPath, testsPath, timeoutMs, logFile, echo = console.log }) {
  const page = await browser.newPage();
  const log = []; // the suite's own lines
  const workbenchLog = fs.openSync(logFile, 'w'); // everything, for debugging
  let result = null;
  let finish;
  const exited = new Promise((resolve) => { finish = resolve; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    for (const line of formatArgs(args).split('\n')) {
      fs.writeSync(workbenchLog, `[${type}] ${line}\n`);
      if (!line.startsWith(PREFIX)) continue;
      const text = line.slice(PREFIX.length);
      const m = /^HOTPATH_RESULT (\{.*\})$/.exec(text);
      if (m) result = JSON.parse(m[1]);
      else { log.push(text); echo(`  ${text}`); }
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  page.on('pageerror', (err) => fs.writeSync(workbenchLog, `[page error] ${err.message}\n`));

  // A loaded machine can take more than Playwright's default 30 s to serve the workbench page.
  await page.goto(workbenchUrl(server, folder, { extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath }), { timeout: 120_000 });
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const exitCode = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  await page.context().close().catch(() => {});
  fs.closeSync(workbenchLog);
  if (exitCode === 'timeout') {
    return { passed: result?.passed ?? 0, failed: (result?.failed ?? 0) + 1, skipped: result?.skipped ?? 0, exitCode: -1, log: [...log, `integration run timed out after ${timeoutMs} ms`] };
  }
  if (!result) {
    // run() never reported (e.g. the suite failed to load): count it as one failure, never as a pass.
    return { passed: 0, failed: 1, skipped: 0, exitCode, log: [...log, `integration suite ended (exit ${exitCode}) without reporting results`] };
  }
  return { ...result, exitCode, log };
}

module.exports = { runIntegration, workbenchUrl };
