// The live chart in a real VS Code: "Hotpath: Profile…" on a program that runs until the test
// tells it to stop opens the live panel with the first sample, and its page draws more points
// while the program still runs (what the page reported after each update, read through the
// extension's API). After the run, "Show Live Metrics" on the stored run draws the same series
// again from the run folder.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LiveDrawn } from '../../../src/extension/live/livePanel';
import type { Services } from '../../../src/extension/services';
import { extension, workspaceDir } from './lib/helpers';

// Grows its heap, yielding every 20 ms, until liveTarget.stop exists (at most 120 s).
const TARGET = `const fs = require('fs');
const keep = [];
const end = Date.now() + 120000;
(function step() {
  for (let i = 0; i < 3000; i++) keep.push({ i, s: 'x'.repeat(40) });
  if (Date.now() < end && !fs.existsSync('liveTarget.stop')) setTimeout(step, 20);
  else console.log('kept', keep.length);
})();
`;

describe('live chart (Profile…)', function () {
  this.timeout(240_000);

  it('draws heap, CPU and loop delay points while the target runs, and again from the stored run', async () => {
    const cwd = workspaceDir();
    fs.writeFileSync(path.join(cwd, 'liveTarget.js'), TARGET);
    fs.rmSync(path.join(cwd, 'liveTarget.stop'), { force: true });
    const ext = extension();
    const services = (ext.isActive ? ext.exports : await ext.activate()) as Services;
    const before = new Set(services.livePanels);
    const command = vscode.commands.executeCommand<{ live?: { panelId: string; drawn: LiveDrawn[] } }>('hotpath.profile', { command: 'node liveTarget.js', cwd });
    // While it runs: the page has drawn at least twice, the second time with more points.
    const deadline = Date.now() + 150_000;
    let drawn: LiveDrawn[] = [];
    while (Date.now() < deadline) {
      const panel = [...services.livePanels].find((p) => !before.has(p));
      drawn = panel?.drawn ?? [];
      if (drawn.length >= 2 && drawn[drawn.length - 1].points > drawn[0].points) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    fs.writeFileSync(path.join(cwd, 'liveTarget.stop'), '');
    assert.ok(drawn.length >= 2 && drawn.every((d) => d.running), `updates drawn while the target ran: ${JSON.stringify(drawn)}`);
    assert.ok(drawn[drawn.length - 1].points > drawn[0].points && drawn[0].measured >= 1, JSON.stringify(drawn));

    const result = await command;
    assert.ok(result?.live, `the command names its live panel: ${JSON.stringify(result && Object.keys(result))}`);
    const last = result.live.drawn[result.live.drawn.length - 1];
    const dirs = await vscode.commands.executeCommand<string[]>('hotpath.runs.refresh');
    const dir = dirs.find((d) => fs.readdirSync(d).some((n) => n.endsWith('.live.jsonl')) && fs.readFileSync(path.join(d, 'run.json'), 'utf8').includes('liveTarget.js'));
    assert.ok(dir, `the run folder keeps the live series: ${dirs.join(', ')}`);
    const reopened = await vscode.commands.executeCommand<{ drawn?: LiveDrawn }>('hotpath.runs.showLive', { dir });
    assert.ok(reopened?.drawn, 'the reopened page drew');
    const lines = fs.readdirSync(dir).filter((n) => n.endsWith('.live.jsonl'))
      .reduce((s, n) => s + fs.readFileSync(path.join(dir, n), 'utf8').split('\n').filter(Boolean).length, 0);
    assert.strictEqual(reopened.drawn.points, lines, 'every stored sample is on the heap chart');
    assert.ok(reopened.drawn.points >= last.points, `${reopened.drawn.points} >= ${last.points} drawn during the run`);
  });
});
