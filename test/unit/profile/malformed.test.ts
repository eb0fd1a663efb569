// Profiles that parse but do not hold together: never read silently into wrong numbers. A real
// profile of twoHot.js is altered one way per case: a cycle in the parent/child links, a node
// listed under two parents, two nodes with one id (refused, naming the ids); negative time deltas
// (read as 0, and a note says so, on one thread and with the worker); speedscope weights of the
// wrong length or sign and a 0x tick log whose stack names a code entry it lacks (refused);
// a FIFO (refused at once, it would block), and files starting with "[" that are no trace.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { openProfileFile, ProfileError, type ProfileModel } from '../../../src/core/profile';
import { FIXTURES, recordCpu, tempDir, type JsonProfile } from './helpers';
import { buildOnly } from '../build';

const SRC = path.join(FIXTURES, 'src');
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const FORMATS = /Hotpath opens \.cpuprofile .*speedscope JSON.*0x tick logs/;

async function refused(file: string, message: RegExp, parallel = false): Promise<void> {
  await assert.rejects(openProfileFile(file, { root: SRC, parallelMinBytes: parallel ? 0 : Infinity, parallelSchedule: 'wait' }), (err: unknown) => {
    assert.ok(err instanceof ProfileError, `a ProfileError, got ${String(err)}`);
    assert.ok(err.message.includes(file), `names the file: ${err.message}`);
    assert.match(err.message, message);
    return true;
  });
}

