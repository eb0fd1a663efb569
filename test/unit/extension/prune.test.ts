// The run store stays bounded: oldest runs go first, runs shown in open panels stay.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunDir, listRuns, saveRun } from '../../../src/core/history';
import { pruneRuns } from '../../../src/extension/runs/prune';

describe('run store pruning', () => {
  let store: string;
  const ids: string[] = [];

  before(async () => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-prune-'));
    for (let i = 0; i < 5; i++) {
      const { id, dir } = createRunDir(store, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      fs.writeFileSync(path.join(dir, `${100 + i}-0.cpuprofile`), '{"nodes":[],"samples":[],"timeDeltas":[]}');
      await saveRun(store, {
        id, command: `node run${i}.js`, cwd: store, nodeVersion: process.version, startedAt: new Date().toISOString(), wallMs: 1,
        exitCode: 0, signal: null, capture: { cpu: true, heap: false, imports: false }, engine: 'inspector', timedOut: false, cancelled: false,
        processes: [], notes: [], git: undefined,
      });
      ids.push(id);
    }
  });
  after(() => fs.rmSync(store, { recursive: true, force: true }));

  it('keeps the newest runs and the ones in use, deleting the rest with their profiles', async () => {
    const inUse = new Set([path.join(store, ids[0])]); // the oldest, still open in a panel
    const removed = await pruneRuns(store, 2, inUse);
    assert.deepStrictEqual(removed.map((d) => path.basename(d)).sort(), [ids[1], ids[2]].sort());
    assert.deepStrictEqual(listRuns(store).runs.map((r) => r.id).sort(), [ids[0], ids[3], ids[4]].sort());
    for (const d of removed) assert.ok(!fs.existsSync(d), `${d} deleted`);
  });

  it('does nothing when under the limit or when the store does not exist', async () => {
    assert.deepStrictEqual(await pruneRuns(store, 10, new Set()), []);
    assert.deepStrictEqual(await pruneRuns(path.join(store, 'missing'), 1, new Set()), []);
  });
});
