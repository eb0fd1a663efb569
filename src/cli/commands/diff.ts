// `hotpath diff <before> <after>`: which functions and modules got faster or slower between two
// profiles (or two sets of runs), each change with its noise band and a verdict.
import * as fs from 'fs';
import * as path from 'path';
import { openProfileFile } from '../../core/profile';
import { diffProfiles, DiffError, type DiffChange, type DiffKind, type DiffRow, type DiffTotal, type ProfileDiff } from '../../core/profile/diff';
import { resolveProfileInput, ProfileInputError, type ResolvedInput } from '../../core/profile/diffInput';
import { ProfileError } from '../../core/profile/errors';
import type { ProfileModel } from '../../core/profile/types';
import { parseOrUsage } from '../usage';

export const HELP = `Usage: hotpath diff <before> <after> [--json] [--top N] [--kind cpu|heap] [--sort self|total] [--root DIR]
       hotpath diff --before A --before B --after C --after D [options]

Compares two profiles: per function (name, file and line after source maps) and per module
(file or npm package), self and total time (or heap bytes) before and after, the change with
its noise band, and a verdict: slower / faster (heap: more / less) or within noise.

<before> and <after> are each one of:
  - a run id from .hotpath/runs (a unique prefix is enough; also \`last\` and \`previous\`),
  - a run folder (.hotpath/runs/<id>, or the --out folder of \`hotpath profile\`),
  - a profile file (.cpuprofile, .heapprofile, speedscope, Chrome trace, 0x tick log).
Several runs per side: repeat --before / --after, or give a comma list (a,b,c).

Noise: with one run per side, ± is 2 x the combined sampling error (value / sqrt(samples) per
side, about 95 %); it does NOT include run-to-run variation. With 2 or more runs on both sides,
± is the 95 % Welch interval of the difference of the per-run means, which does. A change is
reported as slower / faster only when it is larger than its ±. Values are per run (the mean
over a side's runs); the share of each side's total is shown too, so a longer run does not read
as "everything slower". A function or module sampled on one side only is marked "not sampled
before" / "not sampled after": it may be new or gone, or just too brief to be sampled there.

Options:
  --json        Print one JSON object (see below).
  --top N       Rows per table (default 15; --json: 50). 0: all rows.
  --kind K      cpu (default when both sides have CPU samples) or heap (allocated bytes).
  --root DIR    Workspace folder: paths are shown relative to it, run ids are looked up in
                DIR/.hotpath/runs (default: the current folder).
  --sort S      self (default) or total: the |change| rows are sorted by (the table titles
                say which; the verdict column is always the self time's).

--json prints {kind, unit, method, noiseLabel, factor, before: {inputs, runs}, after,
totals: {cpu, heap}, functions, modules, notes}: method is 'sampling' or 'welch'; unit 'ms' or
'bytes'; U below is Ms for cpu, Bytes for heap. A total is {before<U>, after<U>,
beforeError<U>, afterError<U>, beforeSamples, afterSamples, delta<U>, error<U>, margin<U>,
verdict} (heap only when both sides captured it). A row is {name, file, path, line, lineBefore,
status ('both'|'added'|'removed': sampled on one side only), category, before: {self<U>, total<U>, selfSamples,
totalSamples, selfShare, totalShare}, after, deltaSelf<U>, deltaTotal<U>, errorSelf<U>,
errorTotal<U>, marginSelf<U>, marginTotal<U>, verdict, totalVerdict, deltaSelfSharePts}
(module rows have line 0). verdict: 'slower'|'faster'|'more'|'less'|'within noise'|'unknown'
(no sample counts). error is 1 sigma; margin the ± the verdict uses; numbers that cannot be
computed are null.

Exit code: 0; 2 for bad usage or bad input (a missing file or run, a corrupt profile, sides
that hold different kinds of profile).`;

interface Args { before: string[]; after: string[]; json: boolean; top?: number; kind?: DiffKind; root?: string; sort: 'self' | 'total' }

function parse(argv: string[]): Args {
  const a: Args = { before: [], after: [], json: false, sort: 'self' };
  const positional: string[] = [];
  const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--json': a.json = true; break;
      case '--before': a.before.push(...list(value())); break;
      case '--after': a.after.push(...list(value())); break;
      case '--top': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0) throw new Error('--top needs a whole number (0: all rows)');
        a.top = n;
        break;
      }
      case '--kind': {
        const k = value();
        if (k !== 'cpu' && k !== 'heap') throw new Error(`--kind must be cpu or heap, not ${k}`);
        a.kind = k;
        break;
      }
      case '--sort': {
        const s = value();
        if (s !== 'self' && s !== 'total') throw new Error(`--sort must be self or total, not ${s}`);
        a.sort = s;
        break;
      }
      case '--root': a.root = value(); break;
      default:
        if (flag.startsWith('-') && flag !== '-') throw new Error(`unknown option ${flag}`);
        positional.push(flag);
    }
  }
  if (positional.length) {
    if (a.before.length || a.after.length) throw new Error('give the sides either as two arguments or with --before/--after, not both');
    if (positional.length !== 2) throw new Error(`give two profiles to compare (before and after), not ${positional.length}`);
    a.before = list(positional[0]);
    a.after = list(positional[1]);
  }
  if (!a.before.length || !a.after.length) throw new Error('give two profiles to compare: hotpath diff <before> <after>');
  return a;
}

