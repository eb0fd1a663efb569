// The profile loader worker (bundled as the extension ships it) gives the same profile as loading
// in process, and reports bad files as errors instead of crashing.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTarget } from '../../../src/core/runner/run';
import { fromFile, fromRun } from '../../../src/extension/runs/profileSource';
import { buildPreload } from '../runner/helpers';

const root = path.resolve(__dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/targets');

describe('profile loading in a worker thread', function () {
  this.timeout(60000);
  let tmp: string;
  let loader: string;

  before(async () => {
    buildPreload();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-loader-'));
    loader = path.join(tmp, 'profileLoader.js');
    await esbuild.build({ entryPoints: [path.join(root, 'src/extension/runs/loaderWorker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: loader, logLevel: 'silent' });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('loads a real run with the same functions, graphs and CPU time as in process', async () => {
    const out = path.join(tmp, 'run');
    const result = await runTarget({ command: 'node twoShares.js', cwd: fixtures, outDir: out, capture: { cpu: true, heap: false, imports: true } });
    const [viaWorker, direct] = await Promise.all([fromRun(result, out, fixtures, 't', loader), fromRun(result, out, fixtures, 't', undefined)]);
    assert.deepStrictEqual(viaWorker.topFunctions, direct.topFunctions);
    assert.deepStrictEqual(viaWorker.graphs.map((g) => [g.kind, g.nodes.total.length]), direct.graphs.map((g) => [g.kind, g.nodes.total.length]));
    assert.strictEqual(viaWorker.sampledMs, direct.sampledMs);
    assert.ok(viaWorker.model.cpu && viaWorker.model.cpu.tree.total instanceof Float64Array, 'typed arrays survive the transfer');
    assert.ok(viaWorker.topFunctions.some((f) => f.name === 'busy'));
  });

  it('rejects a corrupt file with the ProfileError message, and a missing file', async () => {
    const bad = path.join(tmp, 'bad.cpuprofile');
    fs.writeFileSync(bad, '{"nodes": [');
    await assert.rejects(fromFile(bad, tmp, loader), (err: Error) => err.name === 'ProfileError' && /truncated|not valid/i.test(err.message));
    await assert.rejects(fromFile(path.join(tmp, 'missing.cpuprofile'), tmp, loader), (err: Error) => /missing\.cpuprofile/.test(err.message));
  });
});
