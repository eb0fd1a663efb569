// A run's small CPU profiles are read through JSON.parse (cpuParsed.ts): the same RawCpuProfile
// as the byte scanner for what V8 writes, and undefined (the scanner reads it) for anything else.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { cpuProfileFromJson } from '../../../src/core/profile/cpuParsed';
import { parseTopLevel, type RawCpuProfile } from '../../../src/core/profile/cpuParser';
import { FIXTURES, recordCpu } from './helpers';

function scanned(text: string): RawCpuProfile {
  const top = parseTopLevel(Buffer.from(text), 'test.cpuprofile');
  assert.strictEqual(top.format, 'cpuprofile');
  return (top as { profile: RawCpuProfile }).profile;
}

/** Every field, typed arrays as plain arrays (the scanner's are views of bigger buffers). */
const plain = (p: RawCpuProfile) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v]));

function same(text: string): void {
  const fast = cpuProfileFromJson(JSON.parse(text));
  assert.ok(fast, 'read through JSON.parse');
  assert.deepStrictEqual(plain(fast), plain(scanned(text)));
}

describe('small .cpuprofile through JSON.parse', () => {
  let real: string;
  before(function () {
    this.timeout(60_000);
    real = fs.readFileSync(recordCpu(path.join(FIXTURES, 'src', 'twoHot.js'), ['150'])[0], 'utf8');
  });

  it('gives what the byte scanner gives for a real profile', () => same(real));

  it('and for `parent` links, escapes, ids from 10, floats written as integers and negative deltas', () => {
    const cf = (functionName: string, url = '') => ({ functionName, scriptId: '1', url, lineNumber: 2, columnNumber: 4 });
    same(JSON.stringify({
      nodes: [
        { id: 10, callFrame: { ...cf('(root)'), lineNumber: -1, columnNumber: -1 } },
        { id: 11, parent: 10, callFrame: cf('quote"back\\slash\ttab', 'file:///tmp/a b/x.js'), positionTicks: [{ line: 3, ticks: 2 }] },
        { id: 12, parent: 11, callFrame: cf('größe→ü', 'file:///tmp/%C3%BC/y.js') },
        { id: 13, parent: 10, callFrame: { functionName: 'noScript', url: '', lineNumber: 1, columnNumber: 1 } },
        { id: 14, parent: 10, callFrame: cf('quote"back\\slash\ttab', 'file:///tmp/a b/x.js') },
      ],
      startTime: 1500, endTime: 2000.25, samples: [11, 12, 12, 13, 14], timeDeltas: [5, -3, 7, 100, 0],
    }).replace('"startTime":1500', '"startTime":1.5e3').replace('[5,-3,7,100,0]', '[5, -3 ,7.0,1E2,0]'));
  });

  it('leaves anything else to the byte scanner', () => {
    const p = JSON.parse(real) as { nodes: { id: number; children?: number[]; callFrame: Record<string, unknown> }[]; samples: number[]; timeDeltas: number[] };
    const edit = (f: (q: typeof p) => void) => { const q = JSON.parse(real) as typeof p; f(q); return q; };
    const refused: [string, unknown][] = [
      ['ids far apart', edit((q) => { q.nodes[q.nodes.length - 1].id += 1e6; })],
      ['two nodes with one id', edit((q) => { q.nodes[2].id = q.nodes[1].id; })],
      ['a sample of a missing node', edit((q) => { q.samples[0] = 1e6; })],
      ['a fractional sample id', edit((q) => { q.samples[0] += 0.5; })],
      ['a fractional time delta', edit((q) => { q.timeDeltas[1] = 1.5; })],
      ['a node without a call frame', edit((q) => { delete (q.nodes[1] as { callFrame?: unknown }).callFrame; })],
      ['a numeric function name', edit((q) => { q.nodes[1].callFrame.functionName = 5; })],
      ['a child listed by two parents', edit((q) => { q.nodes[0].children!.push(q.nodes.find((x, i) => i > 0 && x.children?.length)!.children![0]); })],
      ['a child before its parent', { nodes: [{ id: 1, callFrame: {}, children: [3] }, { id: 2, callFrame: {} }, { id: 3, callFrame: {}, children: [2] }], samples: [2], timeDeltas: [1] }],
      ['a heap profile', { head: { callFrame: {}, children: [] }, samples: [{ size: 1, nodeId: 1 }] }],
      ['samples of objects', { nodes: p.nodes, samples: [{ size: 1 }] }],
      ['no nodes', { nodes: [], samples: [] }],
      ['an array', [p]],
    ];
    for (const [why, data] of refused) assert.strictEqual(cpuProfileFromJson(data), undefined, why);
  });
});