const round = (v: number, digits: number) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null);

/** The JSON contract: unit-suffixed field names (Ms or Bytes), rounded; NaN becomes null. */
export function diffJson(d: ProfileDiff, inputs: { before: string[]; after: string[] }, top: number): Record<string, unknown> {
  const val = (unit: 'ms' | 'bytes') => (v: number) => (unit === 'ms' ? round(v, 3) : round(v, 0));
  const total = (t: DiffTotal | undefined, unit: 'ms' | 'bytes') => {
    if (!t) return null;
    const U = unit === 'ms' ? 'Ms' : 'Bytes';
    const v = val(unit);
    return {
      [`before${U}`]: v(t.before), [`after${U}`]: v(t.after), [`beforeError${U}`]: v(t.beforeError), [`afterError${U}`]: v(t.afterError),
      beforeSamples: t.beforeSamples, afterSamples: t.afterSamples,
      [`delta${U}`]: v(t.change.delta), [`error${U}`]: v(t.change.error), [`margin${U}`]: v(t.change.margin), verdict: t.change.verdict,
    };
  };
  const U = d.unit === 'ms' ? 'Ms' : 'Bytes';
  const v = val(d.unit);
  const row = (r: DiffRow) => {
    const side = (s: DiffRow['before']) => ({ [`self${U}`]: v(s.self), [`total${U}`]: v(s.total), selfSamples: s.selfSamples, totalSamples: s.totalSamples, selfShare: round(s.selfShare, 5), totalShare: round(s.totalShare, 5) });
    return {
      name: r.name, file: r.file, path: r.path ?? null, line: r.after.line ?? r.line, lineBefore: r.before.line ?? r.line, status: r.status, category: r.category,
      before: side(r.before), after: side(r.after),
      [`deltaSelf${U}`]: v(r.self.delta), [`deltaTotal${U}`]: v(r.total.delta), [`errorSelf${U}`]: v(r.self.error), [`errorTotal${U}`]: v(r.total.error),
      [`marginSelf${U}`]: v(r.self.margin), [`marginTotal${U}`]: v(r.total.margin), verdict: r.self.verdict, totalVerdict: r.total.verdict,
      deltaSelfSharePts: round(r.deltaSelfSharePts, 3),
    };
  };
  const cut = <T>(xs: T[]) => (top > 0 ? xs.slice(0, top) : xs);
  return {
    kind: d.kind, unit: d.unit, method: d.method, noiseLabel: d.noiseLabel, factor: d.factor,
    before: { inputs: inputs.before, runs: d.runs.before }, after: { inputs: inputs.after, runs: d.runs.after },
    totals: { cpu: total(d.totals.cpu, 'ms'), heap: total(d.totals.heap, 'bytes') },
    functions: cut(d.functions).map(row), modules: cut(d.modules).map(row), notes: d.notes,
  };
}

/**
 * The text mark of a row found on one side only. A profile lists what it sampled, so a function
 * with no sample on a side is absent there whether or not its code still exists: "not sampled
 * after" says that (--json keeps status 'added' / 'removed').
 */
export function onlyOneSide(r: DiffRow): string {
  return r.status === 'both' ? '' : `  [not sampled ${r.status === 'removed' ? 'after' : 'before'}]`;
}

function num(v: number, unit: 'ms' | 'bytes', signed = false): string {
  if (!Number.isFinite(v)) return '?';
  const sign = signed && v > 0 ? '+' : '';
  if (unit === 'bytes') {
    const abs = Math.abs(v);
    return abs >= 1048576 ? `${sign}${(v / 1048576).toFixed(2)} MB` : abs >= 1024 ? `${sign}${(v / 1024).toFixed(1)} KB` : `${sign}${v.toFixed(0)} B`;
  }
  return `${sign}${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)}`;
}

const pm = (c: DiffChange, unit: 'ms' | 'bytes') => `${num(c.delta, unit, true)} ±${num(c.margin, unit)}`;
const pct = (s: number) => `${(s * 100).toFixed(1)}%`;

