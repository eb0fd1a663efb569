// `hotpath fixes` end to end through the built CLI (dist/cli.js), on the golden fixtures:
// the JSON contract, --kind, --apply on a copy, and clear errors for bad input.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES } from './goldenCases';
import { buildOnly } from '../build';

const root = path.join(__dirname, '..', '..', '..');
const cliPath = path.join(root, 'dist', 'cli.js');

function hotpath(args: string[], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, 'fixes', ...args], { cwd, encoding: 'utf8', timeout: 150_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hotpath fixes (CLI)', function () {
  // Several CLI runs per test, each loading the TypeScript compiler: 60 s was exceeded at load 30.
  this.timeout(180_000);
  before(function () {
    this.timeout(120000);
    buildOnly('cli,preload');
  });

  it('prints {fixes: [{file, line, kind, title, safe, reason}]} with reasons for disabled fixes', () => {
    const r = hotpath([path.join(FIXTURES, 'cjs-unsafe'), '--all', '--json', '--kind', 'lazy-import']);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.fixes.length >= 10);
    for (const f of out.fixes) {
      assert.deepStrictEqual(Object.keys(f).slice(0, 6), ['file', 'line', 'kind', 'title', 'safe', 'reason']);
      assert.strictEqual(f.kind, 'lazy-import');
      assert.strictEqual(f.safe, false);
      assert.ok(typeof f.reason === 'string' && f.reason.length > 10, JSON.stringify(f));
    }
    const topLevel = out.fixes.find((f: { line: number }) => f.line === 3);
    assert.match(topLevel.reason, /used while the module evaluates/);
  });

  it('--kind filters and --apply changes only a copy\'s files, reporting them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-fixes-cli-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'cjs-forms'), dir, { recursive: true });
      const listed = JSON.parse(hotpath([dir, '--all', '--json', '--kind', 'unused-import']).stdout);
      assert.deepStrictEqual(listed.fixes, []);
      const r = hotpath([dir, '--all', '--json', '--apply', '--kind', 'lazy-import']);
      assert.strictEqual(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      // after.js is the golden: already fixed, so nothing changes there.
      assert.deepStrictEqual(out.changedFiles, ['before.js']);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'before.js'), 'utf8'), fs.readFileSync(path.join(FIXTURES, 'cjs-forms', 'after.js'), 'utf8'));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('memoize is listed but --apply applies it only when --kind memoize is given and calls were counted; hoist/pool are applied by default', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-fixes-hot-'));
    try {
      fs.copyFileSync(path.join(FIXTURES, 'hot-memoize', 'before.js'), path.join(dir, 'memo.js'));
      fs.copyFileSync(path.join(FIXTURES, 'hot-pool', 'before.js'), path.join(dir, 'pool.js'));
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"hot","private":true}');
      const listed = JSON.parse(hotpath([dir, '--json']).stdout);
      const memo = listed.fixes.filter((f: { kind: string }) => f.kind === 'memoize');
      assert.ok(memo.some((f: { safe: boolean }) => f.safe), 'a safe memoize fix is listed');
      assert.ok(memo.every((f: { preferred: boolean }) => !f.preferred), 'memoize is never preferred');
      const plain = JSON.parse(hotpath([dir, '--json', '--apply', '--checkpoints', path.join(dir, '.cp')]).stdout);
      assert.deepStrictEqual(plain.changedFiles, ['pool.js']);
      assert.doesNotMatch(fs.readFileSync(path.join(dir, 'memo.js'), 'utf8'), /Memoized by Hotpath/);
      // Named, but no run counted its calls: nothing says the cache would ever hit.
      const explicit = JSON.parse(hotpath([dir, '--json', '--apply', '--kinds', 'memoize', '--checkpoints', path.join(dir, '.cp')]).stdout);
      assert.deepStrictEqual(explicit.changedFiles, []);
      assert.ok(explicit.fixes.every((f: { calls: unknown; title: string }) => f.calls === null && /not measured/.test(f.title)));
      assert.strictEqual(explicit.callsRun, null);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('bad input: missing folder, unknown kind, corrupt profile, file with a syntax error', () => {
    const missing = hotpath(['/nonexistent/hotpath-dir']);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    const kind = hotpath(['.', '--kind', 'speed-up']);
    assert.strictEqual(kind.code, 2);
    assert.match(kind.stderr, /unknown --kind 'speed-up'/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-fixes-bad-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.js'), "const ts = require('typescript');\nfunction (\n");
      fs.writeFileSync(path.join(dir, 'bad.cpuprofile'), '{"nodes": [');
      const profile = hotpath([dir, '--profile', path.join(dir, 'bad.cpuprofile')]);
      assert.strictEqual(profile.code, 2);
      assert.match(profile.stderr, /not a readable profile/);
      const broken = hotpath([dir, '--json']);
      assert.strictEqual(broken.code, 0, broken.stderr);
      assert.deepStrictEqual(JSON.parse(broken.stdout).fixes, []);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('--run ID: the load times measured by `hotpath profile` decide the heavy imports', function () {
    this.timeout(180000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-fixes-run-'));
    try {
      const payoff = path.join(FIXTURES, '..', 'payoff-cli');
      for (const f of ['cli.js', 'package.json', 'lib']) fs.cpSync(path.join(payoff, f), path.join(dir, f), { recursive: true });
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.symlinkSync(path.join(root, 'node_modules', 'typescript'), path.join(dir, 'node_modules', 'typescript'));
      const profile = spawnSync(process.execPath, [cliPath, 'profile', '--imports', '--', process.execPath, 'cli.js', 'greet'], { cwd: dir, encoding: 'utf8', timeout: 120000 });
      assert.strictEqual(profile.status, 0, profile.stderr);
      const [id] = fs.readdirSync(path.join(dir, '.hotpath', 'runs'));
      const r = hotpath(['.', '--run', id, '--json', '--no-known-heavy'], dir);
      assert.strictEqual(r.code, 0, r.stderr);
      const fix = JSON.parse(r.stdout).fixes.find((f: { module: string }) => f.module === 'typescript');
      assert.ok(fix, r.stdout);
      assert.strictEqual(fix.safe, true);
      assert.strictEqual(fix.heavyMeasured, true);
      assert.match(fix.title, /load time measured [\d.]+ ms in one run/);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
