// Starts code-server (VS Code 1.139 on Node 24, installed by scripts/setup-vscode.js) on a free
// loopback port with private user-data, extensions and XDG folders, and stops its whole process
// tree (server, extension host, pty host, anything the extension spawned) afterwards.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const { cleanEnv } = require('../../../scripts/setup-vscode');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

/**
 * @param {object} o
 * @param {{node: string, codeServerEntry: string}} o.layout from scripts/setup-vscode.js
 * @param {string} o.tmp private scratch folder for this instance
 * @param {string} o.folder workspace folder to open
 * @param {boolean} [o.smokeDriver] needed for extensionTestsPath payloads (integration tests)
 * @param {Record<string,string>} [o.env] extra environment for the server and extension host
 * @param {boolean} [o.workspaceTrust] keep VS Code's workspace trust on, so the folder opens
 *   untrusted (default: off, with --disable-workspace-trust every folder is trusted)
 * @param {string[]} [o.install] .vsix files to install (`--install-extension`) before it starts
 */
async function startCodeServer(o) {
  const port = await freePort();
  const dirs = Object.fromEntries(['user-data', 'extensions', 'xdg-data', 'xdg-config'].map((d) => [d, path.join(o.tmp, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // A quiet, roomy workbench: no welcome page, chat side bar or AI features in tests and screenshots.
  fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    // VS Code's own git extension watches the temporary repos and worktrees the tests make and
    // remove; its `git check-ignore` then failed with an uncaught EPIPE inside the extension host,
    // which mocha pinned on whichever test was running. Hotpath runs git itself, never through it.
    'git.enabled': false,
    ...o.settings,
  }, null, 2));
  const configFile = path.join(o.tmp, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\n');
  const args = [
    o.layout.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', configFile,
    '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
  ];
  if (!o.workspaceTrust) args.push('--disable-workspace-trust');
  if (o.smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(o.folder);
  // Without the outer `npm test`'s npm_* variables: targets the extension runs (npm start) must
  // see a clean environment, as in a user's VS Code.
  const env = {
    ...cleanEnv(),
    ...o.env,
    PATH: `${path.dirname(o.layout.node)}${path.delimiter}${process.env.PATH}`,
    EXTENSIONS_GALLERY: '{}', // else the server keeps trying to reach the marketplace
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CONFIG_HOME: dirs['xdg-config'],
  };
  delete env.NODE_OPTIONS; // the harness's own options must not leak into VS Code or the targets
  for (const vsix of o.install ?? []) {
    // As a user installs a package: code-server's own --install-extension into this instance's folders.
    const r = spawnSync(o.layout.node, [o.layout.codeServerEntry, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs['user-data'], '--install-extension', vsix],
      { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  const logFile = path.join(o.tmp, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  // Own process group, so stop() reaches every descendant with one signal.
  const child = spawn(o.layout.node, args, { env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => { exited = true; });

  const stop = async () => {
    for (const [signal, waitMs] of [['SIGTERM', 3000], ['SIGKILL', 1000]]) {
      try { process.kill(-child.pid, signal); } catch { return; } // group already gone
      const until = Date.now() + waitMs;
      while (Date.now() < until) {
        try { process.kill(-child.pid, 0); } catch { return; }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const deadline = Date.now() + 30_000;
  while (!(await healthy(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`code-server did not become healthy on port ${port}${exited ? ` (exited ${child.exitCode})` : ' within 30 s'}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, url: `http://127.0.0.1:${port}/`, pid: child.pid, logFile, extensionsDir: dirs.extensions, stop };
}

module.exports = { startCodeServer, freePort };
