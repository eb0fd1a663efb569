// `hotpath leaks` on real programs of the leak corpus (test/fixtures/leaks): a leak is found and
// attributed to its function's line with a retainer path through its holder; a control that
// fills up once is not flagged; a leak in a worker thread is found in that thread. The full
// corpus, 5 repetitions each, is bench/leaks.bench.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { hotpath, noRawError, ROOT } from '../cli/cli';
import type { LeaksReport } from '../../../src/core/leaks/types';
import { tempDir } from '../tempDirs';

const CORPUS = path.join(ROOT, 'test/fixtures/leaks');

/** 1-based lines of the function marked `// LEAK` in a corpus file: its first line to its closing brace. */
export function leakLines(file: string): { first: number; last: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const first = lines.findIndex((l) => l.includes('// LEAK'));
  const indent = lines[first].match(/^\s*/)![0];
  const last = lines.findIndex((l, i) => i > first && l.startsWith(`${indent}}`));
  return { first: first + 1, last: last + 1 };
}

function leaks(args: string[]): { code: number | null; report: LeaksReport; stderr: string } {
  const cwd = tempDir('leaks');
  const r = hotpath(cwd, ['leaks', '--json', ...args], 300_000);
  noRawError(r.stderr);
  return { code: r.code, report: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('hotpath leaks on the corpus', function () {
  this.timeout(600_000);
  let cache: ReturnType<typeof leaks>;
  let singleton: ReturnType<typeof leaks>;
  let worker: ReturnType<typeof leaks>;

  before(() => {
    cache = leaks(['--', 'node', path.join(CORPUS, 'cache.js')]);
    singleton = leaks(['--no-snapshots', '--', 'node', path.join(CORPUS, 'singleton.js')]);
    worker = leaks(['--no-snapshots', '--', 'node', path.join(CORPUS, 'worker.js')]);
  });

  it('finds the unbounded cache: growing, exit 1, a slope with its interval', () => {
    assert.strictEqual(cache.report.verdict, 'growing', JSON.stringify(cache.report.processes.map((p) => p.reason)));
    assert.strictEqual(cache.code, 1);
    const p = cache.report.processes[0];
    assert.strictEqual(p.mode, 'iteration');
    assert.ok(p.points.length >= 40, `${p.points.length} points`);
    assert.ok(p.growth!.lo > 0 && p.growth!.lo <= p.growth!.slope && p.growth!.slope <= p.growth!.hi);
    // 4 pages of ~600 bytes (html string + object + tags array) per iteration.
    assert.ok(p.growth!.slope > 1000 && p.growth!.slope < 8000, `${p.growth!.slope} B/iteration`);
  });

  it('attributes the cache to renderPage, on its line, and shows the cache in the retainer path', () => {
    const p = cache.report.processes[0];
    const { first, last } = leakLines(path.join(CORPUS, 'cache.js'));
    const top = p.suspects[0];
    assert.ok(top, 'no suspect site');
    assert.strictEqual(top.name, 'renderPage');
    assert.ok(top.line >= first && top.line <= last, `line ${top.line}, expected ${first}-${last}`);
    assert.ok(top.path!.endsWith('cache.js'));
    assert.ok(p.types.length > 0, 'no object types');
    const chains = p.types.map((t) => t.retainers.map((r) => r.edge));
    assert.ok(chains.some((c) => c.includes('cache')), JSON.stringify(chains));
    for (const s of p.snapshots) assert.ok(s.bytes > 0 && fs.existsSync(path.join(cache.report.outDir!.startsWith('/') ? cache.report.outDir! : path.resolve(cache.report.cwd, cache.report.outDir!), s.file)));
  });

  it('does not flag a lazily built singleton (a step after warm-up, then flat): exit 0', () => {
    assert.strictEqual(singleton.report.verdict, 'flat', singleton.report.processes.map((p) => p.reason).join('; '));
    assert.strictEqual(singleton.code, 0);
    assert.deepStrictEqual(singleton.report.processes[0].suspects, []);
    assert.deepStrictEqual(singleton.report.processes[0].types, []);
  });

  it('finds the leak in the worker thread, not in the main thread', () => {
    assert.strictEqual(worker.report.verdict, 'growing');
    const thread = worker.report.processes.find((p) => p.threadId > 0)!;
    const main = worker.report.processes.find((p) => p.threadId === 0)!;
    assert.strictEqual(thread.verdict, 'growing', thread.reason);
    assert.notStrictEqual(main.verdict, 'growing', main.reason);
    const { first, last } = leakLines(path.join(CORPUS, 'worker.js'));
    assert.strictEqual(thread.suspects[0].name, 'processMessage');
    assert.ok(thread.suspects[0].line >= first && thread.suspects[0].line <= last);
  });

  it('time mode: a program that drives itself is measured until --duration stops it; growth per second', () => {
    // An array of 4096 numbers (32 KB) kept every 100 ms by a timer: ~320 KB/s, never marks an iteration.
    // (Not 'x'.repeat(32768): V8 builds it as a rope of shared halves, ~0.5 KB each.)
    const program = 'const kept = []; function keep() { kept.push(new Array(4096).fill(kept.length + 0.5)); } setInterval(keep, 100);';
    const r = leaks(['--no-snapshots', '--warmup', '1', '--interval', '0.5', '--duration', '8', '--', 'node', '-e', program]);
    const p = r.report.processes[0];
    assert.strictEqual(p.mode, 'time');
    assert.strictEqual(p.unit, 'second');
    assert.strictEqual(r.report.verdict, 'growing', p.reason);
    assert.strictEqual(r.code, 1);
    assert.ok(p.points.length >= 8, `${p.points.length} points`);
    assert.ok(p.growth!.lo > 100_000 && p.growth!.hi < 1_000_000, `${p.growth!.lo}-${p.growth!.hi} B/s`);
    assert.strictEqual(p.suspects[0]?.name, 'keep');
    // Live metrics were sampled about once a second and kept with the hunt.
    assert.ok(p.live.length >= 4 && p.live.every((x) => x.heapUsed > 0 && x.cpu !== null), JSON.stringify(p.live.slice(0, 2)));
  });

  it('a command that starts no Node.js process: exit 3, the cause named, no folder left in the store', () => {
    const cwd = tempDir('leaks-none');
    const r = hotpath(cwd, ['leaks', '--', 'no-such-command-hotpath']);
    assert.strictEqual(r.code, 3);
    assert.match(r.stdout, /could not find the command/);
    const store = path.join(cwd, '.hotpath', 'leaks');
    assert.deepStrictEqual(fs.existsSync(store) ? fs.readdirSync(store) : [], []);
  });

  it('says not enough data for a program that ends before enough measurements, exit 3', () => {
    const r = leaks(['--no-snapshots', '--', 'node', '-e', 'for (let i = 0; i < 12; i++) globalThis.hotpathIteration?.()']);
    assert.strictEqual(r.report.verdict, 'not enough data');
    assert.strictEqual(r.code, 3);
    assert.match(r.report.processes[0].reason, /at least 6/);
  });
});
