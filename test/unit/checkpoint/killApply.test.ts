// `hotpath fixes --apply` killed (SIGKILL) at random moments of its write phase, on a small batch
// through the real CLI: no file is ever left half-written (each holds its content before or its fixed
// content), and a plain `hotpath rollback` (no --force) restores every file and removes the
// temporary files. The same trial on 2,000 files and 20+ kills: `node --import tsx scripts/killApply.ts`.
import * as assert from 'assert';
import { runKillTrials } from '../../../scripts/killApply';
import { buildOnly } from '../build';

describe('fixes --apply killed during its write phase', function () {
  // Four batches of the real CLI (one uninterrupted, three killed) and their rollbacks.
  this.timeout(300_000);
  before(() => buildOnly('cli,engines'));

  it('60 files, 3 kills at random moments: no file half-written; a plain rollback restores every file', async () => {
    const lines: string[] = [];
    const f = await runKillTrials({ files: 60, kills: 3, seed: 11, log: (l) => lines.push(l) });
    assert.deepStrictEqual(f.tornFiles, [], lines.join('\n'));
    assert.strictEqual(f.torn, 0);
    assert.deepStrictEqual(f.failures, [], lines.join('\n'));
    assert.strictEqual(f.restored, 3, lines.join('\n'));
    assert.ok(f.landed >= 1, `at least one kill landed before the batch ended: ${lines.join('\n')}`);
  });
});
