// The colour legend's content (fixed kinds, then packages ranked by weight, capped, "+N more")
// and the package colour slots, in plain Node.
import { strict as assert } from 'assert';
import type { FlameCategory, FlameGraphData } from '../../../src/protocol/flame';
import { assignPackageSlots, categoryColor, FramePalette, PACKAGE_HUES, PACKAGE_SLOTS, preferredSlot } from '../../../webview/flame/colors';
import { categoryWeights, legendModel, moreLabel, OUTSIDE_WORKSPACE, rankedPackages } from '../../../webview/flame/legend';
import { GraphPipeline } from '../../../webview/flame/pipeline';

/** A flat graph: one child of the root per category, with the given self weight. */
function graphOf(cats: [FlameCategory, number][]): FlameGraphData {
  const categories: FlameCategory[] = [{ kind: 'program', label: 'Program' }, ...cats.map(([c]) => c)];
  const frames = categories.map((c, i) => ({ name: i === 0 ? '(root)' : `f${i}`, file: '', line: 0, column: 0, category: i }));
  const n = categories.length;
  const self = [0, ...cats.map(([, w]) => w)];
  const total = self.slice();
  total[0] = self.reduce((a, b) => a + b, 0);
  return { kind: 'cpu', unit: 'us', title: 'T', categories, frames, nodes: { frame: [...Array(n).keys()], parent: [-1, ...Array(n - 1).fill(0)], self, total } };
}

const dep = (label: string, w: number): [FlameCategory, number] => [{ kind: 'dependency', label }, w];
const npmLike = () => graphOf([
  [{ kind: 'node', label: 'Node internals' }, 500],
  [{ kind: 'workspace', label: 'Your code' }, 2000],
  [{ kind: 'gc', label: 'GC' }, 10],
  [{ kind: 'idle', label: 'Idle' }, 3000],
  [{ kind: 'native', label: 'Native' }, 40],
  dep(OUTSIDE_WORKSPACE, 5),
  ...['npm', 'graceful-fs', 'semver', '@npmcli/redact', '@npmcli/config', 'nopt', 'which', 'isexe', 'ci-info', 'fs-minipass',
    'proc-log', 'abbrev', 'ini', 'chalk', '@npmcli/package-json', '@npmcli/run-script', '@npmcli/promise-spawn']
    .map((p, i) => dep(p, i === 0 ? 900 : 100 - i * 5)),
]);

describe('flame view: legend', () => {
  it('lists the fixed kinds in a fixed order, then outside-workspace, then the heaviest packages', () => {
    const m = legendModel(npmLike());
    assert.deepEqual(m.entries.map((e) => e.label), [
      'Your code', 'Node internals', 'Native', 'GC', 'Idle', 'Program', OUTSIDE_WORKSPACE,
      'npm', 'graceful-fs', 'semver', '@npmcli/redact', '@npmcli/config', 'nopt',
    ]);
    assert.equal(m.more.length, 11);
    assert.deepEqual(m.more.slice(0, 2).map((e) => e.label), ['which', 'isexe']);
    const more = moreLabel(m)!;
    assert.equal(more.text, '+11 more packages');
    assert.equal(more.title.split('\n').length, 11);
    assert.match(more.title.split('\n')[0], /^which {2}\d+\.\d+%$/);
  });

  it('ranks packages by summed self weight over all their nodes, ties by name', () => {
    const g = graphOf([dep('b', 10), dep('a', 10), dep('c', 5), dep('c', 30)]);
    assert.deepEqual(rankedPackages(g).map((e) => [e.label, e.weight]), [['c', 35], ['a', 10], ['b', 10]]);
    assert.deepEqual(legendModel(g, 2).entries.map((e) => e.label), ['Program', 'c', 'a', 'b'], 'one left over is shown, not folded');
    assert.deepEqual(legendModel(g, 1).entries.map((e) => e.label), ['Program', 'c']);
    assert.equal(moreLabel(legendModel(g, 1))!.text, '+2 more packages');
    assert.equal(moreLabel(legendModel(g, 5)), null);
    assert.deepEqual(legendModel(g, 0).entries.map((e) => e.label), ['Program']);
  });

  it('leaves out categories no node uses, and counts a zero-weight package that has nodes', () => {
    const g = graphOf([dep('used', 0), dep('gone', 7)]);
    g.frames[2].category = 1; // no node points at 'gone' any more
    const w = categoryWeights(g);
    assert.equal(w[2], -1);
    assert.deepEqual(legendModel(g).entries.map((e) => e.label), ['Program', 'used']);
  });

  it('gives outside-workspace a neutral colour unlike any package or fixed kind', () => {
    const g = npmLike();
    const slots = assignPackageSlots(rankedPackages(g).map((e) => e.label));
    const outside = categoryColor({ kind: 'dependency', label: OUTSIDE_WORKSPACE }, 'dark', slots);
    const others = g.categories.filter((c) => c.label !== OUTSIDE_WORKSPACE).map((c) => categoryColor(c, 'dark', slots));
    assert.ok(!others.includes(outside));
    assert.equal(categoryColor({ kind: 'dependency', label: 'typescript' }, 'dark') === outside, false);
  });

  it('assigns distinct package colours, heaviest first, stable per name', () => {
    const labels = rankedPackages(npmLike()).map((e) => e.label);
    const slots = assignPackageSlots(labels);
    const first = labels.slice(0, PACKAGE_SLOTS).map((l) => slots.get(l));
    assert.equal(new Set(first).size, first.length, 'no two of the first PACKAGE_SLOTS packages share a colour');
    const hues = labels.slice(0, PACKAGE_HUES.length).map((l) => slots.get(l)! % PACKAGE_HUES.length);
    assert.equal(new Set(hues).size, hues.length, 'the heaviest packages get different hues');
    assert.equal(slots.get(labels[0]), preferredSlot(labels[0]), 'the heaviest keeps its own hue');
    assert.deepEqual(assignPackageSlots(['x', 'y']).get('x'), assignPackageSlots(['x']).get('x'));
    // Hues stay away from the fixed kinds: orange 24, yellow 48, green 95, red 350.
    for (const h of PACKAGE_HUES) for (const f of [24, 48, 95, 350]) assert.ok(Math.min(Math.abs(h - f), 360 - Math.abs(h - f)) >= 28, `hue ${h} vs ${f}`);
  });

  it('the pipeline and palette use the same slots as the legend', () => {
    const g = npmLike();
    const p = new GraphPipeline(g);
    assert.deepEqual(p.legend().entries.map((e) => e.label), legendModel(g).entries.map((e) => e.label));
    const pal = new FramePalette(g.frames, g.categories, 'light', p.packageSlots());
    const npmFrame = g.frames.findIndex((f) => g.categories[f.category].label === 'npm');
    assert.ok(/^#[0-9a-f]{6}$/.test(pal.fill(npmFrame)));
  });
});
