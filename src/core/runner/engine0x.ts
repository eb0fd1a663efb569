// The 0x engine: runs the main Node process under `0x --collect-only` (V8's --prof tick log,
// so it sees optimization tiers) and converts the preprocessed tick log into a .cpuprofile the
// profile model reads like any other. Only the main process is covered by 0x; child processes
// and workers still get the preload (heap and module timing), but no CPU profile.
//
// Tier data goes into the profile as an extra top-level field the .cpuprofile readers ignore:
//   "$hotpath": { "engine": "0x", "tiers": { "<nodeId>": { "optimized": n, "interpreted": n, ... } } }
// counted in samples whose top frame is that node.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

// From bench/profileCost.bench.ts --ox (hotpath profile --engine 0x end to end against the plain
// run, tsc type-check of mocha's typings, 3 interleaved rounds, load 30-33 on 2 cores): CPU of
// the whole tree 4.9x (4.0-5.7), wall 2.6x (1.7-3.1; the load compresses wall ratios); 6.0x wall
// (5.6-6.4) on a 4.1 s type-check at a lower load (issue 17).
export const OX_OVERHEAD_NOTE = '4.9x the plain run\'s CPU time (4.0-5.7), up to 6x its wall time';

/**
 * 0x's command line script: the project's own `0x` (looked up from the folder the command runs
 * in, as Node would), else one installed next to Hotpath (its development checkout). The
 * extension and the CLI package do not ship 0x (about 200 packages for its visualizer); the
 * error says how to install it where it will be found.
 */
export function zeroXCli(cwd: string, ownPaths: readonly string[] = [__dirname]): string {
  for (const from of [cwd, ...ownPaths]) {
    try {
      return require.resolve('0x/cmd.js', { paths: [from] });
    } catch { /* next */ }
  }
  throw new Error(`The 0x engine needs the \`0x\` package in the project: run \`npm install --save-dev 0x\` in ${cwd} (Hotpath looks for it from the folder the command runs in), or use the default inspector engine.`);
}

