// The extension's views of a profile model, on a real run of a fixture with two known hot
// functions (~70% / ~30% of the time in busy loops).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { summarize } from '../../../src/core/profile';
import { runTarget } from '../../../src/core/runner/run';
import { fromFile, fromRun, hottestWorkspaceFunctions, type LoadedProfile } from '../../../src/extension/runs/profileSource';
import { toCommandResult } from '../../../src/extension/profile/commandResult';
import { buildPreload } from '../runner/helpers';

const fixtures = path.resolve(__dirname, '../../fixtures/targets');

describe('profile source (real run of twoShares.js)', function () {
  this.timeout(60000);
  let profile: LoadedProfile;
  let out: string;

  before(async () => {
    buildPreload();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-src-'));
    const result = await runTarget({ command: 'node twoShares.js', cwd: fixtures, outDir: out, capture: { cpu: true, heap: false, imports: false } });
    profile = await fromRun(result, out, fixtures, 'node twoShares.js · test');
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it('the denominator of every share: the sampled time of the program (one process here: all of it)', () => {
    const total = summarize(profile.model).cpuMs;
    assert.ok(profile.sampledMs > 500, `sampledMs ${profile.sampledMs}`);
    assert.ok(Math.abs(profile.sampledMs - total) <= 0.01, `${profile.sampledMs} = ${total}`);
  });

  it('lists the workspace hotspot with an absolute path and its line for diagnostics', () => {
    const top = hottestWorkspaceFunctions(profile, 5);
    assert.ok(top.length >= 1);
    assert.strictEqual(top[0].path, path.join(fixtures, 'busy.js'));
    assert.strictEqual(top[0].name, 'busy');
    const line = fs.readFileSync(top[0].path, 'utf8').split('\n').findIndex((l) => l.includes('function busy(')) + 1;
    assert.strictEqual(top[0].line, line);
    // busy's loop spends most of its time in performance.now, a native frame of its own, so its
    // self share is 0.2-0.3 of the run (0.197 seen in a loaded CI run). What is certain is that it
    // outweighs every other workspace function together (their loops are in busy).
    const others = top.slice(1).reduce((sum, f) => sum + f.selfMs, 0);
    assert.ok(top[0].selfMs / profile.sampledMs > 0.1, `busy's share: ${top[0].selfMs} of ${profile.sampledMs}`);
    assert.ok(top[0].selfMs > 2 * others, `busy ${top[0].selfMs} ms outweighs the other workspace functions (${others} ms)`);
    for (let i = 1; i < top.length; i++) assert.ok(top[i - 1].selfMs >= top[i].selfMs, 'sorted by self time');
  });

  it('resolves the command result contract: panelId, processes, topFunctions fields only', () => {
    const r = toCommandResult('panel-1', profile);
    assert.strictEqual(r.panelId, 'panel-1');
    assert.strictEqual(r.processes, 1);
    assert.deepStrictEqual(Object.keys(r.topFunctions[0]).sort(), ['file', 'line', 'name', 'selfMs', 'totalMs']);
    assert.ok(r.topFunctions.some((f) => f.name === 'busy'));
  });

  it('opens the written .cpuprofile file the same way, and refuses a corrupt one with a ProfileError', async () => {
    const file = profile.model && fs.readdirSync(out).find((f) => f.endsWith('.cpuprofile'));
    assert.ok(file);
    const opened = await fromFile(path.join(out, file), fixtures);
    assert.strictEqual(opened.ref.kind, 'file');
    assert.ok(opened.topFunctions.some((f) => f.name === 'busy'));
    const bad = path.join(out, 'bad.cpuprofile');
    fs.writeFileSync(bad, '{"nodes": [');
    await assert.rejects(fromFile(bad, fixtures), (err: Error) => err.name === 'ProfileError' || /profile/i.test(err.message));
  });
});
