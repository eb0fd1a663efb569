// The worker thread paths: the parse pool gives the same ranking as inline parsing, and a whole
// scan in a worker reports progress and can be cancelled.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rankWorkspace } from '../../../src/core/rank';
import { autoWorkers, startWorker } from '../../../src/core/rank/pool';
import type { ScanReply } from '../../../src/core/rank/worker';
import { FIXTURES, project } from './helpers';

const WORKER = path.resolve(__dirname, '../../../src/core/rank/worker.ts');

/** A workspace big enough for the pool to be used (more than POOL_MIN_FILES). */
function makeWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rank-pool-'));
  fs.cpSync(path.join(FIXTURES, 'rank-basic'), root, { recursive: true });
  for (let i = 0; i < 420; i++) {
    fs.writeFileSync(path.join(root, `gen${i}.js`), `const items = [];\nfor (let j = 0; j < ${i}; j++) items.push({ j });\nmodule.exports = items;\n`);
  }
  return root;
}

describe('rank: worker threads', function () {
  this.timeout(120_000);
  let root: string;
  before(() => (root = makeWorkspace()));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('auto picks one thread per free core: one on a busy 2-core machine, never fewer than one', () => {
    assert.strictEqual(autoWorkers(2, 0.2), 2);
    assert.strictEqual(autoWorkers(2, 1.0), 1);
    assert.strictEqual(autoWorkers(2, 12), 1);
    assert.strictEqual(autoWorkers(1, 0), 1);
    assert.strictEqual(autoWorkers(8, 2.3), 6);
    assert.strictEqual(autoWorkers(64, 0), 8);
  });

  it('workers: auto ranks exactly like inline parsing', async () => {
    const inline = await rankWorkspace(root, {});
    const auto = await rankWorkspace(root, { workers: 'auto', workerScript: WORKER });
    assert.deepStrictEqual(auto.modules.map((m) => [m.file, m.score]), inline.modules.map((m) => [m.file, m.score]));
  });

  it('a pool of 2 workers ranks exactly like inline parsing', async () => {
    const progress: number[] = [];
    const inline = await rankWorkspace(root);
    const pooled = await rankWorkspace(root, { workers: 2, workerScript: WORKER, onProgress: (d) => progress.push(d) });
    assert.deepStrictEqual(project(pooled), project(inline));
    assert.strictEqual(pooled.modules.length, 428);
    assert.strictEqual(progress[progress.length - 1], 428);
  });

  it('cancelling a pooled scan rejects with a cancel error and stops the workers', async () => {
    const ac = new AbortController();
    await assert.rejects(
      rankWorkspace(root, { workers: 2, workerScript: WORKER, signal: ac.signal, onProgress: () => ac.abort() }),
      /cancelled/,
    );
  });

  it('a scan in a worker reports progress and returns the signals; cancel stops it', async () => {
    const run = (cancelAfterFirstProgress: boolean) => new Promise<ScanReply[]>((resolve, reject) => {
      const w = startWorker(WORKER);
      const replies: ScanReply[] = [];
      w.on('message', (m: ScanReply) => {
        replies.push(m);
        if (m.type === 'progress' && cancelAfterFirstProgress) w.postMessage({ type: 'cancel' });
        if (m.type !== 'progress') void w.terminate().then(() => resolve(replies));
      });
      w.on('error', reject);
      w.postMessage({ type: 'scan', root });
    });
    const done = await run(false);
    const last = done[done.length - 1];
    assert.strictEqual(last.type, 'scanned');
    assert.ok(last.type === 'scanned' && last.scan.signals.length === 428);
    assert.ok(done.some((m) => m.type === 'progress'));
    const cancelled = await run(true);
    const end = cancelled[cancelled.length - 1];
    assert.ok(end.type === 'failed' && end.cancelled, JSON.stringify(end));
  });
});
