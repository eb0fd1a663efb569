// "Hotpath: Compare Profiles…" in the real extension host: two .cpuprofile files recorded just now
// by `node --cpu-prof` from diffTarget.js (factor 1, then 2), two run folders written by the CLI
// (CPU + heap), and a corrupt file. The result names the slowed function `slower` beyond its noise
// band and the unchanged one `within noise`, and the diff panel opened and drew its rows.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, lineOf, workspaceDir } from './lib/helpers';

interface Change { delta: number; error: number; margin: number; verdict: string }
interface Row { name: string; file: string; line: number; status: string; self: Change; total: Change; before: { self: number }; after: { self: number } }
interface DiffResult {
  panelId: string; title: string; rendered: number | undefined; kind: string; kinds: string[]; method: string; noiseLabel: string;
  runs: { before: number; after: number }; totals: { cpu?: { change: Change } }; functions: Row[]; modules: Row[]; notes: string[];
}

function diffTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('hotpath.diff'));
}

describe('hotpath.compareProfiles', function () {
  this.timeout(180_000);
  let tmp: string;
  let files: string[];
  const disturbed: string[] = [];

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-diff-'));
    const root = extension().extensionPath;
    fs.copyFileSync(path.join(root, 'test', 'fixtures', 'targets', 'diffTarget.js'), path.join(tmp, 'diffTarget.js'));
    // Undisturbed recordings where the machine allows (see test/unit/profile/diff.test.ts): on a
    // busy machine the sampler falls behind and loops overrun their deadlines, run-to-run variation
    // one run cannot show; such a recording is made again, up to 8 times, then the least disturbed
    // one is kept and `disturbed` leaves out the check that needs a calm machine.
    files = ['1', '2'].map((factor) => {
      const file = path.join(tmp, `f${factor}.cpuprofile`);
      const seen: string[] = [];
      let best: { text: string; score: number } | undefined;
      for (let attempt = 0; attempt < 8; attempt++) {
        const stdout = execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', tmp, '--cpu-prof-name', `f${factor}.cpuprofile`, '--cpu-prof-interval', '5000', 'diffTarget.js', factor], { cwd: tmp, env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8' });
        const out = JSON.parse(/diffTarget (\{.*\})/.exec(stdout)![1]) as { loopsMs: number; overshootMs: number };
        const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: { id: number; callFrame: { functionName: string } }[]; samples: number[]; timeDeltas: number[] };
        const loops = new Set(p.nodes.filter((n) => n.callFrame.functionName === 'hotLoop' || n.callFrame.functionName === 'steadyLoop').map((n) => n.id));
        let us = 0;
        let n = 0;
        p.samples.forEach((id, i) => { if (loops.has(id)) { us += p.timeDeltas[i + 1] ?? 0; n++; } });
        const gapMs = us / n / 1000;
        if (gapMs <= 6 && out.overshootMs <= out.loopsMs / 10) return file;
        seen.push(`mean gap ${gapMs.toFixed(1)} ms, overrun ${out.overshootMs} ms`);
        const score = gapMs / 6 + out.overshootMs / (out.loopsMs / 10);
        if (!best || score < best.score) best = { text: fs.readFileSync(file, 'utf8'), score };
      }
      fs.writeFileSync(file, best!.text);
      disturbed.push(`diffTarget.js ${factor}: no undisturbed recording in 8 attempts (load ${os.loadavg()[0].toFixed(1)}): ${seen.join('; ')}`);
      console.log(`      note: ${disturbed[disturbed.length - 1]}; the check that needs a calm machine is left out`);
      return file;
    });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('two profile files (one run per side: no verdicts): hotLoop beyond its sampling band, steadyLoop within; the panel drew the rows', async () => {
    const before = diffTabs().length;
    const result = await vscode.commands.executeCommand<DiffResult>('hotpath.compareProfiles', files[0], vscode.Uri.file(files[1]));
    assert.ok(result, 'the command resolved to a result');
    assert.strictEqual(result.kind, 'cpu');
    assert.deepStrictEqual(result.kinds, ['cpu']);
    assert.strictEqual(result.method, 'sampling');
    assert.match(result.noiseLabel, /does not include run-to-run variation/);
    const hot = result.functions.find((f) => f.name === 'hotLoop');
    assert.ok(hot, result.functions.slice(0, 5).map((f) => f.name).join(', '));
    assert.strictEqual(path.basename(hot.file), 'diffTarget.js');
    assert.strictEqual(hot.line, lineOf(path.join(tmp, 'diffTarget.js'), 'function hotLoop('));
    assert.strictEqual(hot.self.verdict, 'not tested');
    if (!disturbed.length) assert.ok(hot.self.delta > hot.self.margin, `${hot.self.delta} > ${hot.self.margin}`);
    const steady = result.functions.find((f) => f.name === 'steadyLoop');
    assert.ok(steady, 'steadyLoop is listed');
    if (!disturbed.length) assert.ok(Math.abs(steady.self.delta) <= steady.self.margin, JSON.stringify(steady));
    assert.strictEqual(result.totals.cpu?.change.verdict, 'not tested');
    // The panel opened and its page reported the rows it drew (all functions of the CPU table).
    assert.strictEqual(diffTabs().length, before + 1);
    assert.ok(diffTabs().some((t) => t.label === result.title), diffTabs().map((t) => t.label).join(', '));
    assert.ok(result.rendered !== undefined && result.rendered > 5, `rendered ${result.rendered}`);
  });

  it('two run folders of `hotpath profile --cpu --heap`: a CPU and a heap table', async () => {
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const dirs = ['1', '2'].map((factor) => {
      const out = path.join(tmp, `run${factor}`);
      execFileSync(process.execPath, [cli, 'profile', '--no-save', '--cpu', '--heap', '--out', out, '--', process.execPath, 'diffTarget.js', factor], { cwd: tmp, env: { ...process.env, NODE_OPTIONS: '' }, stdio: 'ignore' });
      return out;
    });
    const result = await vscode.commands.executeCommand<DiffResult>('hotpath.compareProfiles', dirs[0], dirs[1]);
    assert.ok(result);
    assert.deepStrictEqual(result.kinds, ['cpu', 'heap']);
    assert.strictEqual(result.functions.find((f) => f.name === 'hotLoop')?.self.verdict, 'not tested');
    assert.ok(result.rendered !== undefined && result.rendered > 0);
  });

  it('without arguments: quick picks of the stored runs, newest first (here the newest as before)', async () => {
    const ws = workspaceDir();
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const store = path.join(ws, '.hotpath', 'runs');
    const had = new Set(fs.existsSync(store) ? fs.readdirSync(store) : []);
    for (const factor of ['1', '2']) {
      execFileSync(process.execPath, [cli, 'profile', '--cpu', '--', process.execPath, path.join(tmp, 'diffTarget.js'), factor], { cwd: ws, env: { ...process.env, NODE_OPTIONS: '' }, stdio: 'ignore' });
    }
    const mine = fs.readdirSync(store).filter((id) => !had.has(id)).sort();
    assert.strictEqual(mine.length, 2);
    try {
      const pending = vscode.commands.executeCommand<DiffResult | undefined>('hotpath.compareProfiles');
      // Accept the first item of each pick: the newest run (factor 2) as before, then the newest
      // other one (factor 1) as after, so hotLoop got faster.
      for (let i = 0; i < 2; i++) {
        await new Promise((r) => setTimeout(r, 1500));
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      const result = await pending;
      assert.ok(result, 'the picks resolved to a result');
      assert.match(result.title, new RegExp(`${mine[1].slice(0, 10)} .* → ${mine[0].slice(0, 10)} `));
      const hot = result.functions.find((f) => f.name === 'hotLoop');
      assert.ok(hot && hot.self.delta < 0, JSON.stringify(hot?.self));
    } finally {
      for (const id of mine) fs.rmSync(path.join(store, id), { recursive: true, force: true });
    }
  });

  it('a corrupt profile: undefined and no panel, not an exception', async () => {
    const bad = path.join(tmp, 'corrupt.cpuprofile');
    fs.writeFileSync(bad, '{"nodes": [ {"id": 1, "callFrame": ');
    const before = diffTabs().length;
    const result = await vscode.commands.executeCommand<DiffResult | undefined>('hotpath.compareProfiles', files[0], bad);
    assert.strictEqual(result, undefined);
    assert.strictEqual(diffTabs().length, before);
  });
});
