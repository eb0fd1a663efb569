// `hotpath rank` through the built CLI: the --json contract, the table, bad arguments.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES } from './helpers';
import { buildOnly } from '../build';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const rank = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [CLI, 'rank', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

describe('cli: hotpath rank', function () {
  this.timeout(120_000);
  before(() => buildOnly('cli,engines,preload'));

  it('--run ID ranks with a run stored by `hotpath profile`: factors become measured', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rank-cli-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'rank-basic'), dir, { recursive: true });
      const p = spawnSync(process.execPath, [CLI, 'profile', '--cpu', '--heap', '--imports', '--', 'node', 'main.js'], {
        // The copy lives outside the repo: its heavy dependency resolves through NODE_PATH.
        cwd: dir, encoding: 'utf8', timeout: 90_000, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      });
      assert.strictEqual(p.status, 0, p.stderr);
      const [id] = fs.readdirSync(path.join(dir, '.hotpath', 'runs'));
      const r = rank(['--run', id, '--json'], dir);
      assert.strictEqual(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.ok(j.measuredFrom.startsWith(`run ${id}`), j.measuredFrom);
      const report = j.modules.find((m: { file: string }) => m.file === 'src/report.js');
      assert.strictEqual(report.factors.heavyDependencies.measured, true);
      assert.ok(!j.modules.some((m: { file: string }) => m.file.startsWith('.hotpath')));
      const missing = rank(['--run', 'no-such-run'], dir);
      assert.strictEqual(missing.status, 1);
      assert.match(missing.stderr, /no-such-run/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--json prints modules sorted by score with the issue 5 field names', () => {
    const r = rank([path.join(FIXTURES, 'rank-basic'), '--json']);
    assert.strictEqual(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(Array.isArray(j.modules) && Array.isArray(j.skipped));
    for (const m of j.modules) {
      for (const k of ['file', 'score', 'risk', 'factors', 'patterns']) assert.ok(k in m, `missing ${k}`);
      assert.deepStrictEqual(Object.keys(m.factors).sort(), ['cpu', 'heavyDependencies', 'initComplexity', 'memory', 'startupImpact']);
      for (const f of Object.values(m.factors) as { score: number; evidence: string[]; measured: boolean }[]) {
        assert.strictEqual(typeof f.score, 'number');
        assert.ok(Array.isArray(f.evidence));
        assert.strictEqual(typeof f.measured, 'boolean');
      }
      for (const p of m.patterns) assert.ok(p.sites.every((s: { line: number }) => Number.isInteger(s.line)));
    }
    const scores = j.modules.map((m: { score: number }) => m.score);
    assert.deepStrictEqual(scores, [...scores].sort((a, b) => b - a));
    assert.strictEqual(j.modules[0].file, 'src/report.js');
  });

  it('--top and --exclude narrow the list; the table marks estimates', () => {
    const r = rank([path.join(FIXTURES, 'rank-basic'), '--top', '2', '--exclude', 'src/report.js']);
    assert.strictEqual(r.status, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\.\d\s/.test(l));
    assert.strictEqual(rows.length, 2);
    assert.ok(!r.stdout.includes('src/report.js'));
    assert.ok(rows[0].includes('src/particles.js'));
    assert.ok(r.stdout.includes('others are estimates'));
  });

  it('bad arguments and a missing folder give a clear message and a non-zero exit', () => {
    const a = rank(['--top', 'x']);
    assert.strictEqual(a.status, 2);
    assert.ok(a.stderr.includes('--top needs a positive whole number'));
    const b = rank(['/no/such/folder']);
    assert.strictEqual(b.status, 1);
    assert.ok(b.stderr.includes('is not a folder'), b.stderr);
    const c = rank([path.join(FIXTURES, 'rank-basic'), '--profile', '/no/such.cpuprofile']);
    assert.strictEqual(c.status, 1);
    assert.ok(c.stderr.includes('does not exist'), c.stderr);
  });
});
