// The memoize fix's cache stays bounded: a real process runs a function memoized by the engine
// with an endless stream of distinct arguments (200,000 distinct 100-character strings) and
// its heap, measured after a full GC, grows no more than a bounded cache can hold.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applySafeFixes } from '../../../src/core/refactor';
import { MEMO_MAX } from '../../../src/core/refactor/memoize';

describe('memoize: the cache stays within its bound under distinct arguments', function () {
  this.timeout(60_000);

  it('holds at most MEMO_MAX entries and the heap does not grow with the number of distinct calls', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-memo-bound-'));
    try {
      const file = path.join(dir, 'lib.js');
      const source = "'use strict';\nfunction label(s) {\n  return s.toUpperCase() + s.length;\n}\nmodule.exports = { label };\n";
      const fixed = applySafeFixes(file, source, { kinds: ['memoize'], requireCallEvidence: false });
      assert.strictEqual(fixed.applied.length, 1);
      // The cache variable is module-level: expose it for the check.
      fs.writeFileSync(file, fixed.text.replace('module.exports = { label };', 'module.exports = { label, size: () => (_label_cache ? _label_cache.size : 0) };'));
      fs.writeFileSync(path.join(dir, 'drive.js'), `
        const { label, size } = require('./lib');
        const pad = 'x'.repeat(90);
        let n = 0, sink = 0, maxSize = 0;
        const calls = (k) => { for (let i = 0; i < k; i++, n++) { sink += label(pad + n).length; if (size() > maxSize) maxSize = size(); } };
        const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
        calls(5000);
        const early = heap();
        calls(200000);
        const late = heap();
        console.log(JSON.stringify({ early, late, maxSize, n, sink }));
      `);
      const r = spawnSync(process.execPath, ['--expose-gc', 'drive.js'], { cwd: dir, encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      const m = JSON.parse(r.stdout) as { early: number; late: number; maxSize: number; n: number };
      assert.strictEqual(m.n, 205000);
      assert.ok(m.maxSize <= MEMO_MAX, `cache held ${m.maxSize} entries`);
      // 200,000 distinct entries kept would be > 40 MB; a bounded cache changes the heap by at most
      // about MEMO_MAX entries (~0.3 MB here), whatever the number of calls.
      assert.ok(m.late - m.early < 2 * 1024 * 1024, `heap grew ${((m.late - m.early) / 1048576).toFixed(2)} MB from 5,000 to 205,000 distinct calls`);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