describe('malformed profiles are refused or read with a note, never silently wrong', function () {
  this.timeout(60_000);
  let dir: string;
  let real: JsonProfile;
  before(() => {
    dir = tempDir('malformed');
    real = JSON.parse(fs.readFileSync(recordCpu(path.join(SRC, 'twoHot.js'), ['200'])[0], 'utf8'));
    assert.ok(real.nodes.length > 5 && real.samples.length > 20, 'a real profile with some depth');
  });
  const write = (name: string, data: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
    return file;
  };
  const copy = (): JsonProfile => JSON.parse(JSON.stringify(real));
  /** The longest path of ids from the root down to a leaf. */
  const leafPath = (p: JsonProfile): number[] => {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const longest = (id: number): number[] => {
      const kids = (byId.get(id)!.children ?? []).map(longest);
      return [id, ...kids.reduce((a, k) => (k.length > a.length ? k : a), [] as number[])];
    };
    return longest(p.nodes[0].id);
  };

  it('a cycle in the parent/child links', async () => {
    const p = copy();
    const chain = leafPath(p);
    assert.ok(chain.length >= 3);
    // The root lets go of chain[1] and the leaf takes it as its child: chain[1] ... leaf is a
    // loop (each node still has one parent), cut off from the root.
    const root = p.nodes.find((n) => n.id === chain[0])!;
    root.children = root.children!.filter((c) => c !== chain[1]);
    const leaf = p.nodes.find((n) => n.id === chain[chain.length - 1])!;
    leaf.children = [chain[1]];
    const file = write('cycle.cpuprofile', p);
    await refused(file, new RegExp(`the CPU profile is inconsistent: the parent/child links of nodes .*${chain[1]}.* form a cycle`));
    await refused(file, /form a cycle/, true);
  });

  it('a node listed as a child of two nodes', async () => {
    const p = copy();
    const chain = leafPath(p);
    const other = p.nodes.find((n) => n.id !== chain[chain.length - 2] && n.id !== chain[chain.length - 1] && !chain.includes(n.id))!;
    other.children = [...(other.children ?? []), chain[chain.length - 1]];
    await refused(write('twoParents.cpuprofile', p), new RegExp(`node ${chain[chain.length - 1]} is listed as a child of both node \\d+ and node \\d+`));
  });

  it('two nodes with the same id', async () => {
    const p = copy();
    const last = p.nodes[p.nodes.length - 1];
    const dup = p.nodes[p.nodes.length - 2].id;
    // Whatever pointed at the last node's id now points at the duplicate.
    for (const n of p.nodes) n.children = n.children?.map((c) => (c === last.id ? dup : c));
    p.samples = p.samples.map((s) => (s === last.id ? dup : s));
    last.id = dup;
    await refused(write('dupIds.cpuprofile', p), new RegExp(`node id ${dup} is used by two nodes`));
  });

  for (const parallel of [false, true]) {
    it(`negative time deltas are read as 0 and a note says how many (${parallel ? 'worker thread' : 'one thread'})`, async () => {
      const p = copy();
      const at = [5, 9, 14];
      for (const i of at) p.timeDeltas[i] = -Math.abs(p.timeDeltas[i]) - 100;
      const file = write(`negative-${parallel}.cpuprofile`, p);
      const m: ProfileModel = await openProfileFile(file, { root: SRC, parallelMinBytes: parallel ? 0 : Infinity, parallelSchedule: 'wait' });
      assert.ok(m.notes.some((n) => /the CPU profile has 3 negative time deltas \(samples recorded out of order\), read as 0/.test(n)), m.notes.join('\n'));
      // The total is the non-negative deltas (the last sample lasts to endTime, as always).
      const expected = p.timeDeltas.slice(1).reduce((a, d) => a + Math.max(0, d), 0);
      assert.ok(Math.abs(m.cpu!.totalUs - expected) <= (p.endTime - p.startTime), `total ${m.cpu!.totalUs} vs ${expected}`);
      assert.ok(m.cpu!.totalUs >= 0);
      const plain = await openProfileFile(write(`plain-${parallel}.cpuprofile`, real), { root: SRC });
      assert.ok(!plain.notes.some((n) => /negative time delta/.test(n)), 'no note for a profile without negative deltas');
    });
  }

  it('speedscope: weights of the wrong length, or negative, are refused; the right ones read', async () => {
    const ss = (weights: unknown) => ({
      $schema: 'https://www.speedscope.app/file-format-schema.json', shared: { frames: [{ name: 'a' }, { name: 'b' }] },
      profiles: [{ type: 'sampled', name: 'p', unit: 'milliseconds', startValue: 0, endValue: 6, samples: [[0], [0, 1], [0, 1]], weights }],
    });
    await refused(write('short.speedscope.json', ss([1, 2])), /speedscope profile "p" has 3 samples but 2 weights/);
    await refused(write('none.speedscope.json', ss(undefined)), /has 3 samples but 0 weights/);
    await refused(write('neg.speedscope.json', ss([1, -2, 3])), /has weight -2 at sample 1/);
    const ok = await openProfileFile(write('ok.speedscope.json', ss([1, 2, 3])), { root: SRC });
    assert.strictEqual(ok.cpu!.totalUs, 6000);
  });

  it('a 0x tick log whose stack names a code entry it does not have', async () => {
    const log = (s: number[]) => ({
      code: [{ name: 'hot /x.js:1:1', type: 'JS', kind: 'Opt' }, { name: 'main /x.js:5:1', type: 'JS', kind: 'Unopt' }],
      ticks: [{ tm: 1000, vm: 0, s: [0, 1, 1, 2] }, { tm: 2000, vm: 0, s }, { tm: 3000, vm: 0, s: [-1, 0, 1, 0] }],
    });
    await refused(write('isolate-bad-v8.log.json', log([7, 1, 1, 2])), /0x tick log but could not be converted \(tick 1 refers to code entry 7, but the log has 2 code entries/);
    await refused(write('isolate-neg-v8.log.json', log([-5, 1])), /tick 1 refers to code entry -5/);
    const ok = await openProfileFile(write('isolate-ok-v8.log.json', log([0, 1, 1, 2])), { root: SRC });
    assert.ok(ok.frames.some((f) => f.name === 'hot'));
  });

  it('a FIFO is refused at once (opening it would wait for a writer), also by the CLI', async () => {
    const fifo = path.join(dir, 'pipe.cpuprofile');
    execFileSync('mkfifo', [fifo]);
    await refused(fifo, /it is a named pipe \(FIFO\), not a regular file/);
    if (!fs.existsSync(CLI)) buildOnly('cli');
    const r = spawnSync(process.execPath, [CLI, 'profile', '--from', fifo], { encoding: 'utf8', timeout: 20_000 });
    assert.strictEqual(r.status, 1, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr}`);
    assert.match(r.stderr, /named pipe \(FIFO\), not a regular file/);
  });

  it('a file starting with "[" that is no trace is "not a profile Hotpath can read", naming the formats', async () => {
    const log = write('server.cpuprofile', '[INFO] server started on :8080\n[WARN] slow request\n');
    await refused(log, /is not a profile Hotpath can read: it is text starting with "\[" that is not JSON \(first line: "\[INFO\] server started on :8080"\)/);
    await refused(log, FORMATS);
    await refused(write('numbers.json', '[1, 2, 3]'), /is not a profile Hotpath can read: it is a JSON array of numbers\./);
    await refused(write('empty.json', '[]'), /it is an empty JSON array/);
    // A real trace-event array without CPU samples keeps its own, more useful message.
    await refused(write('trace.json', '[{"name":"x","ph":"X","ts":1,"pid":1,"tid":1}]'), /trace-event .*without CPU samples/);
  });
});
