// A profile diff across Hotpath's own memoize fix: the fix moves a function's body to
// `_<name>_impl` and leaves `<name>` as the cache in front of it, so the body's time changes name.
// Real runs of a program before and after the real fix (the refactor engine's output): the diff
// names the pair in a note and points at the cache's Δ total, which includes the body.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun } from '../../../src/core/profile';
import { diffProfiles } from '../../../src/core/profile/diff';
import { applySafeFixes } from '../../../src/core/refactor/apply';
import { runTarget } from '../../../src/core/runner/run';
import { buildPreload, tempDir } from '../runner/helpers';

// checksum() is pure arithmetic (~3 ms a call here), called with 8 distinct arguments, 10 times each.
const BEFORE = `'use strict';
function checksum(n) {
  let x = n;
  for (let i = 0; i < 400000; i++) x = (x * 31 + i) % 1000003;
  return x;
}
let sum = 0;
for (let round = 0; round < 10; round++) for (let n = 0; n < 8; n++) sum += checksum(n);
console.log('sum', sum);
`;

describe('profile diff across the memoize fix (real runs)', function () {
  this.timeout(120_000);

  it('names the cache and its _impl body in a note, with the cache\'s Δ total', async () => {
    buildPreload();
    const dir = tempDir('diff-memo');
    const before = path.join(dir, 'before', 'work.js');
    const after = path.join(dir, 'after', 'work.js');
    fs.mkdirSync(path.dirname(before), { recursive: true });
    fs.mkdirSync(path.dirname(after), { recursive: true });
    fs.writeFileSync(before, BEFORE);
    const fixed = applySafeFixes(before, BEFORE, { kinds: ['memoize'], requireCallEvidence: false });
    assert.equal(fixed.applied.length, 1, 'the engine memoizes checksum()');
    assert.match(fixed.text, /function _checksum_impl\(/);
    fs.writeFileSync(after, fixed.text);
    const models = [];
    const outputs: (string | undefined)[] = [];
    for (const file of [before, after]) {
      const r = await runTarget({ command: process.execPath, args: ['work.js'], cwd: path.dirname(file), outDir: tempDir('diff-memo-run'), capture: { cpu: true, heap: false, imports: false, intervalUs: 1000 }, timeoutMs: 60_000 });
      assert.equal(r.exitCode, 0, r.outputTail);
      outputs.push(/sum (\d+)/.exec(r.outputTail)?.[1]);
      models.push(await loadRun(r, { root: path.dirname(file) }));
    }
    assert.ok(outputs[0] && outputs[0] === outputs[1], `same output before and after: ${outputs}`);
    const d = diffProfiles(models[0], models[1]);
    const impl = d.functions.find((r) => r.name === '_checksum_impl');
    const cache = d.functions.find((r) => r.name === 'checksum');
    assert.ok(impl && impl.status === 'added', `_checksum_impl added: ${d.functions.slice(0, 6).map((r) => `${r.name} ${r.status}`).join(', ')}`);
    assert.ok(cache && cache.status === 'both');
    const note = d.notes.find((n) => n.startsWith('checksum (work.js) runs its body as _checksum_impl'));
    assert.ok(note, d.notes.join('\n'));
    assert.ok(note.includes(`(${cache.total.verdict})`), note);
    // 80 calls become 8: the body's time falls, and the cache's total (which includes it) shows that.
    assert.ok(cache.total.delta < 0, `checksum total ${cache.before.total} -> ${cache.after.total}`);
    // Without the pair there is no such note.
    assert.ok(!diffProfiles(models[0], models[0]).notes.some((n) => /runs its body as/.test(n)));
  });
});
