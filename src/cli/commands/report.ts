// `hotpath report`: writes one self-contained HTML file with the flame graphs (CPU, allocations,
// import time) and the summary of a run folder or of an existing profile file.
import * as fs from 'fs';
import * as path from 'path';
import { loadRun, openProfileFile, summarize, toFlameGraphs } from '../../core/profile';
import type { ProfileModel } from '../../core/profile/types';
import { profileFolderResult } from '../../core/runner/collect';
import { MAX_REPORT_DATA_CHARS, ReportTooLargeError, writeHtmlReport } from '../../core/report/html';
import type { FlameGraphData } from '../../protocol/flame';
import type { ProfileSummary } from '../../core/profile/types';
import { parseOrUsage } from '../usage';

export const HELP = `Usage: hotpath report --run DIR [--out FILE.html] [--title TEXT] [--json]
       hotpath report --from FILE [--out FILE.html] [--title TEXT] [--json]

Writes a self-contained HTML report (flame graphs and tables; opens in any browser, no server).
  --run DIR    a run folder: the --out folder of \`hotpath profile\`, or .hotpath/runs/<id>
  --from FILE  a .cpuprofile, .heapprofile, speedscope or 0x profile file
  --out FILE   where to write the report (default: <run folder>/report.html, or FILE.html)
  --title T    the report's title
  --json       print {report, graphs, topFunctions, notes} on stdout

Exit code: 0; 1 when the run folder or profile file cannot be read (no report is written);
2 for bad usage.`;

interface Args { run?: string; from?: string; out?: string; title?: string; json: boolean }

function parse(argv: string[]): Args {
  const a: Args = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--run') a.run = value();
    else if (flag === '--from') a.from = value();
    else if (flag === '--out') a.out = value();
    else if (flag === '--title') a.title = value();
    else if (flag === '--json') a.json = true;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!a.run === !a.from) throw new Error('give exactly one of --run DIR or --from FILE');
  return a;
}

async function loadRunFolder(dir: string, root: string): Promise<ProfileModel> {
  if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist (give the --out folder of \`hotpath profile\`, or .hotpath/runs/<id>)`);
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir} is a file, not a run folder; for one profile file use --from ${dir}`);
  const result = profileFolderResult(dir);
  if (!result) throw new Error(`${dir} holds no Hotpath profiles (expected <pid>-<thread>.meta.json files written by \`hotpath profile --out ${dir}\`)`);
  return loadRun(result, { root });
}

const mb = (chars: number) => `${(chars / 1e6).toFixed(chars >= 1e7 ? 0 : 2)} MB`;

/** The browser's limit; HOTPATH_REPORT_MAX_DATA_CHARS lowers it (tests reach the limit with small real profiles). */
function maxDataChars(): number {
  const v = Number(process.env.HOTPATH_REPORT_MAX_DATA_CHARS);
  return Number.isInteger(v) && v > 0 && v < MAX_REPORT_DATA_CHARS ? v : MAX_REPORT_DATA_CHARS;
}

function timelineNote(runs: number): string {
  return `The time-ordered view was left out: its timeline (${runs.toLocaleString('en-US')} runs of samples) would make the report's data more than a browser can read as one string (${mb(maxDataChars())}). The flame graphs and tables are complete; the VS Code panel (Hotpath: Open Profile…) has the time-ordered view.`;
}

/** Says in the CPU graph and the summary that the timeline was left out. */
function noteNoTimeline(graphs: FlameGraphData[], summary: ProfileSummary, runs: number): void {
  for (const g of graphs) {
    if (g.kind !== 'cpu') continue;
    delete g.timeline;
    g.notes = [...(g.notes ?? []), timelineNote(runs)];
  }
  summary.notes.push(timelineNote(runs));
}

/**
 * Writes the report, streamed (writeHtmlReport). A browser reads the embedded data as one string
 * (at most MAX_REPORT_DATA_CHARS): when a long recording's timeline (the time-ordered view, one
 * entry per run of samples) makes it larger, the report is written without it, and says so; when
 * the call trees alone are too large, nothing is written and the message says what to do.
 */
function writeReport(out: string, title: string, graphs: FlameGraphData[], summary: ProfileSummary, source: string): true | string {
  try {
    writeHtmlReport(out, { title, graphs, summary }, maxDataChars());
    return true;
  } catch (err) {
    if (!(err instanceof ReportTooLargeError)) throw err;
    const runs = graphs.reduce((n, g) => n + (g.timeline?.node.length ?? 0), 0);
    if (runs) {
      noteNoTimeline(graphs, summary, runs);
      return writeReport(out, title, graphs, summary, source);
    }
    const nodes = graphs.reduce((n, g) => n + g.nodes.frame.length, 0);
    return `${source} is too large for a self-contained HTML report: its call trees alone (${nodes.toLocaleString('en-US')} nodes) passed ${mb(err.dataChars)} of data, more than a browser can read (${mb(maxDataChars())}). Nothing was written. Open it in VS Code (Hotpath: Open Profile…), summarize it with \`hotpath profile --from ${source}\`, or record a shorter run or with a larger sampling interval (\`hotpath profile --interval 10000\`).`;
  }
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrUsage('report', HELP, argv, parse);
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  const root = process.cwd();
  const source = path.resolve((args.run ?? args.from)!);
  if (args.from && fs.existsSync(source) && fs.statSync(source).isDirectory()) {
    console.error(`hotpath report: ${source} is a folder; --from takes one profile file. For a run folder use --run ${args.from}`);
    return 1;
  }
  // Checked before the profiles are read: a folder given as --out is not overwritten by accident.
  if (args.out && fs.existsSync(args.out) && fs.statSync(args.out).isDirectory()) {
    console.error(`hotpath report: --out ${args.out} is a folder; give the report's file name, e.g. --out ${path.join(args.out, 'report.html')}`);
    return 2;
  }
  let model: ProfileModel;
  try {
    model = args.run ? await loadRunFolder(source, root) : await openProfileFile(source, { root });
  } catch (err) {
    console.error(`hotpath report: ${(err as Error).message}`);
    return 1;
  }
  const summary = summarize(model, { top: 20 });
  // A timeline that cannot fit alone is left out before it is converted (two JS arrays of its
  // length: about 1 GB for 60 million runs).
  const graphs = toFlameGraphs(model, { maxTimelineChars: maxDataChars() });
  const runs = model.cpu?.timeline.node.length ?? 0;
  if (runs && !graphs.some((g) => g.timeline)) noteNoTimeline(graphs, summary, runs);
  const out = path.resolve(args.out ?? (args.run ? path.join(source, 'report.html') : `${source}.html`));
  const title = args.title ?? `Hotpath: ${path.basename(source)}`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const written = writeReport(out, title, graphs, summary, source);
  if (typeof written === 'string') {
    console.error(`hotpath report: ${written}`);
    return 1;
  }
  // Relative to the working folder when inside it; absolute otherwise (as `profile` prints paths).
  const r = path.relative(root, out);
  const rel = !r || r.startsWith('..') || path.isAbsolute(r) ? out : r;
  if (args.json) {
    console.log(JSON.stringify({ report: rel, graphs: graphs.map((g) => g.kind), topFunctions: summary.topFunctions, notes: summary.notes }));
  } else {
    console.log(`Wrote ${rel} (${graphs.map((g) => g.title).join(', ') || 'no graphs'}).`);
    for (const n of summary.notes) console.log(`note: ${n}`);
  }
  return 0;
}
