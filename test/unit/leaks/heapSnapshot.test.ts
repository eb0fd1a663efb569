// The streaming .heapsnapshot reader against JSON.parse of the same real snapshot, read in chunks
// from 4 MB down to a few bytes (every number, string and escape split across reads).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readHeapSnapshot } from '../../../src/core/leaks/heapSnapshot';
import { tempDir } from '../tempDirs';

describe('heap snapshot reader', function () {
  this.timeout(120_000);
  let file: string;
  let json: { snapshot: { node_count: number; edge_count: number }; nodes: number[]; edges: number[]; strings: string[]; locations: number[] };

  before(() => {
    const dir = tempDir('snapshot');
    file = path.join(dir, 'small.heapsnapshot');
    // Strings that need every kind of escape, and non-ASCII text, so the reader's decoding is exercised.
    const program = `
      globalThis.keep = ['quote " back \\\\ slash', 'tab\\tnew\\nline', 'ünïcødé ✓ 🚀', '\\u0001ctl', 'x'.repeat(70000)];
      class Marker { constructor(i) { this.i = i; } }
      globalThis.markers = Array.from({ length: 300 }, (_, i) => new Marker(i));
      require('v8').writeHeapSnapshot(${JSON.stringify(file)});`;
    execFileSync(process.execPath, ['-e', program]);
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  });

  for (const chunkBytes of [4 << 20, 4096, 61]) {
    it(`reads what JSON.parse reads, in ${chunkBytes}-byte chunks`, () => {
      
      const s = readHeapSnapshot(file, { chunkBytes });
      assert.strictEqual(s.nodeCount, json.snapshot.node_count);
      assert.strictEqual(s.edgeCount, json.snapshot.edge_count);
      assert.deepStrictEqual(Array.from(s.nodes), json.nodes);
      assert.deepStrictEqual(Array.from(s.edges), json.edges);
      assert.deepStrictEqual(Array.from(s.locations), json.locations);
      assert.deepStrictEqual(s.strings, json.strings);
      for (const t of ['quote " back \\ slash', 'tab\tnew\nline', '\u0001ctl']) assert.ok(s.strings.includes(t), t);
      // V8 writes no characters outside the BMP (the rocket) into snapshot strings; the rest survives.
      assert.ok(s.strings.some((x) => x.startsWith('ünïcødé ✓')));
      assert.ok(s.strings.includes('Marker'));
    });
  }

  it('names a cut file and a file that is no snapshot', () => {
    const dir = tempDir('snapshot-bad');
    const cut = path.join(dir, 'cut.heapsnapshot');
    fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, 5000));
    assert.throws(() => readHeapSnapshot(cut), (e: Error) => e.message.startsWith(cut) && /ends inside/.test(e.message));
    const other = path.join(dir, 'other.heapsnapshot');
    fs.writeFileSync(other, '{"hello": [1, 2]}');
    assert.throws(() => readHeapSnapshot(other), /not a heap snapshot/);
  });
});
