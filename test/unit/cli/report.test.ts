// `hotpath report` end to end through the built CLI: a real run folder and a real profile file
// become one self-contained HTML page whose embedded data names the hot functions.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildOnly } from '../build';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const TARGETS = path.join(ROOT, 'test', 'fixtures', 'targets');

function hotpath(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: TARGETS, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The init message embedded in the report: what the flame graph page will draw. */
function embeddedGraphs(html: string): { kind: string; frames: { name: string }[] }[] {
  const m = /<script type="application\/json" id="hotpath-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the report embeds its data');
  return JSON.parse(m[1]).graphs;
}

describe('cli: hotpath report', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    buildOnly('cli,preload,webview');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-report-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--run DIR writes one HTML file with CPU, allocation and import graphs of every process', () => {
    const run = path.join(dir, 'run');
    const p = hotpath(['profile', '--cpu', '--heap', '--imports', '--no-save', '--out', run, '--', 'node', 'parentChild.js']);
    assert.strictEqual(p.code, 0, p.stderr);
    const out = path.join(dir, 'report.html');
    const r = hotpath(['report', '--run', run, '--out', out, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepStrictEqual([...j.graphs].sort(), ['alloc', 'cpu', 'imports']);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /Content-Security-Policy/);
    assert.doesNotMatch(html, /<script[^>]+src=/, 'self-contained: no external scripts');
    const cpu = embeddedGraphs(html).find((g) => g.kind === 'cpu');
    const names = new Set(cpu!.frames.map((f) => f.name));
    assert.ok(names.has('parentHot') && names.has('childHot'), 'both processes\' hot functions are in the CPU graph');
    assert.ok(!names.has('hotpathLoad'), 'Hotpath\'s own preload frames are not shown');
  });

  it('--from FILE reports an existing .cpuprofile; bad input is a clear error, exit 1', () => {
    const prof = path.join(dir, 'busy.cpuprofile');
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', 'busy.cpuprofile', 'busy.js'], { cwd: TARGETS });
    const r = hotpath(['report', '--from', prof]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(fs.existsSync(`${prof}.html`));
    assert.ok(embeddedGraphs(fs.readFileSync(`${prof}.html`, 'utf8')).some((g) => g.kind === 'cpu'));

    const corrupt = path.join(dir, 'corrupt.cpuprofile');
    fs.writeFileSync(corrupt, '{"nodes": [ {"id": 1, "callFr');
    const bad = hotpath(['report', '--from', corrupt]);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stderr, /corrupt\.cpuprofile/);
    assert.ok(!fs.existsSync(`${corrupt}.html`), 'no report is written for a corrupt profile');

    const empty = hotpath(['report', '--run', dir]);
    assert.strictEqual(empty.code, 1);
    assert.match(empty.stderr, /holds no Hotpath profiles/);
    assert.strictEqual(hotpath(['report']).code, 2);
  });
});
