// `hotpath rollback [ID] [--force] [--json] [--store DIR]`: restores the files of a checkpoint
// (default: the newest one not yet rolled back) and deletes files its batch created. Files edited
// after the batch make it refuse (exit 1) unless --force, which first saves them as a new checkpoint.
// The store: --store, else the one `hotpath fixes --apply` uses, found by walking up from the
// current folder (findCheckpointStore). JSON: {ok, id, restored, deleted, unchanged,
// conflicts: [{path, reason}], savedAs, error, store}.
import * as fs from 'fs';
import * as path from 'path';
import { findCheckpointStore, isCheckpointId, rollback } from '../../core/checkpoint';
import { parseOrUsage } from '../usage';

const HELP = `Usage: hotpath rollback [ID] [--force] [--json] [--store DIR]

Restores the files saved in a checkpoint (default: the newest one not rolled back yet) in one
step, and deletes files that the batch created. If a file was changed after the batch, nothing
is touched and the files are listed, unless --force: then their current contents are first
saved as a new checkpoint (roll that one back to get them again).

Options:
  --force       overwrite files changed after the batch (their contents are saved first)
  --store DIR   checkpoint store (default: .hotpath/checkpoints in the repository's top
                folder, found by walking up from here; outside git, the nearest one above)
  --json        machine-readable output

Exit code: 0 when rolled back, 1 when refused or nothing to roll back, 2 for bad usage.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('rollback', HELP, argv, (args) => {
    const a = { json: false, force: false, id: undefined as string | undefined, store: undefined as string | undefined };
    for (let i = 0; i < args.length; i++) {
      const x = args[i];
      if (x === '--json') a.json = true;
      else if (x === '--force') a.force = true;
      else if (x === '--store') { a.store = args[++i]; if (!a.store) throw new Error('--store needs a value'); }
      else if (x.startsWith('-')) throw new Error(`unknown option ${x}`);
      else if (a.id) throw new Error('give one checkpoint id');
      else a.id = x;
    }
    return a;
  });
  if ('exit' in parsed) return parsed.exit;
  const p = parsed.args;
  const cwd = process.cwd();
  const store = p.store ? path.resolve(p.store) : findCheckpointStore(cwd);
  // An unknown id is named as such (not as the file system error of reading it).
  const r = p.id && (!isCheckpointId(p.id) || !fs.existsSync(path.join(store, p.id)))
    ? { ok: false, id: p.id, restored: [], deleted: [], unchanged: [], conflicts: [], savedAs: undefined, error: `no checkpoint '${p.id}' in ${store} (\`hotpath checkpoints\` lists them; --store DIR names another store)` }
    : await rollback(store, p.id, { force: p.force });
  if (p.json) {
    console.log(JSON.stringify({ ...r, savedAs: r.savedAs ?? null, error: r.error ?? null, store }, null, 2));
    return r.ok ? 0 : 1;
  }
  const rel = (f: string) => path.relative(cwd, f) || f;
  if (!r.ok) {
    console.error(`hotpath rollback: ${r.error}`);
    for (const c of r.conflicts) console.error(`  ${rel(c.path)}: ${c.reason}`);
    return 1;
  }
  if (r.savedAs) console.log(`Saved the current contents of the changed files as checkpoint ${r.savedAs} (hotpath rollback ${r.savedAs} brings them back).`);
  console.log(`Rolled back checkpoint ${r.id}: ${r.restored.length} restored, ${r.deleted.length} deleted, ${r.unchanged.length} already as before.`);
  if (!p.store) console.log(`  (store: ${path.relative(cwd, store) || store})`);
  for (const f of r.restored) console.log(`  restored ${rel(f)}`);
  for (const f of r.deleted) console.log(`  deleted  ${rel(f)}`);
  return 0;
}