function printTable(title: string, rows: DiffRow[], unit: 'ms' | 'bytes', withLine: boolean, out: (l: string) => void): void {
  if (!rows.length) return;
  // Times in ms (the header says so); bytes carry their own unit (B, KB, MB) on every value.
  const u = unit === 'ms' ? ' ms' : '';
  const [w1, w2] = unit === 'ms' ? [10, 16] : [11, 21];
  out(`\n${title}`);
  out(`  ${`before${u}`.padStart(w1)} ${`after${u}`.padStart(w1)} ${`Δ self${u}`.padStart(w2)} ${`Δ total${u}`.padStart(w2)} ${'share'.padStart(15)}  ${'verdict'.padEnd(12)} ${withLine ? 'function' : 'module'}`);
  for (const r of rows) {
    const where = withLine ? `  ${r.file}${r.line ? `:${r.line}` : ''}${r.before.line !== undefined ? ` (was line ${r.before.line})` : ''}` : r.file && r.file !== r.name ? `  (${r.file})` : '';
    out(`  ${num(r.before.self, unit).padStart(w1)} ${num(r.after.self, unit).padStart(w1)} ${pm(r.self, unit).padStart(w2)} ${pm(r.total, unit).padStart(w2)} ${`${pct(r.before.selfShare)} → ${pct(r.after.selfShare)}`.padStart(15)}  ${r.self.verdict.padEnd(12)} ${r.name}${where}${onlyOneSide(r)}`);
  }
}

function printText(d: ProfileDiff, labels: { before: string; after: string }, top: number, sortBy: 'self' | 'total', out: (l: string) => void): void {
  const unit = d.unit;
  out(`Profile diff (${d.kind === 'cpu' ? 'CPU: sampled ms' : 'heap: sampled bytes allocated'} per run): before ${labels.before} (${d.runs.before} run${d.runs.before > 1 ? 's' : ''}), after ${labels.after} (${d.runs.after} run${d.runs.after > 1 ? 's' : ''})`);
  out(`Noise: ${d.noiseLabel}.`);
  const t = (name: string, x: DiffTotal, u: 'ms' | 'bytes') => {
    const unitText = u === 'ms' ? ' ms' : '';
    out(`${name}: ${num(x.before, u)} ±${num(x.beforeError, u)}${unitText} before, ${num(x.after, u)} ±${num(x.afterError, u)}${unitText} after (1 sigma sampling error); change ${pm(x.change, u)}${unitText}: ${x.change.verdict}`);
  };
  if (d.totals.cpu) t('Sampled CPU (idle excluded)', d.totals.cpu, 'ms');
  if (d.totals.heap) t('Sampled heap allocations (bytes)', d.totals.heap, 'bytes');
  const cut = <T>(xs: T[]) => (top > 0 ? xs.slice(0, top) : xs);
  const count = (v: string) => d.functions.filter((r) => r.self.verdict === v).length;
  const up = d.kind === 'cpu' ? 'slower' : 'more';
  const down = d.kind === 'cpu' ? 'faster' : 'less';
  const by = `|Δ ${sortBy}|`;
  const verdictOf = sortBy === 'total' ? '; verdict on self' : '';
  printTable(`Functions by ${by} (${d.functions.length}: ${count(up)} ${up}, ${count(down)} ${down}, ${count('within noise')} within noise${count('unknown') ? `, ${count('unknown')} unknown` : ''}; share = self share of each side's total${verdictOf}):`, cut(d.functions), unit, true, out);
  printTable(`Modules by ${by} (${d.modules.length}${verdictOf}):`, cut(d.modules), unit, false, out);
  for (const n of d.notes) out(`note: ${n}`);
}

async function openSide(inputs: string[], root: string): Promise<{ models: ProfileModel[]; resolved: ResolvedInput[] }> {
  const models: ProfileModel[] = [];
  const resolved: ResolvedInput[] = [];
  for (const input of inputs) {
    const r = resolveProfileInput(input, root);
    resolved.push(r);
    models.push(r.kind === 'file' ? await openProfileFile(r.file, { root }) : await r.load({ root }));
  }
  return { models, resolved };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('diff', HELP, argv, parse);
  if ('exit' in parsed) return parsed.exit;
  const a = parsed.args;
  const root = path.resolve(a.root ?? process.cwd());
  if (a.root && !(fs.existsSync(root) && fs.statSync(root).isDirectory())) {
    console.error(`hotpath diff: --root ${a.root} is not a folder.`);
    return 2;
  }
  let diff: ProfileDiff;
  let before: ResolvedInput[];
  let after: ResolvedInput[];
  try {
    const b = await openSide(a.before, root);
    const f = await openSide(a.after, root);
    before = b.resolved;
    after = f.resolved;
    const sourceOf = (r: ResolvedInput) => (r.kind === 'file' ? r.file : r.dir);
    diff = diffProfiles(b.models, f.models, { kind: a.kind, sortBy: a.sort, sources: { before: before.map(sourceOf), after: after.map(sourceOf) } });
  } catch (err) {
    if (err instanceof ProfileError || err instanceof DiffError || err instanceof ProfileInputError) {
      console.error(`hotpath diff: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const labels = { before: before.map((r) => r.label), after: after.map((r) => r.label) };
  // `hotpath diff a b | head`: a reader that stops early is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); else throw err; });
  if (a.json) {
    console.log(JSON.stringify(diffJson(diff, labels, a.top ?? 50)));
  } else {
    printText(diff, { before: labels.before.join(', '), after: labels.after.join(', ') }, a.top ?? 15, a.sort, (l) => process.stdout.write(`${l}\n`));
  }
  return 0;
}
