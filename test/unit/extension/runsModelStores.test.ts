// The Profile Runs view over two stores (runStores.ts + runsModel.ts, no vscode), on real runs: one
// profiled and stored the way the extension stores them (its workspace-storage store), two recorded
// by the built CLI (`hotpath profile`) into a workspace folder's .hotpath/runs. One store with runs:
// a flat list as before; runs in both: one group per store, each newest first, with counts;
// damaged folders per store; multi-root: one group per folder store with runs.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createRunDir, listRuns, saveRun } from '../../../src/core/history';
import { runTarget } from '../../../src/core/runner/run';
import { runEntriesOf, runsViewEntries, runsViewTree, type DamagedEntry, type GroupEntry, type RunEntry } from '../../../src/extension/runs/runsModel';
import { listStore, runStores, storedRuns, type RunStoreRef } from '../../../src/extension/runs/runStores';
import { ROOT, tempDir, TARGETS } from '../runner/helpers';
import { buildOnly } from '../build';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const BUSY = `node -e "require('./busy').busy(200)"`;

/** `hotpath profile` in `cwd`: returns the id of the run it stored in cwd/.hotpath/runs. */
function cliProfile(cwd: string): string {
  const store = path.join(cwd, '.hotpath', 'runs');
  const before = new Set(fs.existsSync(store) ? fs.readdirSync(store) : []);
  const r = spawnSync(process.execPath, [CLI, 'profile', '--cpu', '--', 'node', '-e', "require('./busy').busy(200)"], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
  assert.strictEqual(r.status, 0, r.stderr);
  const added = fs.readdirSync(store).filter((id) => !before.has(id));
  assert.strictEqual(added.length, 1, `one run stored: ${added.join(', ')}`);
  return added[0];
}

/** What RunStore.save does: run with the preload into a fresh run folder of `store`, then run.json. */
async function extensionProfile(store: string, cwd: string): Promise<string> {
  const started = new Date();
  const { id, dir } = createRunDir(store, started);
  const capture = { cpu: true, heap: false, imports: false, intervalUs: 1000 };
  const r = await runTarget({ command: BUSY, cwd, outDir: dir, capture });
  await saveRun(store, {
    id, command: BUSY, cwd, startedAt: started.toISOString(), capture, engine: 'inspector', nodeVersion: r.processes[0]?.nodeVersion ?? process.version,
    wallMs: r.wallMs, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, cancelled: r.cancelled, processes: r.processes, notes: r.notes ?? [],
  });
  return id;
}

const listed = (stores: RunStoreRef[]) => stores.map((store) => ({ store, list: listStore(store) }));
const runsOf = (g: GroupEntry) => g.children.filter((c): c is RunEntry => c.kind === 'run');

describe('Profile Runs view over two stores (extension + .hotpath/runs)', function () {
  this.timeout(180_000);
  let root: string;
  let ws: string;
  let ws2: string;
  let extStore: string;
  const cliIds: string[] = [];
  let extId = '';

  before(async () => {
    buildOnly('cli,preload');
    root = tempDir('runs-stores');
    ws = path.join(root, 'app');
    ws2 = path.join(root, 'lib');
    for (const d of [ws, ws2]) {
      fs.mkdirSync(d, { recursive: true });
      fs.copyFileSync(path.join(TARGETS, 'busy.js'), path.join(d, 'busy.js'));
    }
    extStore = path.join(root, 'workspaceStorage', 'runs');
    // Interleaved in time: CLI, extension, CLI. Each store still lists its own runs newest first.
    cliIds.push(cliProfile(ws));
    extId = await extensionProfile(extStore, ws);
    cliIds.push(cliProfile(ws));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('runStores: the extension store first, then each folder\'s .hotpath/runs once; folder names with several folders', () => {
    const one = runStores(extStore, [{ name: 'app', path: ws }]);
    assert.deepStrictEqual(one.map((s) => [s.kind, s.dir, s.label]), [
      ['extension', extStore, 'VS Code'],
      ['workspace', path.join(ws, '.hotpath', 'runs'), 'CLI: .hotpath/runs'],
    ]);
    const two = runStores(extStore, [{ name: 'app', path: ws }, { name: 'lib', path: ws2 }, { name: 'app again', path: ws + path.sep }]);
    assert.deepStrictEqual(two.map((s) => s.label), ['VS Code', 'CLI: app/.hotpath/runs', 'CLI: lib/.hotpath/runs'], 'the same folder twice is one store');
    assert.deepStrictEqual(runStores(extStore, []).map((s) => s.kind), ['extension']);
  });

  it('one store with runs: a flat list as with one store (only the extension\'s, or only the CLI\'s)', () => {
    const [ext, cli] = runStores(extStore, [{ name: 'app', path: ws }]);
    const onlyExt = runsViewTree([{ store: ext, list: listStore(ext) }, { store: { ...cli, dir: path.join(root, 'nowhere') }, list: listStore({ ...cli, dir: path.join(root, 'nowhere') }) }]);
    assert.deepStrictEqual(onlyExt.map((e) => e.kind), ['run']);
    assert.strictEqual((onlyExt[0] as RunEntry).id, extId);
    assert.deepStrictEqual(onlyExt.map((e) => (e as RunEntry).dir), runsViewEntries(listRuns(extStore), extStore).map((e) => (e as RunEntry).dir));

    const onlyCli = runsViewTree([{ store: ext, list: { runs: [], warnings: [] } }, { store: cli, list: listStore(cli) }]);
    assert.deepStrictEqual(onlyCli.map((e) => (e as RunEntry).id), [cliIds[1], cliIds[0]], 'newest first, no group');
    const run = onlyCli[0] as RunEntry;
    assert.strictEqual(run.dir, path.join(ws, '.hotpath', 'runs', cliIds[1]));
    assert.strictEqual(run.label, run.record.command);
    assert.match(run.label, /^node -e .*busy\(200\)/);
    assert.ok(run.tooltip.includes(`**Stored in:** CLI: .hotpath/runs (${path.join(ws, '.hotpath', 'runs')})`), run.tooltip);
    assert.ok(run.record.wallMs >= 200, `busy(200) ran: ${run.record.wallMs}`);
    assert.deepStrictEqual(runsViewTree([{ store: ext, list: { runs: [], warnings: [] } }]), [], 'nothing stored: empty (the welcome view)');
  });

  it('runs in both stores: one group each (extension first), newest first, with counts', () => {
    const entries = runsViewTree(listed(runStores(extStore, [{ name: 'app', path: ws }])));
    assert.deepStrictEqual(entries.map((e) => e.kind), ['group', 'group']);
    const [ext, cli] = entries as GroupEntry[];
    assert.strictEqual(ext.label, 'VS Code');
    assert.strictEqual(ext.description, '1 run');
    assert.deepStrictEqual(runsOf(ext).map((r) => r.id), [extId]);
    assert.strictEqual(cli.label, 'CLI: .hotpath/runs');
    assert.strictEqual(cli.description, '2 runs');
    assert.deepStrictEqual(runsOf(cli).map((r) => r.id), [cliIds[1], cliIds[0]]);
    for (const r of runsOf(cli)) assert.strictEqual(path.dirname(r.dir), path.join(ws, '.hotpath', 'runs'));
    assert.ok(cli.tooltip.includes('hotpath runs'), cli.tooltip);
    assert.ok(ext.tooltip.includes(`hotpath runs --dir "${extStore}"`), ext.tooltip);
    // What the commands act on (open, delete, compare): every run of both groups, in view order.
    assert.deepStrictEqual(runEntriesOf(entries).map((r) => r.id), [extId, cliIds[1], cliIds[0]]);
    assert.deepStrictEqual(runEntriesOf(entries).map((r) => r.store?.kind), ['extension', 'workspace', 'workspace']);
  });

  it('damaged folders are reported per store, in their group', () => {
    const cliStore = path.join(ws, '.hotpath', 'runs');
    const broken = path.join(cliStore, 'zz-broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'run.json'), '{"version":1,');
    try {
      const [ext, cli] = runsViewTree(listed(runStores(extStore, [{ name: 'app', path: ws }]))) as GroupEntry[];
      assert.deepStrictEqual(ext.children.map((c) => c.kind), ['run'], 'the extension store is clean');
      assert.strictEqual(cli.description, '2 runs, 1 damaged');
      assert.deepStrictEqual(cli.children.map((c) => c.kind), ['run', 'run', 'damaged']);
      const damaged = cli.children[2] as DamagedEntry;
      assert.strictEqual(damaged.label, '1 damaged or unfinished run skipped');
      assert.match(damaged.tooltip, /zz-broken: .*JSON/);
      assert.ok(damaged.tooltip.includes(`in ${cliStore}`), damaged.tooltip);
      // A store with only a damaged folder still gets its group next to one with runs.
      const onlyDamaged = runsViewTree([{ store: runStores(extStore, [])[0], list: listStore(runStores(extStore, [])[0]) }, { store: cli.store, list: { runs: [], warnings: damaged.warnings } }]);
      assert.deepStrictEqual(onlyDamaged.map((e) => [e.kind, e.kind === 'group' ? e.description : '']), [['group', '1 run'], ['group', '0 runs, 1 damaged']]);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('multi-root: one group per folder store that has runs', () => {
    const folders = [{ name: 'app', path: ws }, { name: 'lib', path: ws2 }];
    const before = runsViewTree(listed(runStores(extStore, folders)));
    assert.deepStrictEqual(before.map((e) => e.label), ['VS Code', 'CLI: app/.hotpath/runs'], 'lib has no .hotpath/runs: no group');
    const libId = cliProfile(ws2);
    try {
      const after = runsViewTree(listed(runStores(extStore, folders))) as GroupEntry[];
      assert.deepStrictEqual(after.map((e) => [e.label, e.description]), [['VS Code', '1 run'], ['CLI: app/.hotpath/runs', '2 runs'], ['CLI: lib/.hotpath/runs', '1 run']]);
      assert.deepStrictEqual(runsOf(after[2]).map((r) => r.dir), [path.join(ws2, '.hotpath', 'runs', libId)]);
      // Compare Profiles… lists the same stores: every run, newest first across them.
      const all = storedRuns(runStores(extStore, folders));
      assert.deepStrictEqual(all.map((r) => r.record.id), [libId, cliIds[1], extId, cliIds[0]]);
      assert.deepStrictEqual(all.map((r) => r.store.label), ['CLI: lib/.hotpath/runs', 'CLI: app/.hotpath/runs', 'VS Code', 'CLI: app/.hotpath/runs']);
    } finally {
      fs.rmSync(path.join(ws2, '.hotpath'), { recursive: true, force: true });
    }
  });
});
