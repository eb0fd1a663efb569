// The 0x engine: a real run under 0x, converted into a .cpuprofile with optimization tiers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nodeArgv, preprocessedToCpuProfile, tierKey, tiersByFunction } from '../../../src/core/runner/engine0x';
import { runTarget } from '../../../src/core/runner/run';
import { profileFolderResult } from '../../../src/core/runner/collect';
import { loadRun } from '../../../src/core/profile/open';
import { buildPreload, tempDir, TARGETS, totalTimeByFunction } from './helpers';
import { hotpath } from '../cli/cli';
import { buildOnly } from '../build';

describe('runner: 0x engine', function () {
  before(() => {
    buildPreload();
    buildOnly('cli');
  });

  it('profiles the main process under 0x and converts its ticks, with tiers', async function () {
    // Load-sensitive (a wall-clock workload the machine's load can squeeze): one retry, named in
    // scripts/test.js's summary; the assertions are unchanged.
    this.retries(1);
    // 0x post-processes the V8 log in extra processes: slow on a loaded machine.
    this.timeout(180_000);
    const r = await runTarget({ command: 'node twoShares.js', cwd: TARGETS, outDir: tempDir('0x'), capture: { cpu: true, heap: false, imports: true }, engine: '0x' });
    assert.strictEqual(r.exitCode, 0, r.outputTail);
    assert.match(r.outputTail, /twoShares done/);
    // Only the target is recorded: neither 0x itself nor its --prof-process step.
    assert.strictEqual(r.processes.length, 1, JSON.stringify(r.processes.map((p) => p.commandLine)));
    const p = r.processes[0];
    assert.match(p.commandLine, /twoShares\.js/);
    assert.ok(p.cpuProfile && p.importsFile, JSON.stringify(p));
    // 0x's own preloads (and node:cluster, which they load) are not the program's modules.
    const imports = JSON.parse(fs.readFileSync(p.importsFile!, 'utf8')) as { modules: { file: string; parent: string | null }[] };
    assert.ok(imports.modules.some((m) => m.file === path.join(TARGETS, 'busy.js')), JSON.stringify(imports.modules));
    assert.deepStrictEqual(imports.modules.filter((m) => /[\\/]0x[\\/]/.test(m.file) || m.file === 'node:cluster'), []);
    const total = totalTimeByFunction(p.cpuProfile!);
    const a = total.get('hotSeventy') ?? 0, b = total.get('hotThirty') ?? 0;
    const share = a / (a + b);
    // V8's tick profiler takes fewer samples than the inspector: a wider tolerance.
    assert.ok(share > 0.55 && share < 0.85, `hotSeventy share ${share.toFixed(3)} (${a} / ${b} µs)`);
    const profile = JSON.parse(fs.readFileSync(p.cpuProfile!, 'utf8'));
    assert.strictEqual(profile.$hotpath.engine, '0x');
    const tiers = Object.values(profile.$hotpath.tiers as Record<string, Record<string, number>>);
    assert.ok(tiers.some((t) => (t.optimized ?? 0) + (t.maglev ?? 0) + (t.baseline ?? 0) > 0), JSON.stringify(tiers).slice(0, 300));
    assert.ok(profile.timeDeltas.length === profile.samples.length && profile.endTime > profile.startTime);
    // The busy loop runs long enough to be optimized; its samples carry their tiers.
    const busy = tiersByFunction(p.cpuProfile!).get(tierKey('busy', path.join(TARGETS, 'busy.js'), 2));
    assert.ok(busy && Object.values(busy).reduce((a, b) => a + b, 0) > 10, JSON.stringify(busy));
    // Read back from the folder alone (report --run, diff, rank --profile): the CPU profile is found
    // through the meta file, so the folder is a CPU run, not "module load times" only.
    const folder = profileFolderResult(r.outDir)!;
    assert.strictEqual(folder.processes[0].cpuProfile, p.cpuProfile);
    const model = await loadRun(folder, { root: TARGETS });
    assert.ok(model.cpu && model.cpu.sampleCount > 10, 'the folder has the CPU graph');
    // The same folder through the CLI (issue 11): `report --run` keeps the CPU graph, and `diff`
    // compares CPU samples instead of refusing a run that "holds module load times".
    const report = hotpath(TARGETS, ['report', '--run', r.outDir, '--out', path.join(tempDir('0x-report'), 'r.html'), '--json']);
    assert.strictEqual(report.code, 0, report.stderr);
    const rj = JSON.parse(report.stdout) as { graphs: string[]; topFunctions: { name: string }[] };
    assert.deepStrictEqual(rj.graphs, ['cpu', 'imports']);
    assert.ok(rj.topFunctions.some((f) => f.name === 'busy'), JSON.stringify(rj.topFunctions.slice(0, 5)));
    const diff = hotpath(TARGETS, ['diff', r.outDir, r.outDir, '--json']);
    assert.strictEqual(diff.code, 0, diff.stderr);
    assert.doesNotMatch(diff.stderr, /module load times/);
    assert.strictEqual((JSON.parse(diff.stdout) as { kind: string }).kind, 'cpu');
  });

  it('refuses what 0x cannot run, with a reason', async () => {
    assert.match(String(nodeArgv('npm test')), /"npm" is not node/);
    assert.match(String(nodeArgv('node a.js | cat')), /shell syntax/);
    assert.deepStrictEqual(nodeArgv('node', ['a.js', '--x']), ['a.js', '--x']);
    const r = await runTarget({ command: 'npm test', cwd: TARGETS, outDir: tempDir('0xbad'), capture: { cpu: true, heap: false, imports: false }, engine: '0x' });
    assert.match(r.error ?? '', /not node/);
  });

  it('converts tick stacks innermost-first into a call tree', () => {
    const code = [
      { name: 'outer /x/a.js:1:1', type: 'JS', kind: 'Unopt' },
      { name: 'inner /x/a.js:5:3', type: 'JS', kind: 'Opt' },
      { name: 'v8::internal::Foo', type: 'CPP' },
    ];
    const profile = preprocessedToCpuProfile({ code, ticks: [
      { tm: 1000, vm: 0, s: [2, 0, 1, 10, 0, 20] },
      { tm: 2000, vm: 0, s: [1, 10, 0, 20] },
      { tm: 2500, vm: 1, s: [0, 20] },
    ] }) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children: number[] }[]; samples: number[]; timeDeltas: number[]; $hotpath: { tiers: Record<string, Record<string, number>> } };
    const byName = (n: string) => profile.nodes.find((x) => x.callFrame.functionName === n)!;
    assert.deepStrictEqual(byName('outer').children.map((id) => profile.nodes[id - 1].callFrame.functionName).sort(), ['(garbage collector)', 'inner']);
    assert.strictEqual(byName('inner').callFrame.url, 'file:///x/a.js');
    assert.strictEqual(byName('inner').callFrame.lineNumber, 4);
    assert.deepStrictEqual(profile.samples, [byName('inner').id, byName('inner').id, byName('(garbage collector)').id]);
    assert.deepStrictEqual(profile.timeDeltas, [0, 1000, 500]);
    assert.deepStrictEqual(profile.$hotpath.tiers[byName('inner').id], { optimized: 2 });
  });
});
