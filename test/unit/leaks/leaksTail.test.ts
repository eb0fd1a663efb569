// The leak hunt's status bar reads the measurements as they are appended (LeaksTail), on a real
// hunt of the corpus's cache.js (no snapshots, ~2 s): every measurement is counted once, the
// newest is the file's last, and the files are read once, not whole again on every poll (their
// lines carry every site's bytes).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { huntLeaks } from '../../../src/core/leaks/hunt';
import { LeaksTail, readLeaksFile, type LeaksLatest } from '../../../src/core/leaks/read';
import { buildPreload, ROOT } from '../runner/helpers';
import { countReads } from '../fsReads';
import { tempDir } from '../tempDirs';

describe('leaks: the measurements read as they grow (LeaksTail)', function () {
  const polls: LeaksLatest[][] = [];
  let dir: string;
  let bytesRead = 0;

  before(async function () {
    buildPreload();
    dir = tempDir('leaksTail');
    const tail = new LeaksTail(dir);
    // Only the polls' reads count (the hunt's own analysis reads the file once at the end).
    let polling = false;
    const stop = countReads('.leaks.jsonl', (bytes) => { if (polling) bytesRead += bytes; });
    const poll = () => {
      polling = true;
      try { polls.push(tail.read()); } finally { polling = false; }
    };
    const timer = setInterval(poll, 100);
    try {
      await huntLeaks({ command: 'node', args: [path.join(ROOT, 'test/fixtures/leaks/cache.js')], cwd: dir, outDir: dir, config: { snapshots: false }, onOutput: () => undefined });
      poll();
    } finally {
      clearInterval(timer);
      stop();
    }
  });

  it('counts each measurement once, the newest last, reading each byte once', () => {
    const files = fs.readdirSync(dir).filter((n) => n.endsWith('.leaks.jsonl'));
    assert.strictEqual(files.length, 1, files.join(', '));
    const whole = readLeaksFile(path.join(dir, files[0]));
    const size = fs.statSync(path.join(dir, files[0])).size;
    const last = polls[polls.length - 1];
    assert.strictEqual(last.length, 1);
    assert.strictEqual(last[0].count, whole.points.length);
    assert.deepStrictEqual(last[0].last, whole.points[whole.points.length - 1]);
    const during = polls.filter((p) => p.length && p[0].count < whole.points.length);
    assert.ok(during.length >= 2, `polls that saw the hunt part-way: ${during.length} of ${polls.length}`);
    // Re-reading the file on each poll (the status bar did) reads it about polls / 2 times over.
    assert.ok(bytesRead >= size && bytesRead <= size * 1.2, `read ${bytesRead} bytes for a ${size}-byte file over ${polls.length} polls`);
  });
});
