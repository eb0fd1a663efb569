// The whole pipeline on a real run: the runner's preload captures CPU, heap and module timing
// of a fixture with two dependencies; loadRun merges them; summaries and graphs show all three.
import * as assert from 'assert';
import * as path from 'path';
import { loadRun, summarize, toFlameGraphs, hotspotsForFile, type ProfileModel } from '../../../src/core/profile';
import { FIXTURES, runUsesDeps } from './helpers';

const SRC = path.join(FIXTURES, 'src');

describe('profile pipeline: runner output -> model', function () {
  this.timeout(120_000);
  let model: ProfileModel;
  before(async () => {
    const result = await runUsesDeps();
    assert.strictEqual(result.exitCode, 0, result.outputTail);
    model = await loadRun(result, { root: SRC });
  });

  it('has CPU, allocation and import trees for the process', () => {
    assert.deepStrictEqual(toFlameGraphs(model).map((g) => g.kind), ['cpu', 'alloc', 'imports']);
    assert.ok(model.processes[0].label.includes('usesDeps.js'), model.processes[0].label);
  });

  it('summarizes functions, modules from the timing file, and allocations', () => {
    const s = summarize(model);
    // Heap sampling makes GC busy: rank the code frames only.
    const top = s.topFunctions.filter((f) => f.name !== '(garbage collector)').slice(0, 3).map((f) => f.name).sort();
    assert.deepStrictEqual(top, ['ownWork', 'padBusily', 'parseSlowly'], JSON.stringify(s.topFunctions.slice(0, 5)));
    const parse = s.topFunctions.find((f) => f.name === 'parseSlowly')!;
    assert.strictEqual(parse.file, 'node_modules/@acme/slow-parse/index.js');
    assert.strictEqual(s.modulesSource, 'imports');
    const names = s.modules.map((m) => m.name);
    for (const n of ['usesDeps.js', '@acme/slow-parse', 'left-pad-busy']) assert.ok(names.includes(n), names.join());
    const entry = s.modules.find((m) => m.name === 'usesDeps.js')!;
    const dep = s.modules.find((m) => m.name === '@acme/slow-parse')!;
    assert.ok(entry.totalMs >= dep.totalMs, 'the entry module includes its imports');
    assert.ok(s.allocations.length > 0);
  });

  it('gives editor hotspots for the workspace file', () => {
    const h = hotspotsForFile(model, path.join(SRC, 'usesDeps.js'));
    const own = h.functions.find((f) => f.name === 'ownWork');
    assert.ok(own && own.selfMs > 30 && own.line === 6, JSON.stringify(h.functions));
  });
});
