// `hotpath checkpoints [--json] [--store DIR]`: the checkpoints taken before batches of fixes,
// newest first. The store: --store, else the one `hotpath fixes --apply` uses, found by walking
// up from the current folder (findCheckpointStore). JSON: {checkpoints: [{id, label, createdAt,
// state, root, git, appliedAt, rolledBackAt, files: [{path, existed, sha256}]}], warnings, store}.
import * as path from 'path';
import { findCheckpointStore, listCheckpoints } from '../../core/checkpoint';
import { parseOrUsage } from '../usage';

const HELP = `Usage: hotpath checkpoints [--json] [--store DIR]

Lists the checkpoints (snapshots of files taken before a batch of fixes, e.g. by
\`hotpath fixes --apply\`), newest first. \`hotpath rollback [ID]\` restores one.

Options:
  --store DIR   checkpoint store (default: .hotpath/checkpoints in the repository's top
                folder, found by walking up from here; outside git, the nearest one above)
  --json        machine-readable output

Exit code: 0 (also when there are none); 2 for bad usage.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('checkpoints', HELP, argv, (args) => {
    const a = { json: false, store: undefined as string | undefined };
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--json') a.json = true;
      else if (args[i] === '--store') { a.store = args[++i]; if (!a.store) throw new Error('--store needs a value'); }
      else throw new Error(`unknown argument ${args[i]}`);
    }
    return a;
  });
  if ('exit' in parsed) return parsed.exit;
  const cwd = process.cwd();
  const store = parsed.args.store ? path.resolve(parsed.args.store) : findCheckpointStore(cwd);
  const { checkpoints, warnings } = listCheckpoints(store);
  if (parsed.args.json) {
    console.log(JSON.stringify({
      checkpoints: checkpoints.map((c) => ({
        id: c.id, label: c.label ?? null, createdAt: c.createdAt, state: c.state, root: c.root, git: c.git ?? null,
        appliedAt: c.appliedAt ?? null, rolledBackAt: c.rolledBackAt ?? null, files: c.files.map((f) => ({ path: f.path, existed: f.existed, sha256: f.sha256 })),
      })),
      warnings,
      store,
    }, null, 2));
    return 0;
  }
  if (!checkpoints.length) console.log(`No checkpoints in ${path.relative(cwd, store) || store}.`);
  else if (!parsed.args.store) console.log(`Checkpoints in ${path.relative(cwd, store) || store}, newest first:`);
  for (const c of checkpoints) {
    const git = c.git ? `  git ${c.git.head.slice(0, 10)}${c.git.dirty ? ' (dirty)' : ''}` : '';
    console.log(`${c.id}  ${c.state.padEnd(11)} ${c.files.length} file(s)${git}${c.label ? `  ${c.label}` : ''}`);
    for (const f of c.files.slice(0, 10)) console.log(`    ${f.existed ? '' : '(created) '}${path.relative(c.root, f.path) || f.path}`);
    if (c.files.length > 10) console.log(`    ... and ${c.files.length - 10} more`);
  }
  for (const w of warnings) console.log(`warning: ${w}`);
  return 0;
}
