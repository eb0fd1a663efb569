// memoize evidence on a real run (`hotpath fixes --calls -- <command>`): the counting preload
// counts each candidate's calls in every process (a child process, an ES module too), the calls
// that call through the cache, distinct arguments and the hits of a cache like the fix's; only
// candidates whose hit rate pays are speed fixes and --apply memoizes only them; the stored counts
// are read again later and stop applying to a function once its text changes.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hotpath } from '../cli/cli';

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'memo-calls');

interface JsonFix { file: string; kind: string; module: string; safe: boolean; reason: string | null; title: string; explanation: string; calls: null | { calls: number; bypassed: number; distinct: number; hits: number; hitRate: number; processes: number; run: { id: string } } }

describe('memoize evidence: counted calls (hotpath fixes --calls)', function () {
  this.timeout(240_000);
  let dir: string;
  let counted: { fixes: JsonFix[]; callsRun: { id: string; file: string; counted: number; exitCode: number; notes: string[] } };
  const fix = (fixes: JsonFix[], name: string) => {
    const f = fixes.find((x) => x.kind === 'memoize' && x.module === name);
    assert.ok(f, `a memoize fix for ${name}: ${fixes.map((x) => x.module).join(', ')}`);
    return f;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-memo-calls-'));
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const r = hotpath(dir, ['fixes', '.', '--kind', 'memoize', '--explain', '--json', '--calls', '--', 'node', 'main.js'], 180_000);
    assert.strictEqual(r.code, 0, r.stderr);
    counted = JSON.parse(r.stdout);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts calls, call-throughs, distinct arguments and cache hits per function, over the child process and the ES module', () => {
    assert.strictEqual(counted.callsRun.exitCode, 0);
    assert.deepStrictEqual(counted.callsRun.notes, []);
    const pick = (name: string) => {
      const c = fix(counted.fixes, name).calls;
      assert.ok(c, `${name} was counted`);
      return { calls: c.calls, bypassed: c.bypassed, distinct: c.distinct, hits: c.hits, processes: c.processes };
    };
    // 300 calls with 3 titles in main, 150 with one title in the child.
    assert.deepStrictEqual(pick('slug'), { calls: 450, bypassed: 0, distinct: 3, hits: 446, processes: 2 });
    // (1, 2) and ('1', 2) are different keys (type-tagged); -0 calls through.
    assert.deepStrictEqual(pick('pair'), { calls: 7, bypassed: 1, distinct: 2, hits: 4, processes: 1 });
    assert.deepStrictEqual(pick('once'), { calls: 1, bypassed: 0, distinct: 1, hits: 0, processes: 1 });
    // Objects call through: 5 of 10 calls.
    assert.deepStrictEqual(pick('kind'), { calls: 10, bypassed: 5, distinct: 1, hits: 4, processes: 1 });
    assert.deepStrictEqual(pick('square'), { calls: 200, bypassed: 0, distinct: 10, hits: 190, processes: 1 });
    assert.deepStrictEqual(pick('never'), { calls: 0, bypassed: 0, distinct: 0, hits: 0, processes: 0 });
  });

  it('offers memoize as a speed fix only where the hit rate pays, saying the measured rate', () => {
    const slug = fix(counted.fixes, 'slug');
    assert.strictEqual(slug.safe, true);
    assert.match(slug.title, /measured hit rate 99\.1 % \(446 of 450 calls\)/);
    assert.match(slug.explanation, /450 calls in 2 processes, 3 distinct arguments: hit rate 99\.1 %/);
    assert.strictEqual(fix(counted.fixes, 'square').safe, true);
    for (const name of ['pair', 'once', 'kind']) {
      const f = fix(counted.fixes, name);
      assert.strictEqual(f.safe, false, name);
      assert.match(f.reason!, /^not a speed fix: .*hit rate/, name);
    }
    assert.match(fix(counted.fixes, 'never').reason!, /never called it/);
    assert.strictEqual(fix(counted.fixes, 'square').calls!.run.id, counted.callsRun.id);
  });

  it('stores the counts: a later listing reads them, --apply memoizes only the paying functions, the output stays the same', () => {
    assert.ok(fs.existsSync(counted.callsRun.file), counted.callsRun.file);
    const before = spawnSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' }).stdout;
    const r = hotpath(dir, ['fixes', '.', '--kind', 'memoize', '--json', '--apply']);
    assert.strictEqual(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.callsRun.id, counted.callsRun.id);
    assert.deepStrictEqual(out.changedFiles.sort(), ['esm.mjs', 'lib.js']);
    const lib = fs.readFileSync(path.join(dir, 'lib.js'), 'utf8');
    assert.match(lib, /function slug\(s\) \{\n  \/\/ Memoized by Hotpath/);
    assert.doesNotMatch(lib, /function (pair|once|kind|never)\(\w+(, \w+)?\) \{\n  \/\/ Memoized/);
    assert.match(fs.readFileSync(path.join(dir, 'esm.mjs'), 'utf8'), /function square\(n\) \{\n  \/\/ Memoized by Hotpath/);
    assert.strictEqual(spawnSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' }).stdout, before);
  });

  it('counts stop applying to a function whose text changed since the run', () => {
    const file = path.join(dir, 'lib.js');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('return n * 2;', 'return n * 3;'));
    const out = JSON.parse(hotpath(dir, ['fixes', '.', '--kind', 'memoize', '--json', '--explain']).stdout);
    const once = fix(out.fixes, 'once');
    assert.strictEqual(once.calls, null);
    assert.match(once.title, /not measured/);
    assert.strictEqual(fix(out.fixes, 'pair').calls!.calls, 7);
  });
});
