// Sampling settings: the CLI flags reach the preload, the heap interval changes what V8 samples,
// and a run with too few CPU samples says how to sample finer (real runs of the fixtures).
import * as assert from 'assert';
import * as fs from 'fs';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseProfileArgs } from '../../../src/cli/commands/profile';
import { runTarget } from '../../../src/core/runner/run';
import { fewSamplesNote, FEW_SAMPLES } from '../../../src/core/runner/sampling';
import { DEFAULT_CPU_INTERVAL_US } from '../../../src/core/runner/types';
import { buildPreload, ROOT, tempDir, TARGETS } from './helpers';
import { buildOnly } from '../build';

function heapSamples(file: string): number {
  return (JSON.parse(fs.readFileSync(file, 'utf8')).samples as unknown[]).length;
}

describe('runner: sampling intervals', function () {
  this.timeout(120_000);
  before(buildPreload);

  it('--interval and --heap-interval reach the capture options; bad values are refused', () => {
    const p = parseProfileArgs(['--interval', '1000', '--heap-interval', '64', '--', 'node', 'x.js']);
    assert.strictEqual(p.capture.intervalUs, 1000);
    assert.strictEqual(p.capture.heapIntervalBytes, 64 * 1024);
    assert.strictEqual(parseProfileArgs(['--', 'node', 'x.js']).capture.heapIntervalBytes, undefined);
    assert.throws(() => parseProfileArgs(['--heap-interval', 'abc', '--', 'node', 'x.js']), /--heap-interval needs KiB/);
    assert.throws(() => parseProfileArgs(['--heap-interval', '0', '--', 'node', 'x.js']), /--heap-interval needs KiB/);
  });

  it('a smaller heap interval takes proportionally more samples of the same allocations', async () => {
    // alloc.js allocates ~300 MB (collected objects included): ~4.7k samples at 64 KiB, ~600 at 512 KiB.
    const counts: number[] = [];
    for (const kib of [64, 512]) {
      const r = await runTarget({
        command: `"${process.execPath}" alloc.js`, cwd: TARGETS, outDir: tempDir('heapiv'),
        capture: { cpu: false, heap: true, imports: false, heapIntervalBytes: kib * 1024 },
      });
      assert.strictEqual(r.exitCode, 0, r.outputTail);
      counts.push(heapSamples(r.processes[0].heapProfile!));
    }
    const ratio = counts[0] / counts[1];
    // Poisson-spaced samples: 8x expected, well inside 4x-16x.
    assert.ok(ratio > 4 && ratio < 16, `64 KiB took ${counts[0]} samples, 512 KiB ${counts[1]} (ratio ${ratio.toFixed(2)})`);
  });

  it('fewSamplesNote: only below FEW_SAMPLES and only for intervals coarser than 1 ms', () => {
    assert.match(fewSamplesNote(40, 5000, '--interval 1000')!, /Only 40 CPU samples \(one every 5 ms\).*--interval 1000/);
    assert.match(fewSamplesNote(40, undefined, 'x')!, new RegExp(`one every ${DEFAULT_CPU_INTERVAL_US / 1000} ms`));
    assert.strictEqual(fewSamplesNote(FEW_SAMPLES, 5000, 'x'), undefined);
    assert.strictEqual(fewSamplesNote(40, 1000, 'x'), undefined);
    assert.strictEqual(fewSamplesNote(0, 5000, 'x'), undefined);
  });

  it('hotpath profile of a short run at the default interval prints the note; at 1 ms it does not', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) buildOnly('cli');
    // ~0.3 s of work: ~60 samples at 5 ms, ~300 at 1 ms.
    const work = `"${process.execPath}" -e "const {busy}=require('./busy');busy(300)"`;
    const profile = (extra: string[]) => {
      const out = tempDir('fewcli');
      const r = spawnSync(process.execPath, [cli, 'profile', '--json', '--no-save', '--out', out, ...extra, work], { cwd: TARGETS, encoding: 'utf8', timeout: 60_000 });
      assert.strictEqual(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { notes: string[] };
    };
    const coarse = profile([]);
    assert.ok(coarse.notes.some((n) => new RegExp(`CPU samples \\(one every ${DEFAULT_CPU_INTERVAL_US / 1000} ms\\).*--interval 1000`).test(n)), JSON.stringify(coarse.notes));
    const fine = profile(['--interval', '1000']);
    assert.ok(!fine.notes.some((n) => /CPU samples/.test(n)), JSON.stringify(fine.notes));
  });
});
