// A checkpoint manifest is data from the folder, not something Hotpath can trust: a repository can
// commit `.hotpath/checkpoints/<id>/checkpoint.json` (and its blobs), and a user who clones it and
// runs `hotpath rollback` (or VS Code's rollback) must never get a file written, copied in or
// deleted outside the folder that holds the store. Each case below tampers with a real checkpoint
// in a real git repository, then rolls it back through the built CLI (plain and --force) and through
// the core API the VS Code command uses; every case must refuse the whole checkpoint, touching
// nothing in the repository or next to it.
import * as assert from 'assert';
import { execFile, execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { createCheckpoint, defaultCheckpointStore, listCheckpoints, loadCheckpoint, markApplied, rollback } from '../../../src/core/checkpoint';
import { CLI, noRawError } from '../cli/cli';
import { tempDir } from '../tempDirs';
import { buildOnly } from '../build';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

interface DiskFile { path: string; existed: boolean; sha256: string | null; size: number | null; mode: number | null; blob: string | null; after?: { exists: boolean; sha256: string | null } }
interface Disk { version: number; id: string; root: string; rootFromStore?: string; files: DiskFile[]; [k: string]: unknown }

interface Ctx { tmp: string; repo: string; outside: string; store: string; dir: string; disk: Disk }

/** A file the batch did not touch, made to look like one it created (so rollback "restores" it). */
function restoreEntry(ctx: Ctx, p: string, content: string, mode = 0o644): DiskFile {
  const blob = `evil-${Math.random().toString(36).slice(2, 8)}`;
  fs.writeFileSync(path.join(ctx.dir, 'files', blob), content);
  return { path: p, existed: true, sha256: sha(content), size: content.length, mode, blob, after: { exists: false, sha256: null } };
}

const SECRET = 'the secret next to the repository\n';
const VICTIM = 'a file next to the repository\n';

interface Case {
  name: string;
  tamper(ctx: Ctx): void;
  check(ctx: Ctx): void;
  /** Listing may still show it (only reading the blobs' content tells): rollback refuses it. */
  listed?: boolean;
  /** What the refusal must say, beyond 'refused'. */
  message?: RegExp;
}

/** The hostile cases; after each, the whole temp tree (repository and the folder beside it) must be as before. */
const CASES: Case[] = [
  {
    name: "file path '../../outside/created.sh' (relative, escaping the root), mode 0755",
    tamper: (c) => c.disk.files.push(restoreEntry(c, '../../outside/created.sh', '#!/bin/sh\necho pwned\n', 0o755)),
    check: (c) => assert.ok(!fs.existsSync(path.join(c.outside, 'created.sh'))),
  },
  {
    name: "file path '../../x' (two levels up)",
    tamper: (c) => c.disk.files.push(restoreEntry(c, '../../x-created-by-rollback', 'pwned\n')),
    check: (c) => assert.ok(!fs.existsSync(path.join(c.tmp, 'x-created-by-rollback'))),
  },
  {
    name: 'absolute file path outside the repository, mode 0755',
    tamper: (c) => c.disk.files.push(restoreEntry(c, path.join(c.outside, 'abs.sh'), '#!/bin/sh\necho pwned\n', 0o755)),
    check: (c) => assert.ok(!fs.existsSync(path.join(c.outside, 'abs.sh'))),
  },
  {
    name: "execute bit inside the repository's .git: '.git/hooks/post-checkout', mode 0755",
    tamper: (c) => c.disk.files.push(restoreEntry(c, '.git/hooks/post-checkout', '#!/bin/sh\necho pwned\n', 0o755)),
    check: (c) => assert.ok(!fs.existsSync(path.join(c.repo, '.git', 'hooks', 'post-checkout'))),
  },
  {
    name: "a path into the store itself: '.hotpath/checkpoints/other/checkpoint.json'",
    tamper: (c) => c.disk.files.push(restoreEntry(c, '.hotpath/checkpoints/other/checkpoint.json', '{}')),
    check: (c) => assert.ok(!fs.existsSync(path.join(c.store, 'other'))),
  },
  {
    name: "blob '../../../../outside/secret.txt' (copies a file from outside into the repository)",
    tamper: (c) => {
      const a = c.disk.files.find((f) => f.path === 'a.js')!;
      a.blob = path.relative(path.join(c.dir, 'files'), path.join(c.outside, 'secret.txt'));
      a.sha256 = sha(SECRET);
      a.size = SECRET.length;
    },
    check: () => undefined,
    message: /blob ".*outside\/secret\.txt" is not a plain file name inside the checkpoint's files\/ folder/,
  },
  {
    name: 'blob that is a symbolic link to a file outside (a committed link in files/)',
    tamper: (c) => {
      const a = c.disk.files.find((f) => f.path === 'a.js')!;
      fs.symlinkSync(path.join(c.outside, 'secret.txt'), path.join(c.dir, 'files', 'linked-blob'));
      Object.assign(a, { blob: 'linked-blob', sha256: sha(SECRET), size: SECRET.length });
    },
    check: () => undefined,
  },
  {
    name: "rootFromStore '../../../../outside' (the root pointing elsewhere)",
    tamper: (c) => {
      c.disk.rootFromStore = path.relative(c.store, c.outside);
      c.disk.files = [{ ...restoreEntry(c, 'victim.txt', 'overwritten\n'), after: { exists: true, sha256: sha(VICTIM) } }];
    },
    check: () => undefined,
  },
  {
    name: 'absolute root outside the repository (no rootFromStore)',
    tamper: (c) => {
      delete c.disk.rootFromStore;
      c.disk.root = c.outside;
      c.disk.files = [{ ...restoreEntry(c, 'victim.txt', 'overwritten\n'), after: { exists: true, sha256: sha(VICTIM) } }];
    },
    check: () => undefined,
  },
  {
    name: 'version 1 (absolute paths) naming a file outside',
    tamper: (c) => {
      c.disk.version = 1;
      delete c.disk.rootFromStore;
      c.disk.files = c.disk.files.map((f) => ({ ...f, path: path.join(c.repo, f.path) }));
      c.disk.files.push({ ...restoreEntry(c, path.join(c.outside, 'victim.txt'), 'overwritten\n'), after: { exists: true, sha256: sha(VICTIM) } });
    },
    check: () => undefined,
  },
  {
    name: "a symlinked folder inside the repository pointing outside: 'linked/victim.txt'",
    tamper: (c) => {
      fs.symlinkSync(c.outside, path.join(c.repo, 'linked'));
      c.disk.files.push({ ...restoreEntry(c, 'linked/victim.txt', 'overwritten\n'), after: { exists: true, sha256: sha(VICTIM) } });
    },
    check: (c) => assert.ok(fs.lstatSync(path.join(c.repo, 'linked')).isSymbolicLink()),
  },
  {
    name: "delete of an outside file via existed:false: '../../outside/victim.txt'",
    tamper: (c) => c.disk.files.push({ path: '../../outside/victim.txt', existed: false, sha256: null, size: null, mode: null, blob: null, after: { exists: true, sha256: sha(VICTIM) } }),
    check: () => undefined,
  },
  {
    name: "a 'link' entry whose target is outside (rollback would recreate a link out of the repository)",
    tamper: (c) => Object.assign(c.disk.files.find((f) => f.path === 'a.js')!, { link: path.join(c.outside, 'victim.txt') }),
    check: (c) => assert.ok(!fs.lstatSync(path.join(c.repo, 'a.js')).isSymbolicLink()),
  },
  {
    name: 'a blob is missing (refuses the whole rollback, no half restore)',
    tamper: (c) => fs.rmSync(path.join(c.dir, 'files', c.disk.files.find((f) => f.path === 'lib/b.js')!.blob!)),
    check: () => undefined,
  },
  {
    name: 'a blob is corrupted (same size, its sha256 does not match)',
    tamper: (c) => fs.writeFileSync(path.join(c.dir, 'files', c.disk.files.find((f) => f.path === 'lib/b.js')!.blob!), 'const b = 3;\n'),
    check: () => undefined,
    listed: true,
  },
];

function snapshot(dir: string, skip: (p: string) => boolean, out = new Map<string, string>()): Map<string, string> {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (skip(p)) continue;
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) out.set(p, `link ${fs.readlinkSync(p)}`);
    else if (st.isDirectory()) { out.set(p, 'dir'); snapshot(p, skip, out); }
    else out.set(p, `${(st.mode & 0o7777).toString(8)} ${sha(fs.readFileSync(p))}`);
  }
  return out;
}

