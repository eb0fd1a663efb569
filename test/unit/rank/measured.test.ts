// Measured data from a real profile run of the fixture (CPU, heap and import times, every
// process) turns factors from estimates into measurements, and outranks the estimates.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRankState, rankResult, rankWorkspace, scanWorkspace, setMeasured } from '../../../src/core/rank';
import { loadMeasuredFiles } from '../../../src/core/rank/loadMeasured';
import { runTarget } from '../../../src/core/runner/run';
import { byFile, FIXTURES } from './helpers';
import { buildOnly } from '../build';


describe('rank: measured data from a real profile run', function () {
  this.timeout(120_000);
  const root = path.join(FIXTURES, 'rank-basic');
  let outDir: string;

  before(async () => {
    buildOnly('preload');
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rank-run-'));
    const result = await runTarget({
      // 3000 steps (config.json says 300): particles.js's CPU must be sampled, and 300 steps
      // (~20 ms) once got no sample at all on a clean-clone CI run at load 6.
      command: process.execPath, args: ['main.js', '3000'], cwd: root, outDir, timeoutMs: 60_000,
      capture: { cpu: true, heap: true, imports: true },
    });
    assert.strictEqual(result.exitCode, 0, result.outputTail);
    assert.ok(result.processes.length >= 1);
  });
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('marks measured factors and reports the measured load time of the heavy package', async () => {
    const { measured, notes } = await loadMeasuredFiles([outDir], 'fixture run', root);
    assert.ok(measured, notes.join('; '));
    const r = await rankWorkspace(root, { measured });
    assert.strictEqual(r.measuredFrom, 'fixture run');
    const report = byFile(r, 'src/report.js');
    assert.strictEqual(report.factors.heavyDependencies.measured, true);
    assert.strictEqual(report.factors.startupImpact.measured, true);
    const ms = Number(/: ([\d.]+) ms load \(measured\)/.exec(report.factors.heavyDependencies.evidence[0])?.[1]);
    // Loading the TypeScript compiler takes tens to hundreds of ms on any machine.
    assert.ok(ms > 20, report.factors.heavyDependencies.evidence[0]);
    assert.ok(report.factors.heavyDependencies.score > 6, 'a measured factor can exceed the estimate cap');
    assert.ok(report.patterns.some((p) => p.kind === 'lazy-load' && p.sites[0].line === 2));

    const particles = byFile(r, 'src/particles.js');
    assert.strictEqual(particles.factors.memory.measured, true);
    assert.strictEqual(particles.factors.memory.notCaptured, undefined);
    assert.ok(/MB allocated \(measured/.test(particles.factors.memory.evidence[0]), particles.factors.memory.evidence[0]);
    assert.strictEqual(particles.factors.cpu.measured, true);
    // A sampled time comes with its sampling error.
    assert.match(particles.factors.cpu.evidence[0], /ms ±[\d.]+ ms \(\d+ samples\) self CPU/);
    assert.ok(particles.patterns.some((p) => p.kind === 'pool'));

    // The modules with real costs rank above the helper, and a file never loaded stays estimated.
    const order = r.modules.map((m) => m.file);
    assert.ok(order.indexOf('src/report.js') < order.indexOf('src/helpers.js'));
    assert.ok(order.indexOf('src/particles.js') < order.indexOf('src/helpers.js'));
    assert.strictEqual(byFile(r, 'src/format.ts').factors.startupImpact.measured, false);
  });

  // Issue 14 item 6: a run without heap sampling read as "memory 0.0" for every module.
  it('a run without heap sampling says memory is not captured, never a measured 0', async () => {
    const noHeap = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rank-noheap-'));
    try {
      const result = await runTarget({ command: process.execPath, args: ['main.js'], cwd: root, outDir: noHeap, timeoutMs: 60_000, capture: { cpu: true, heap: false, imports: true } });
      assert.strictEqual(result.exitCode, 0, result.outputTail);
      const { measured } = await loadMeasuredFiles([noHeap], 'cpu-only run', root);
      assert.ok(measured);
      const r = await rankWorkspace(root, { measured });
      for (const m of r.modules) {
        assert.strictEqual(m.factors.memory.notCaptured, true, m.file);
        assert.strictEqual(m.factors.memory.measured, false, m.file);
        assert.match(m.factors.memory.evidence[0], /^memory: not captured in cpu-only run \(no heap sampling; profile with --heap/);
      }
      // The CPU factor is still measured from that run.
      assert.strictEqual(byFile(r, 'src/particles.js').factors.cpu.measured, true);
    } finally {
      fs.rmSync(noHeap, { recursive: true, force: true });
    }
  });

  it('re-scores with a new run without rescanning (setMeasured), and back to estimates', async () => {
    const scan = await scanWorkspace(root);
    const state = createRankState(scan);
    assert.strictEqual(byFile(rankResult(state), 'src/report.js').factors.startupImpact.measured, false);
    const { measured } = await loadMeasuredFiles([outDir], 'fixture run', root);
    setMeasured(state, measured);
    assert.strictEqual(byFile(rankResult(state), 'src/report.js').factors.startupImpact.measured, true);
    setMeasured(state, undefined);
    assert.strictEqual(byFile(rankResult(state), 'src/report.js').factors.startupImpact.measured, false);
  });

  it('a corrupt profile file becomes a note, the readable files still count', async () => {
    const bad = path.join(outDir, '999-0.cpuprofile');
    fs.writeFileSync(bad, '{"nodes": [1, 2');
    try {
      const { measured, notes } = await loadMeasuredFiles([outDir], 'fixture run', root);
      assert.ok(measured);
      assert.ok(notes.some((n) => n.startsWith('999-0.cpuprofile')), notes.join('\n'));
    } finally {
      fs.rmSync(bad);
    }
  });
});
