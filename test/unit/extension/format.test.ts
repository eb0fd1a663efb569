// Wording and heat scaling of the editor annotations, fed with hotspots of a real profile of the
// demo workspace (so the numbers are what a user would see).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hotspotsForFile, loadRun, summarize } from '../../../src/core/profile';
import type { FileHotspots } from '../../../src/core/profile';
import { runTarget } from '../../../src/core/runner/run';
import {
  diagnosticMessage, formatMs, formatPercent, functionLensText, heatLevel, hoverMarkdown, HEAT_LEVELS, lineAnnotationText, samplingError,
} from '../../../src/extension/annotations/format';
import { buildPreload } from '../runner/helpers';

const fixtures = path.resolve(__dirname, '../../fixtures/targets');

describe('annotation text', () => {
  it('formats durations with sensible precision', () => {
    assert.strictEqual(formatMs(412.34), '412 ms');
    assert.strictEqual(formatMs(41.234), '41.2 ms');
    assert.strictEqual(formatMs(1234), '1.23 s');
    assert.strictEqual(formatMs(12345), '12.3 s');
    assert.strictEqual(formatMs(0.04), '<0.1 ms');
    assert.strictEqual(formatMs(0), '0 ms');
    assert.strictEqual(formatPercent(0.234), '23.4%');
    assert.strictEqual(formatPercent(0.0123), '1.2%');
    assert.strictEqual(formatPercent(0.0001), '<0.1%');
  });

  it('estimates the sampling error as time / sqrt(samples)', () => {
    assert.strictEqual(samplingError(400, 100), 40);
    assert.ok(Number.isNaN(samplingError(5, 0)));
  });

  it('words a function without samples of its own by what it calls', () => {
    const text = functionLensText({ name: '(module) main.js', line: 1, selfMs: 0, totalMs: 6650, samples: 0 }, 6700);
    assert.strictEqual(text, '$(flame) 6.65 s total (99.3% of sampled time) in what it calls · no samples of its own');
  });

  it('writes the diagnostic message in the agreed form', () => {
    assert.strictEqual(diagnosticMessage('computePrimes', 412.3, 1792.6), 'Hotpath: 23.0% of sampled time (412 ms self) in computePrimes');
    assert.strictEqual(diagnosticMessage('', 41.23, 0), 'Hotpath: ?% of sampled time (41.2 ms self) in (anonymous)');
  });

  it('scales heat by the square root of the share of the hottest line', () => {
    assert.strictEqual(heatLevel(100, 100), HEAT_LEVELS);
    assert.strictEqual(heatLevel(1, 100), 0, 'below 2% is not marked');
    assert.strictEqual(heatLevel(4, 100), 1);
    assert.strictEqual(heatLevel(25, 100), Math.ceil(0.5 * HEAT_LEVELS));
    assert.strictEqual(heatLevel(0, 100), 0);
    assert.strictEqual(heatLevel(5, 0), 0);
    for (let v = 1; v < 100; v++) assert.ok(heatLevel(v, 100) <= heatLevel(v + 1, 100), 'monotonic');
  });
});

describe('annotation text on a real profile', function () {
  this.timeout(60000);
  let hot: FileHotspots;
  let cpuMs: number;
  let file: string;

  before(async () => {
    buildPreload();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ann-'));
    // busy.js holds the loop every fixture burns time in: it always has hot lines.
    file = path.join(fixtures, 'busy.js');
    const result = await runTarget({ command: 'node twoShares.js', cwd: fixtures, outDir: out, capture: { cpu: true, heap: false, imports: false } });
    const model = await loadRun(result, { root: fixtures });
    cpuMs = summarize(model).cpuMs;
    hot = hotspotsForFile(model, file);
  });

  it('CodeLens text names self, share, total and the samples behind them', () => {
    assert.ok(hot.functions.some((f) => f.name === 'busy'), 'busy.js has the sampled function busy');
    const top = [...hot.functions].sort((a, b) => b.selfMs - a.selfMs)[0];
    const text = functionLensText(top, cpuMs);
    assert.match(text, /^\$\(flame\) [\d.]+ m?s self \([\d.<]+% of sampled time\) · [\d.]+ m?s total · \d+ self samples?$/);
    assert.ok(text.includes(`${top.samples} self sample`));
  });

  it('the hottest line gets the top heat level and its text', () => {
    assert.ok(hot.lines.length >= 1);
    const max = Math.max(...hot.lines.map((l) => l.selfMs));
    const hottest = hot.lines.find((l) => l.selfMs === max)!;
    assert.strictEqual(heatLevel(hottest.selfMs, max), HEAT_LEVELS);
    assert.match(lineAnnotationText(hottest), /^[\d.]+ m?s · \d+ self samples?$/);
    const md = hoverMarkdown(undefined, hottest, cpuMs, 'command:hotpath.revealFrame?x');
    assert.match(md, /this line: [\d.]+ m?s ± [\d.<]+ m?s self .* of sampled time\), \d+ self sample/);
    assert.match(md, /sampling error/);
    assert.match(md, /\[Show in flame graph\]\(command:hotpath\.revealFrame\?x\)/);
  });
});
