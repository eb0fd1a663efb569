// `hotpath runs rm` and a run still being recorded: a real `hotpath profile` of a program that
// waits is recording into .hotpath/runs/<id> (no run.json yet). rm refuses it (exit 2, naming the
// recording process) unless --force, `runs` says it is being recorded; a folder left by a Hotpath
// that is gone is deleted without --force.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../tempDirs';
import { CLI, hotpath } from './cli';
import { until } from './until';
import { buildOnly } from '../build';

describe('cli: runs rm and a run still being recorded', function () {
  this.timeout(120_000);
  before(() => { buildOnly('cli,preload'); });

  it('refuses to delete it without --force, says who records it; --force deletes it', async () => {
    const dir = tempDir('rm-recording');
    const store = path.join(dir, '.hotpath', 'runs');
    const recorder = spawn(process.execPath, [CLI, 'profile', '--', 'node', '-e', 'setTimeout(() => {}, 60000)'], { cwd: dir, stdio: 'ignore' });
    try {
      await until('the run folder', () => fs.existsSync(store) && fs.readdirSync(store).some((id) => fs.existsSync(path.join(store, id, '.recording'))));
      const [id] = fs.readdirSync(store);
      const listed = hotpath(dir, ['runs']);
      assert.match(listed.stderr, new RegExp(`Skipped run ${id}: still being recorded \\(by Hotpath process ${recorder.pid}\\)`));
      const refused = hotpath(dir, ['runs', 'rm', id]);
      assert.strictEqual(refused.code, 2, refused.stdout + refused.stderr);
      assert.match(refused.stderr, new RegExp(`run ${id} is still being recorded by Hotpath process ${recorder.pid}.*Nothing was deleted.*--force`));
      assert.ok(fs.existsSync(path.join(store, id)), 'the folder is still there');
      const forced = hotpath(dir, ['runs', 'rm', id, '--force', '--json']);
      assert.strictEqual(forced.code, 0, forced.stderr);
      assert.deepStrictEqual(JSON.parse(forced.stdout).removed, [id]);
      assert.match(forced.stderr, /was still being recorded .*deleted \(--force\)/);
      assert.ok(!fs.existsSync(path.join(store, id)));
    } finally {
      recorder.kill('SIGTERM');
      await new Promise((r) => recorder.once('exit', r));
    }
  });

  it('a folder whose recorder is gone (killed Hotpath) is an unfinished run: deleted without --force', () => {
    const dir = tempDir('rm-unfinished');
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid + " " + require("fs").readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ")[19])'], { encoding: 'utf8' }).stdout.trim().split(' ');
    const id = '2026-01-01T00-00-00-000Z-abcdef';
    fs.mkdirSync(path.join(dir, '.hotpath', 'runs', id), { recursive: true });
    fs.writeFileSync(path.join(dir, '.hotpath', 'runs', id, '.recording'), JSON.stringify({ pid: Number(gone[0]), start: gone[1] }));
    const listed = hotpath(dir, ['runs']);
    assert.match(listed.stderr, new RegExp(`Skipped run ${id}: no run\\.json \\(unfinished run\\)`));
    const r = hotpath(dir, ['runs', 'rm', id]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(!fs.existsSync(path.join(dir, '.hotpath', 'runs', id)));
  });
});