function run(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

/** A repository with a real applied batch (a.js, lib/b.js edited; lib/new.js created) and a folder beside it. */
async function setup(): Promise<Ctx> {
  const tmp = fs.realpathSync(tempDir('hostile'));
  const repo = path.join(tmp, 'work', 'repo');
  const outside = path.join(tmp, 'outside');
  fs.mkdirSync(path.join(repo, 'lib'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(outside, 'victim.txt'), VICTIM);
  fs.writeFileSync(path.join(repo, 'a.js'), 'const a = 1;\n');
  fs.writeFileSync(path.join(repo, 'lib', 'b.js'), 'const b = 2;\n');
  execFileSync('git', ['init', '-q'], { cwd: repo });
  const store = defaultCheckpointStore(repo);
  const cp = await createCheckpoint(store, ['a.js', 'lib/b.js', 'lib/new.js'], { root: repo, label: 'fixes --apply', git: false });
  fs.writeFileSync(path.join(repo, 'a.js'), 'const a = 1; // fixed\n');
  fs.writeFileSync(path.join(repo, 'lib', 'b.js'), 'const b = 2; // fixed\n');
  fs.writeFileSync(path.join(repo, 'lib', 'new.js'), 'created by the batch\n');
  markApplied(store, cp.id);
  const dir = path.join(store, cp.id);
  const disk = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as Disk;
  return { tmp, repo, outside, store, dir, disk };
}

describe('checkpoint: a hostile manifest is refused whole (CLI and core API)', function () {
  this.timeout(300_000);
  const results = new Map<string, { ctx: Ctx; before: Map<string, string>; plain: Awaited<ReturnType<typeof run>>; forced: Awaited<ReturnType<typeof run>>; afterCli: Map<string, string> }>();
  const skip = (ctx: Ctx) => (p: string) => p === ctx.store || (p.startsWith(path.join(ctx.repo, '.git')) && !p.startsWith(path.join(ctx.repo, '.git', 'hooks')) && p !== path.join(ctx.repo, '.git'));

  before(async () => {
    buildOnly('cli');
    // Cases run two at a time (each spawns the CLI twice): the machine has 2 cores.
    const queue = [...CASES];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const ctx = await setup();
        c.tamper(ctx);
        fs.writeFileSync(path.join(ctx.dir, 'checkpoint.json'), JSON.stringify(ctx.disk, null, 2));
        const before = snapshot(ctx.tmp, skip(ctx));
        const plain = await run(ctx.repo, ['rollback']);
        const forced = await run(path.join(ctx.repo, 'lib'), ['rollback', ctx.disk.id, '--force', '--json']);
        results.set(c.name, { ctx, before, plain, forced, afterCli: snapshot(ctx.tmp, skip(ctx)) });
        if (process.env.HOTPATH_SHOW_REFUSALS) console.log(`${c.name}\n  -> exit ${plain.code}: ${plain.stderr.trim()}\n  -> --force: exit ${forced.code}: ${JSON.parse(forced.stdout || '{}').error}`);
      }
    };
    await Promise.all([worker(), worker()]);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const r = results.get(c.name)!;
      const { ctx } = r;
      assert.deepStrictEqual(r.afterCli, r.before, 'the CLI rollbacks wrote, copied or deleted nothing');
      c.check(ctx);
      assert.strictEqual(r.plain.code, 1, r.plain.stdout + r.plain.stderr);
      assert.match(r.plain.stderr, c.message ?? /refused/, r.plain.stderr);
      noRawError(r.plain.stderr);
      assert.strictEqual(r.forced.code, 1, r.forced.stdout + r.forced.stderr);
      const json = JSON.parse(r.forced.stdout);
      assert.strictEqual(json.ok, false);
      assert.match(json.error, /refused/);
      assert.deepStrictEqual([json.restored, json.deleted, json.savedAs], [[], [], null]);
      // The core API the VS Code command calls: the listing leaves it out with the reason, and a
      // forced rollback by id refuses it too.
      const listed = listCheckpoints(ctx.store);
      if (!c.listed) {
        assert.deepStrictEqual(listed.checkpoints.map((x) => x.id), [], 'not offered in the list');
        assert.match(listed.warnings.join('\n'), new RegExp(`${ctx.disk.id}.*refused`));
      }
      const core = await rollback(ctx.store, ctx.disk.id, { force: true, git: false });
      assert.strictEqual(core.ok, false);
      assert.match(core.error ?? '', /refused/);
      assert.deepStrictEqual(snapshot(ctx.tmp, skip(ctx)), r.before, 'the core rollback wrote, copied or deleted nothing');
      // No new checkpoint (a forced rollback saves one only after the manifest passed).
      assert.deepStrictEqual(fs.readdirSync(ctx.store).filter((n) => !n.startsWith('.')), [ctx.disk.id]);
    });
  }

  it('an untampered checkpoint still rolls back (the same setup, untouched)', async () => {
    const ctx = await setup();
    assert.strictEqual(loadCheckpoint(ctx.store, ctx.disk.id).files.length, 3);
    const r = await run(ctx.repo, ['rollback', '--json']);
    assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    assert.strictEqual(fs.readFileSync(path.join(ctx.repo, 'a.js'), 'utf8'), 'const a = 1;\n');
    assert.ok(!fs.existsSync(path.join(ctx.repo, 'lib', 'new.js')));
  });
});
