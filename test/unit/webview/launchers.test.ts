// A real `npm run start` (npm's process, then the fixture's node main.js) through the runner, the
// profile model and the flame pipeline: npm is marked a launcher and folded by default (not
// drawn, its packages out of the legend, its notes out, not in the shares), shown on request;
// the sandwich of computePrimes merges its callers and callees; names shorten in the middle.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun, toFlameGraphs } from '../../../src/core/profile';
import { runTarget } from '../../../src/core/runner/run';
import type { FlameGraphData } from '../../../src/protocol/flame';
import { GraphPipeline, type ViewOptions } from '../../../webview/flame/pipeline';
import { sandwichOf } from '../../../webview/flame/sandwich';
import { middleEllipsis } from '../../../webview/shared/ellipsis';
import { buildPreload, ROOT, tempDir } from '../runner/helpers';

const opts = (o: Partial<ViewOptions> = {}): ViewOptions => ({ layout: 'left-heavy', inverted: false, myCodeOnly: false, showLaunchers: false, focusFrame: -1, ...o });

describe('flame view: launcher processes (a real npm run start)', function () {
  let graphs: FlameGraphData[];
  let cpu: FlameGraphData;

  before(async function () {
    buildPreload();
    const cwd = tempDir('launchers');
    for (const f of ['package.json', 'main.js']) fs.copyFileSync(path.join(ROOT, 'test/fixtures/workspace-simple', f), path.join(cwd, f));
    const result = await runTarget({
      command: 'npm run start', cwd, outDir: tempDir('launchers-run'), capture: { cpu: true, heap: true, imports: true },
      env: { ...process.env, HOTPATH_FIXTURE_LIMIT: '400000' },
    });
    assert.equal(result.exitCode, 0, result.outputTail);
    const model = await loadRun(result, { root: cwd });
    // Notes about npm's process alone are kept with it (here: one made for the test, as a real
    // note of the import model would be).
    const npm = model.processes.find((p) => p.launcher === 'npm')!;
    assert.ok(npm, JSON.stringify(model.processes.map((p) => [p.commandLine, p.launcher])));
    npm.notes = [...(npm.notes ?? []), 'note about npm alone'];
    model.notes.push('note about npm alone');
    graphs = toFlameGraphs(model);
    cpu = graphs.find((g) => g.kind === 'cpu')!;
  });

  it('marks npm as a launcher in every graph, and the program as none', () => {
    for (const g of graphs) {
      const procs = g.processes ?? [];
      assert.deepEqual(procs.filter((p) => p.launcher).map((p) => p.launcher), ['npm'], g.title);
      assert.ok(procs.some((p) => !p.launcher && /main\.js/.test(p.label)), JSON.stringify(procs));
    }
  });

  it('folds npm by default: not drawn, not in the whole, its packages out of the legend, its notes out', () => {
    const p = new GraphPipeline(cpu);
    assert.ok(p.hasLaunchers);
    const folded = p.prepare(opts());
    const shown = p.prepare(opts({ showLaunchers: true }));
    const label = (v: typeof folded) => new Set(Array.from(v.tree.frame.subarray(1, v.tree.n), (f) => cpu.frames[f].name));
    const npmProc = cpu.processes!.find((x) => x.launcher)!;
    const mainProc = cpu.processes!.find((x) => !x.launcher)!;
    assert.ok(label(shown).has(cpu.frames[cpu.nodes.frame[npmProc.node]].name));
    assert.ok(!label(folded).has(cpu.frames[cpu.nodes.frame[npmProc.node]].name), 'npm\'s process node is not drawn');
    assert.ok(label(folded).has('computePrimes'));
    // The whole is the program's process alone: the denominator of every share.
    assert.ok(Math.abs(folded.whole - cpu.nodes.total[mainProc.node]) < 1e-6, `${folded.whole} vs ${cpu.nodes.total[mainProc.node]}`);
    assert.ok(Math.abs(shown.whole - cpu.nodes.total[0]) < 1e-6);
    assert.ok(folded.whole < shown.whole);
    const legendFolded = p.legend(99, false).entries.map((e) => e.label);
    const legendShown = p.legend(99, true).entries.map((e) => e.label);
    assert.ok(legendShown.includes('npm') || legendShown.some((l) => l.startsWith('@npmcli/')), `npm's packages when shown: ${legendShown}`);
    assert.ok(!legendFolded.some((l) => l === 'npm' || l.startsWith('@npmcli/')), `no npm package when folded: ${legendFolded}`);
    assert.ok(!p.notes(false).includes('note about npm alone'));
    assert.ok(p.notes(true).includes('note about npm alone'));
    const [info] = p.launchers();
    assert.equal(info.name, 'npm');
    assert.ok(info.total > 0 && info.idle >= 0 && info.idle <= info.total, JSON.stringify(info));
  });

  it('folds npm in the time-ordered layout and the other graphs too', () => {
    const p = new GraphPipeline(cpu);
    const t = p.prepare(opts({ layout: 'time-ordered' }));
    const f = p.prepare(opts());
    let sum = 0;
    for (let i = 0; i < t.tree.n; i++) sum += t.tree.self[i];
    // Same samples as the folded left-heavy tree (the timeline folds runs, never time).
    assert.ok(Math.abs(sum - f.whole) <= 1e-6 * f.whole + 1, `${sum} vs ${f.whole}`);
    for (const g of graphs.filter((x) => x.kind !== 'cpu')) {
      const q = new GraphPipeline(g);
      const main = g.processes!.find((x) => !x.launcher)!;
      assert.ok(Math.abs(q.prepare(opts()).whole - g.nodes.total[main.node]) < 1e-6, g.title);
    }
  });

  it('the sandwich of computePrimes: callers up to the process, callees merged, total = its total', () => {
    const v = new GraphPipeline(cpu).prepare(opts());
    const t = v.tree;
    const frame = cpu.frames.findIndex((fr) => fr.name === 'computePrimes');
    const s = sandwichOf(t, frame)!;
    assert.ok(s);
    let total = 0;
    for (let i = 1; i < t.n; i++) if (t.frame[i] === frame) total += t.total[i];
    assert.ok(Math.abs(s.total - total) < 1e-6);
    assert.match(cpu.frames[s.callers.children[0].frame].name, /main\.js/, 'its direct caller is main.js\'s module code');
    // Every caller chain's value is the function's total through it; the chains sum to the total.
    assert.ok(Math.abs(s.callers.children.reduce((a, c) => a + c.value, 0) - s.total) < 1e-6);
    let depth = 0;
    for (let n = s.callers; n.children.length; n = n.children[0]) depth++;
    assert.ok(depth >= 3, `callers reach the process node (depth ${depth})`);
    assert.ok(s.callees.value === s.total);
    assert.equal(s.selfSamples !== null, true);
  });

  it('shortens long paths in the middle to the room given', () => {
    const measure = (s: string) => s.length * 7;
    const text = 'node_modules/@scope/package/lib/deep/folder/file.js:1234';
    const short = middleEllipsis(text, 200, measure);
    assert.ok(measure(short) <= 200, short);
    assert.ok(short.startsWith('node_modules/') && short.endsWith(':1234') && short.includes('…'), short);
    assert.equal(middleEllipsis('short.js:1', 200, measure), 'short.js:1');
  });
});
