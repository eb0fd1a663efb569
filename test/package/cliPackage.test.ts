// The CLI as users get it: the npm tarball scripts/pack-cli.js makes (`npm pack` of a generated
// package), installed into a scratch project with npm (offline: it has no dependencies), then
// `npx hotpath` runs profile, rank (with its worker thread: 420+ files), fixes and compare --ref
// there on real processes and files. Nothing here reads the repository's dist/.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packages } from './packages';

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

describe('package: the hotpath CLI from its npm tarball', function () {
  this.timeout(600_000);
  let dir: string;
  let bin: string;
  const hotpath = (args: string[]) => {
    const r = spawnSync(bin, args, { cwd: dir, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(() => {
    const { cliTarball } = packages();
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-package-')));
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "scratch", "private": true }\n');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'main.js'), [
      "const util = require('util');",
      "const path = require('path');", // unused: an unused-import fix
      'function hot(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; }',
      "console.log(util.format('%d', hot(2e7)));",
      '',
    ].join('\n'));
    // Enough files for rank to parse in its worker thread (dist/engines/rankWorker.js of the package).
    fs.mkdirSync(path.join(dir, 'src', 'lib'));
    for (let i = 0; i < 420; i++) fs.writeFileSync(path.join(dir, 'src', 'lib', `m${i}.js`), `module.exports = (x) => x + ${i};\n`);
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n.hotpath/\n');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', cliTarball], { cwd: dir, stdio: 'pipe' });
    bin = path.join(dir, 'node_modules', '.bin', 'hotpath');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['add', '.'], { cwd: dir });
    execFileSync('git', ['commit', '-q', '-m', 'scratch'], { cwd: dir, env: gitEnv });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('installs as a devDependency with a `hotpath` bin; npx hotpath --version names the package', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'hotpath', 'package.json'), 'utf8'));
    assert.strictEqual(installed.bin.hotpath, 'dist/cli.js');
    assert.deepStrictEqual(installed.dependencies ?? {}, {});
    const dist = path.join(dir, 'node_modules', 'hotpath', 'dist');
    for (const f of ['cli.js', 'cli-profile.js', 'preload.js', 'runGuard.js', 'profileIngestWorker.js', 'engines/typescript.js', 'engines/rankWorker.js', 'webview/flame.js']) {
      assert.ok(fs.existsSync(path.join(dist, f)), `dist/${f} is in the package`);
    }
    assert.ok(!fs.existsSync(path.join(dist, 'extension.js')) && !fs.existsSync(path.join(dist, 'engines', 'refactor.js')), 'no extension-only bundles');
    const r = spawnSync('npx', ['hotpath', '--version'], { cwd: dir, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^hotpath ${installed.version.replace(/\./g, '\\.')} \\(Node v\\d+`));
  });

  it('profile: every Node process of the command, stored in .hotpath/runs', () => {
    const r = hotpath(['profile', '--json', '--', 'node', 'src/main.js']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.count, 1);
    assert.ok(j.samples > 0);
    assert.ok(j.topFunctions.some((f: { name: string; file: string }) => f.name === 'hot' && /main\.js$/.test(f.file)), JSON.stringify(j.topFunctions.slice(0, 5)));
    assert.strictEqual(fs.readdirSync(path.join(dir, '.hotpath', 'runs')).length, 1);
  });

  it('rank: parses 420+ files (in the packaged worker thread) and scores them with the stored run', () => {
    const runId = fs.readdirSync(path.join(dir, '.hotpath', 'runs'))[0];
    const r = hotpath(['rank', 'src', '--json', '--run', runId, '--store', '.hotpath/runs']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(j.modules.length >= 421, `${j.modules.length} modules`);
    const main = j.modules.find((m: { path?: string; file: string }) => /main\.js$/.test(m.path ?? m.file));
    assert.ok(main && main.score >= 0 && main.score <= 10, JSON.stringify(main));
  });

  it('fixes: lists the unused import and applies it behind a checkpoint', () => {
    const list = hotpath(['fixes', 'src/main.js', '--json']);
    assert.strictEqual(list.code, 0, list.stderr);
    const fix = JSON.parse(list.stdout).fixes.find((f: { kind: string; module: string }) => f.kind === 'unused-import' && f.module === 'path');
    assert.ok(fix && fix.safe, list.stdout);
    const applied = hotpath(['fixes', 'src/main.js', '--kind', 'unused-import', '--apply', '--json']);
    assert.strictEqual(applied.code, 0, applied.stderr);
    assert.ok(JSON.parse(applied.stdout).checkpoint.id);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'src', 'main.js'), 'utf8'), /require\('path'\)/);
  });

  it('compare --ref HEAD: the committed tree against the fixed working tree, interleaved, with a verdict', () => {
    const r = hotpath(['compare', '--ref', 'HEAD', '--runs', '5', '--warmup', '0', '--json', 'node src/main.js']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.strictEqual(j.before.n, 5);
    assert.strictEqual(j.after.n, 5);
    assert.ok(['faster', 'slower', 'no significant difference'].includes(j.verdict), j.sentence);
    assert.ok(!fs.existsSync(j.before.cwd), 'the temporary worktree is removed');
  });
});
