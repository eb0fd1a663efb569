// What a side of a profile diff names: a stored run id (or unique prefix, `last`, `previous`) in
// `<root>/.hotpath/runs`, a run folder (a stored run with run.json, or the --out folder of
// `hotpath profile`), or one profile file. Used by `hotpath diff` and the Compare Profiles command.
import * as fs from 'fs';
import * as path from 'path';
import { listRuns, loadRunRecord, runResultOf, type RunRecord } from '../history';
import { profileFolderResult } from '../runner/collect';
import type { RunResult } from '../runner/types';
import { runStoreOf } from '../hotpathDir';
import { loadRun, type OpenOptions } from './open';
import type { ProfileModel } from './types';

export class ProfileInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileInputError';
  }
}

export type ResolvedInput =
  | { kind: 'file'; file: string; label: string }
  | { kind: 'run'; dir: string; label: string; result: RunResult; record?: RunRecord; load(opts: OpenOptions): Promise<ProfileModel> };

export { runStoreOf };

/** A run folder as the runner's result (what loadRun reads); throws ProfileInputError. */
export function readRunFolder(dir: string): { result: RunResult; record?: RunRecord } {
  if (fs.existsSync(path.join(dir, 'run.json'))) {
    const { record, error } = loadRunRecord(path.dirname(dir), path.basename(dir));
    if (!record) throw new ProfileInputError(error ?? `${dir}: run.json cannot be read`);
    const result = runResultOf(record, dir);
    if (!record.processes.some((p) => p.cpuProfile || p.heapProfile || p.importsFile)) throw new ProfileInputError(`The run ${record.id} holds no profiles (no Node process wrote one).`);
    return { result, record };
  }
  const result = profileFolderResult(dir);
  if (!result) {
    throw new ProfileInputError(`${dir} holds no Hotpath profiles (expected a stored run with run.json, or <pid>-<thread>.meta.json files written by \`hotpath profile --out ${dir}\`).`);
  }
  return { result };
}

function runInput(dir: string, label: string): ResolvedInput {
  const { result, record } = readRunFolder(dir);
  return { kind: 'run', dir, label, result, record, load: (opts) => loadRun(result, opts) };
}

/** Resolves one side's name; throws ProfileInputError with what was looked for. */
export function resolveProfileInput(input: string, root: string): ResolvedInput {
  const abs = path.resolve(root, input);
  if (fs.existsSync(abs)) {
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) return runInput(abs, input);
    return { kind: 'file', file: abs, label: input };
  }
  const store = runStoreOf(root);
  const runs = fs.existsSync(store) ? listRuns(store).runs : [];
  let match: RunRecord[];
  if (input === 'last') match = runs.slice(0, 1);
  else if (input === 'previous') match = runs.slice(1, 2);
  else match = runs.filter((r) => r.id === input).length ? runs.filter((r) => r.id === input) : runs.filter((r) => r.id.startsWith(input));
  if (match.length === 1) return runInput(path.join(store, match[0].id), `${match[0].id} (${match[0].command})`);
  if (match.length > 1) {
    throw new ProfileInputError(`${input} matches ${match.length} runs in ${store} (${match.slice(0, 4).map((r) => r.id).join(', ')}${match.length > 4 ? ', ...' : ''}); give more of the id.`);
  }
  // A folder of the store that the listing skipped (damaged or missing run.json): say what is wrong with it.
  const folder = path.join(store, input);
  if (input === path.basename(input) && input !== '.' && input !== '..' && fs.existsSync(folder) && fs.statSync(folder).isDirectory()) {
    return runInput(folder, input);
  }
  const looksLikeFile = /[\\/]|\.(cpuprofile|heapprofile|json|log)$/i.test(input);
  const known = runs.length ? `${runs.length} stored run(s), newest ${runs[0].id}` : 'no stored runs';
  throw new ProfileInputError(looksLikeFile
    ? `${abs} does not exist (give a profile file, a run folder, or a run id from ${store}).`
    : `${input} is not a file, a folder, or a run id in ${store} (${known}${input === 'previous' && runs.length === 1 ? '; `previous` needs two' : ''}).`);
}