/** The argv of a single `node script ...` command, or an error message when it is something else. */
export function nodeArgv(command: string, args?: string[]): string[] | string {
  const argv = args ? [command, ...args] : command.trim().split(/\s+/);
  if (!args && /[|&;<>()$`"'\\*?]/.test(command)) return 'The 0x engine runs one `node script …` command; shell syntax (pipes, quotes, &&) is not supported with it.';
  if (!/^(node|nodejs)$/.test(path.basename(argv[0] ?? '')) && argv[0] !== process.execPath) {
    return `The 0x engine runs one \`node script …\` command; "${argv[0]}" is not node (use the default inspector engine for npm scripts and other launchers).`;
  }
  return argv.slice(1);
}

interface Code { name: string; type: string; kind?: string }
interface Preprocessed { code: Code[]; ticks: { tm: number; vm: number; s: number[] }[] }

const TIERS: Record<string, string> = { Opt: 'optimized', Maglev: 'maglev', Sparkplug: 'baseline', Unopt: 'interpreted', Ignition: 'interpreted', Turboprop: 'optimized' };
// V8 StateTag values in the tick log.
const VM_GC = 1;
const VM_IDLE = 8;

function frameOf(code: Code): { functionName: string; url: string; lineNumber: number; columnNumber: number } | undefined {
  if (code.type !== 'JS') return undefined;
  const m = /^(.*) (\S+):(\d+):(\d+)$/.exec(code.name);
  if (!m) return { functionName: code.name.replace(/^[*~^+]/, ''), url: '', lineNumber: -1, columnNumber: -1 };
  const file = m[2];
  const url = path.isAbsolute(file) ? pathToFileURL(file).href : file;
  return { functionName: m[1].replace(/^[*~^+]/, ''), url, lineNumber: Number(m[3]) - 1, columnNumber: Number(m[4]) - 1 };
}

/** Converts `node --prof-process --preprocess` output (what 0x writes as isolate-*.log.json). */
export function preprocessedToCpuProfile(data: Preprocessed): object {
  type Node = { id: number; callFrame: object; hitCount: number; children: number[] };
  const nodes: Node[] = [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [] }];
  const index = new Map<string, number>();
  const tiers: Record<number, Record<string, number>> = {};
  const child = (parent: number, frame: { functionName: string; url: string; lineNumber: number; columnNumber: number }) => {
    const key = `${parent}\0${frame.functionName}\0${frame.url}\0${frame.lineNumber}\0${frame.columnNumber}`;
    let id = index.get(key);
    if (id === undefined) {
      id = nodes.length + 1;
      nodes.push({ id, callFrame: { ...frame, scriptId: '0' }, hitCount: 0, children: [] });
      nodes[parent - 1].children.push(id);
      index.set(key, id);
    }
    return id;
  };
  if (!Array.isArray(data?.code) || !Array.isArray(data?.ticks)) throw new Error('no "code" and "ticks" lists');
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let last = data.ticks.length ? data.ticks[0].tm : 0;
  for (const [t, tick] of data.ticks.entries()) {
    if (!Number.isFinite(tick?.tm) || !Array.isArray(tick.s)) throw new Error(`tick ${t} has no time ("tm") or stack ("s")`);
    let id = 1;
    let topTier: string | undefined;
    // `s` is [codeIndex, pcOffset] pairs, innermost first; -1 is an address outside known code.
    // Any other index must name a code entry: one that does not makes every number of the tick wrong.
    for (let i = tick.s.length - 2; i >= 0; i -= 2) {
      const at = tick.s[i];
      if (at !== -1 && !(Number.isInteger(at) && at >= 0 && at < data.code.length)) {
        throw new Error(`tick ${t} refers to code entry ${JSON.stringify(at)}, but the log has ${data.code.length} code entries (0 to ${data.code.length - 1}, or -1)`);
      }
      const code = at >= 0 ? data.code[at] : undefined;
      const frame = code && frameOf(code);
      if (!frame) continue;
      id = child(id, frame);
      topTier = code.kind ? TIERS[code.kind] ?? code.kind : undefined;
    }
    const special = tick.vm === VM_GC ? '(garbage collector)' : tick.vm === VM_IDLE ? '(idle)' : id === 1 ? '(program)' : undefined;
    if (special) id = child(special === '(garbage collector)' ? id : 1, { functionName: special, url: '', lineNumber: -1, columnNumber: -1 });
    else if (topTier) (tiers[id] ??= {})[topTier] = (tiers[id]?.[topTier] ?? 0) + 1;
    nodes[id - 1].hitCount++;
    samples.push(id);
    timeDeltas.push(Math.max(0, tick.tm - last));
    last = tick.tm;
  }
  const startTime = data.ticks.length ? data.ticks[0].tm : 0;
  return { nodes, startTime, endTime: last, samples, timeDeltas, $hotpath: { engine: '0x', tiers } };
}

/** Finds 0x's output in `dir`, writes `<pid>-0.cpuprofile` into `outDir`; returns its path and pid. */
export function convert0xOutput(dir: string, outDir: string): { file: string; pid: number } {
  const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const json = names.find((n) => /^isolate-.*-v8\.log\.json$/.test(n));
  if (!json) throw new Error(`0x wrote no tick data in ${dir} (did the target start?)`);
  const pid = Number(/^isolate-[^-]+-(\d+)-/.exec(json)?.[1]);
  const data = JSON.parse(fs.readFileSync(path.join(dir, json), 'utf8')) as Preprocessed;
  const file = path.join(outDir, `${pid}-0.cpuprofile`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(preprocessedToCpuProfile(data)));
  fs.renameSync(`${file}.tmp`, file);
  return { file, pid };
}

/**
 * Samples per optimization tier for each function of a converted 0x profile, keyed by
 * `tierKey(name, absolute file, 1-based line)`. Empty for profiles without tier data.
 */
export function tiersByFunction(cpuProfileFile: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const profile = JSON.parse(fs.readFileSync(cpuProfileFile, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    $hotpath?: { tiers?: Record<string, Record<string, number>> };
  };
  const tiers = profile.$hotpath?.tiers ?? {};
  for (const n of profile.nodes) {
    const t = tiers[n.id];
    if (!t) continue;
    const file = n.callFrame.url.startsWith('file:') ? fileURLToPath(n.callFrame.url) : n.callFrame.url;
    const key = tierKey(n.callFrame.functionName, file, n.callFrame.lineNumber + 1);
    const acc = out.get(key) ?? {};
    for (const [tier, count] of Object.entries(t)) acc[tier] = (acc[tier] ?? 0) + count;
    out.set(key, acc);
  }
  return out;
}

export function tierKey(name: string, file: string, line: number): string {
  return `${name}\0${file}\0${line}`;
}
