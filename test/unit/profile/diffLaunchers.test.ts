// Launcher processes in a profile diff, on two real `npm run start` runs (npm's process, then the
// fixture's node main.js): left out by default (no row of npm's own code, one note naming npm),
// kept with `launchers: 'include'` and with `hotpath diff --include-launchers`.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun } from '../../../src/core/profile';
import { launcherNotes } from '../../../src/core/bench/profiled';
import { diffProfiles } from '../../../src/core/profile/diff';
import { LAUNCHER_NOTE_PREFIX } from '../../../src/core/profile/open';
import { runTarget } from '../../../src/core/runner/run';
import type { RunResult } from '../../../src/core/runner/types';
import { buildPreload, ROOT, tempDir } from '../runner/helpers';
import { buildOnly } from '../build';

const npmCode = (file: string) => /[\\/]node_modules[\\/]npm[\\/]|npm-cli\.js/.test(file);

describe('profile diff: launcher processes (two real npm run start runs)', function () {
  this.timeout(240_000);
  const runs: RunResult[] = [];
  let cwd: string;

  before(async () => {
    buildPreload();
    cwd = tempDir('diff-launchers');
    for (const f of ['package.json', 'main.js']) fs.copyFileSync(path.join(ROOT, 'test/fixtures/workspace-simple', f), path.join(cwd, f));
    for (let i = 0; i < 2; i++) {
      const r = await runTarget({ command: 'npm run start', cwd, outDir: path.join(cwd, '.hotpath', 'runs', `run-${i}`), capture: { cpu: true, heap: false, imports: false }, env: { ...process.env, HOTPATH_FIXTURE_LIMIT: '400000' } });
      assert.equal(r.exitCode, 0, r.outputTail);
      runs.push(r);
    }
  });

  it('left out by default with one note; kept on request', async () => {
    const [b, a] = await Promise.all(runs.map((r) => loadRun(r, { root: cwd, launchers: 'exclude' })));
    const d = diffProfiles(b, a);
    assert.ok(d.functions.some((r) => r.name === 'computePrimes'), d.functions.slice(0, 5).map((r) => r.name).join(', '));
    assert.deepEqual(d.functions.filter((r) => npmCode(r.path ?? r.file)).map((r) => r.file), []);
    const notes = launcherNotes(d.notes).filter((n) => n.startsWith(LAUNCHER_NOTE_PREFIX));
    assert.equal(notes.length, 1, d.notes.join('\n'));
    assert.match(notes[0], /npm in 2 runs: their own code is not the program's \(include them with --include-launchers/);
    const [bi, ai] = await Promise.all(runs.map((r) => loadRun(r, { root: cwd, launchers: 'include' })));
    const all = diffProfiles(bi, ai);
    assert.ok(all.functions.some((r) => npmCode(r.path ?? r.file)), 'npm\'s own functions are rows again');
    assert.ok(!all.notes.some((n) => n.startsWith(LAUNCHER_NOTE_PREFIX)));
    assert.ok(all.functions.length > d.functions.length + 20, `${all.functions.length} rows with npm, ${d.functions.length} without`);
  });

  it('hotpath diff: left out by default, --include-launchers keeps them', () => {
    buildOnly('cli');
    const diff = (...extra: string[]) => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'diff', ...runs.map((x) => x.outDir), '--json', '--top', '0', ...extra], { cwd, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { functions: { file: string; path: string | null }[]; notes: string[] };
    };
    const plain = diff();
    assert.ok(!plain.functions.some((f) => npmCode(f.path ?? f.file)));
    assert.equal(plain.notes.filter((n) => n.startsWith(LAUNCHER_NOTE_PREFIX)).length, 1, plain.notes.join('\n'));
    const kept = diff('--include-launchers');
    assert.ok(kept.functions.some((f) => npmCode(f.path ?? f.file)));
  });
});
