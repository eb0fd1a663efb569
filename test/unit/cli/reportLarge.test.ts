// `hotpath report` of a profile too large for one string: the page is written piece by piece
// (writeScriptJson gives exactly scriptJson's text, without ever holding it whole); a browser
// reads the data as one string, so past its limit the report leaves the timeline out (and says
// so), and when the call trees alone are too large it writes nothing and says what to do. The
// limit is lowered (HOTPATH_REPORT_MAX_DATA_CHARS) to reach both cases with a 0.5 MB synthetic
// profile; bench/reportLarge.bench.ts measures the real sizes.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeSyntheticCpuProfile } from '../../../bench/syntheticCpuProfile';
import { openProfileFile, summarize, toFlameGraphs } from '../../../src/core/profile';
import { renderHtmlReport, scriptJson, writeHtmlReport, writeScriptJson } from '../../../src/core/report/html';
import type { ToWebviewMessage } from '../../../src/protocol/flame';
import { tempDir } from '../tempDirs';
import { CLI, noRawError } from './cli';
import { buildOnly } from '../build';

const streamed = (v: unknown) => { const parts: string[] = []; writeScriptJson(v, (t) => parts.push(t)); return parts.join(''); };

describe('report: streamed, and too large for a browser', function () {
  this.timeout(180_000);
  let dir: string;
  let file: string;
  before(() => {
    buildOnly('cli,webview');
    dir = tempDir('report-large');
    file = path.join(dir, 'long.cpuprofile');
    writeSyntheticCpuProfile(file, 0, 7, { nodes: 500, samples: 40_000 });
  });

  it('writeScriptJson writes exactly the text of scriptJson, in pieces', async () => {
    const big = Array.from({ length: 200_000 }, (_, i) => (i % 7 ? i * 1.5 : -i));
    const values: unknown[] = [
      0, 'a</script><!-- \u2028 \u2029 "q"', null, [], {}, [1, undefined, () => 1, 'x'], { a: undefined, b: [{ c: '<' }], d: new Date(0), e: NaN },
      big, [big, { nested: big }],
    ];
    for (const v of values) assert.strictEqual(streamed(v), scriptJson(v));
    const graphs = toFlameGraphs(await openProfileFile(file, { root: dir }));
    const message: ToWebviewMessage = { type: 'init', graphs };
    assert.strictEqual(streamed(message), scriptJson(message));
    // The file equals the string version but for the nonce.
    const out = path.join(dir, 'streamed.html');
    writeHtmlReport(out, { title: 'T', graphs });
    const unNonce = (s: string) => s.replace(/nonce-[A-Za-z0-9]+|nonce="[A-Za-z0-9]+"/g, 'N');
    assert.strictEqual(unNonce(fs.readFileSync(out, 'utf8')), unNonce(renderHtmlReport({ title: 'T', graphs })));
  });

  it('past the limit: the timeline is left out with a note; the call trees alone past it: nothing written, what to do', async () => {
    const model = await openProfileFile(file, { root: dir });
    const graphs = toFlameGraphs(model);
    const full = scriptJson({ type: 'init', graphs }).length;
    const withoutTimeline = scriptJson({ type: 'init', graphs: graphs.map(({ timeline: _t, ...g }) => g) }).length;
    assert.ok(withoutTimeline < full / 2, `the timeline is most of the data (${withoutTimeline} of ${full})`);
    const report = (limit: number, out: string) => spawnSync(process.execPath, [CLI, 'report', '--from', file, '--out', out, '--json'], {
      cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOTPATH_REPORT_MAX_DATA_CHARS: String(limit) },
    });

    // A timeline longer than the limit alone is left out before it is converted; one that fits
    // alone but not with the call tree, after a first attempt.
    const tl = JSON.stringify(graphs[0].timeline!.node).length + JSON.stringify(graphs[0].timeline!.duration).length;
    assert.ok(withoutTimeline < tl && tl < full, `${withoutTimeline} < ${tl} < ${full}`);
    for (const [why, limit] of [['before converting it', Math.round((withoutTimeline + tl) / 2)], ['after trying', Math.round((tl + full) / 2)]] as const) {
      const out = path.join(dir, `no-timeline-${limit}.html`);
      const r = report(limit, out);
      assert.strictEqual(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.ok(j.notes.some((n: string) => /^The time-ordered view was left out: its timeline \([\d,]+ runs of samples\) would make the report's data more than a browser can read as one string/.test(n)), `${why}: ${j.notes.join('\n')}`);
      const html = fs.readFileSync(out, 'utf8');
      const data = JSON.parse(/<script type="application\/json" id="hotpath-data">([\s\S]*?)<\/script>/.exec(html)![1]);
      assert.strictEqual(data.graphs[0].timeline, undefined, why);
      assert.deepStrictEqual(data.graphs[0].nodes.total, graphs[0].nodes.total, `${why}: the call tree is complete`);
      assert.ok(data.graphs[0].notes.some((n: string) => /time-ordered view was left out/.test(n)), `${why}: the page says so too`);
      assert.deepStrictEqual(j.topFunctions, summarize(model, { top: 20 }).topFunctions);
    }

    const refusedOut = path.join(dir, 'refused.html');
    const refused = report(Math.round(withoutTimeline / 2), refusedOut);
    assert.strictEqual(refused.status, 1, refused.stdout);
    assert.match(refused.stderr, /is too large for a self-contained HTML report: its call trees alone \([\d,]+ nodes\) passed [\d.]+ MB of data.*Nothing was written\. Open it in VS Code \(Hotpath: Open Profile…\), summarize it with `hotpath profile --from /);
    noRawError(refused.stderr);
    assert.ok(!fs.existsSync(refusedOut), 'no partial report is left');
  });
});
