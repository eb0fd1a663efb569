// Entry points that turn files into a ProfileModel: one run of the runner (every process and
// thread merged), or one existing profile file of any supported format.
import * as fs from 'fs';
import * as path from 'path';
import { ModelBuilder } from './builder';
import { addCpuProfile } from './cpuModel';
import { cpuProfileFromJson, PARSED_MAX_BYTES } from './cpuParsed';
import { parseTopLevel, parseTopLevelStream, type RawCpuProfile } from './cpuParser';
import { ProfileError } from './errors';
import { addHeapProfile, isHeapNode } from './heapModel';
import { addImports } from './importsModel';
import { startSamplesJob, type SamplesSchedule } from './parallelSamples';
import { parseJson, readProfileBytes, withProfileSource } from './readFile';
import { ScriptLocations } from './scriptLocations';
import { addSpeedscope, isSpeedscope } from './speedscope';
import { cpuProfilesFromTrace, traceEventsOf } from './traceEvents';
import { preprocessedToCpuProfile } from '../runner/engine0x';
import type { ImportsFile, RunResult } from '../runner/types';
import type { ModelProcess, ProfileModel } from './types';
import { isLauncher, LAUNCHER_NOTE_PREFIX, launcherName } from '../runner/launchers';

/** How the note on left-out launcher processes starts (the diff groups these notes). */
export { LAUNCHER_NOTE_PREFIX };

export interface OpenOptions {
  /** Workspace folder: frames inside it are "your code" and shown relative to it. */
  root: string;
  /**
   * CPU profiles of at least this many bytes are read on two threads (a worker reads the samples
   * while this thread reads the nodes); default 32 MB. Infinity: always one thread.
   */
  parallelMinBytes?: number;
  /**
   * On two threads, when the nodes are read before the worker has replied: 'measured' (default)
   * waits while the worker is ahead of what this thread could do alone, at the paces measured so
   * far, else reads the samples itself; 'race' reads them too and takes whichever finishes first;
   * 'wait' always waits (see SamplesJob.schedule).
   */
  parallelSchedule?: SamplesSchedule;
  /**
   * 'exclude': leave out the processes of package-manager launchers (npm, npx, yarn, pnpm,
   * corepack; runner/launchers.ts), with a note naming them. Default: include everything.
   */
  launchers?: 'include' | 'exclude';
}

type Expect = 'cpu' | 'heap' | 'any';

const FORMATS_HELP = 'Hotpath opens .cpuprofile (nodes, samples, timeDeltas), .heapprofile (head, samples), speedscope JSON, Chrome trace-event JSON with CPU samples, and 0x tick logs (isolate-*.log.json).';

/** Reads the top level of a profile file, streamed (a CPU profile is read once, piece by piece). */
function readTopLevel(file: string, opts: OpenOptions) {
  return withProfileSource(file, (source) => parseTopLevelStream(source, file, undefined, startSamplesJob(file, source.size, opts.parallelMinBytes, opts.parallelSchedule ?? 'measured')));
}

async function readCpu(file: string, opts: OpenOptions): Promise<RawCpuProfile> {
  const parsed = readSmallCpu(file);
  if (parsed) return parsed;
  const top = readTopLevel(file, opts);
  if (top.format !== 'cpuprofile') throw wrongFormat(file, top.keys, 'cpu', top.isArray);
  return top.profile;
}

/** A run's small CPU profile as V8 writes it, through JSON.parse (see cpuParsed.ts); else undefined. */
function readSmallCpu(file: string): RawCpuProfile | undefined {
  try {
    if (fs.statSync(file).size > PARSED_MAX_BYTES) return undefined;
    return cpuProfileFromJson(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return undefined; // the byte scanner reads it again and names what is wrong
  }
}

/** Trace events are objects with a phase ("ph"); an array of anything else is no trace. */
const isTraceEventArray = (data: unknown): boolean => Array.isArray(data) && data.length > 0 && data.some((e) => typeof e === 'object' && e !== null && 'ph' in e);

/** A file starting with "[" that is no trace-event array: say what it is, and what Hotpath reads. */
function notAProfileArray(file: string, data?: unknown): ProfileError {
  let parsed = data;
  let firstLine = '';
  if (parsed === undefined) {
    try {
      const buf = readProfileBytes(file);
      firstLine = buf.subarray(0, 200).toString('utf8').split('\n')[0].slice(0, 60);
      parsed = JSON.parse(buf.toString('utf8'));
    } catch { /* not JSON */ }
  }
  if (isTraceEventArray(parsed)) {
    return new ProfileError(`${file} is a Chrome trace-event array without CPU samples (no ProfileChunk events). Record it with the "v8.cpu_profiler" category / "Screenshots and JS samples" enabled.`, file);
  }
  const what = !Array.isArray(parsed) ? `text starting with "[" that is not JSON${firstLine ? ` (first line: ${JSON.stringify(firstLine)})` : ''}`
    : parsed.length === 0 ? 'an empty JSON array' : `a JSON array of ${[...new Set(parsed.map((e) => (e === null ? 'null' : Array.isArray(e) ? 'arrays' : typeof e === 'object' ? 'objects without "ph"' : `${typeof e}s`)))].slice(0, 3).join(', ')}`;
  return new ProfileError(`${file} is not a profile Hotpath can read: it is ${what}. ${FORMATS_HELP}`, file);
}

function wrongFormat(file: string, keys: string[], expected: Expect, isArray = false): ProfileError {
  if (isArray) return notAProfileArray(file);
  if (expected !== 'heap' && keys.includes('nodes')) {
    const what = !keys.includes('samples') ? 'it has no "samples" list' : 'its "nodes" list is empty';
    return new ProfileError(`${file} has the shape of a CPU profile but ${what}: there is nothing to show. Re-record it (a profile stopped before its first sample is empty).`, file);
  }
  if (keys.includes('head')) {
    return new ProfileError(`${file} is a heap profile (it has "head", not "nodes"/"samples"), not a CPU profile. Open it as a heap profile (rename it to .heapprofile).`, file);
  }
  if (expected === 'heap' && keys.includes('nodes')) {
    return new ProfileError(`${file} is a CPU profile, not a heap profile. Open it as a CPU profile (rename it to .cpuprofile).`, file);
  }
  const shown = keys.slice(0, 6).map((k) => `"${k}"`).join(', ');
  return new ProfileError(`${file} is not a profile: it is JSON with ${keys.length ? `keys ${shown}` : 'no keys'}. ${FORMATS_HELP}`, file);
}

/** Merges every process and thread of one run into one model. */
export async function loadRun(result: RunResult, opts: OpenOptions): Promise<ProfileModel> {
  const b = new ModelBuilder(opts.root);
  for (const n of result.notes ?? []) b.note(n);
  let loaded = 0;
  let failed = 0;
  const launcherPids = new Set(opts.launchers === 'exclude' ? result.processes.filter((p) => p.threadId === 0 && isLauncher(p.argv)).map((p) => p.pid) : []);
  const left = result.processes.filter((p) => launcherPids.has(p.pid));
  if (left.length && left.length < result.processes.length) {
    const names = [...new Set(left.filter((p) => p.threadId === 0).map((p) => `${launcherName(p.argv)} (pid ${p.pid})`))];
    b.note(`${LAUNCHER_NOTE_PREFIX} ${names.join(', ')}: their own code is not the program's (include them with --include-launchers, or the diff panel's "Include launchers").`);
  }
  for (const rec of result.processes) {
    // Only when something else is left: a run of npm itself is npm's profile.
    if (launcherPids.has(rec.pid) && left.length < result.processes.length) continue;
    // Kept launchers are marked: the flame panel folds them by default.
    const launcher = rec.threadId === 0 && isLauncher(rec.argv) ? launcherName(rec.argv) : undefined;
    const proc = b.addProcess({ pid: rec.pid, threadId: rec.threadId, commandLine: rec.commandLine, wallMs: rec.wallMs, ending: rec.ending, ...(rec.threadTime ? { threadTime: rec.threadTime } : {}), ...(launcher ? { launcher } : {}) });
    const attempt = async (kind: string, file: string | undefined, add: (file: string) => Promise<void>) => {
      if (!file) return;
      try {
        await add(file);
        loaded++;
      } catch (err) {
        if (!(err instanceof ProfileError)) throw err;
        failed++;
        b.note(`The ${kind} of ${proc.label} could not be read and is left out: ${err.message}`, proc);
      }
    };
    // The CPU profile's frames (same isolate, same script ids) place heap frames whose script was collected.
    let scripts: ScriptLocations | undefined;
    await attempt('CPU profile', rec.cpuProfile, async (f) => {
      const raw = await readCpu(f, opts);
      addCpuProfile(b, raw, proc);
      scripts = new ScriptLocations(raw.frames);
    });
    await attempt('heap profile', rec.heapProfile, async (f) => addHeap(b, f, readProfileBytes(f), proc, scripts));
    await attempt('module timing file', rec.importsFile, async (f) => addImportsFile(b, f, parseJson(readProfileBytes(f), f, 'module timing'), proc));
  }
  if (loaded === 0) {
    const why = failed > 0 ? b.notes.join(' ') : 'no process wrote a profile (did the command start Node.js?).';
    throw new ProfileError(`The run left no readable profile in ${result.outDir}: ${why}`);
  }
  return b.build();
}

function addHeap(b: ModelBuilder, file: string, buf: Buffer, proc: ModelProcess, scripts?: ScriptLocations): void {
  const data = parseJson(buf, file, 'heap profile') as { head?: unknown; nodes?: unknown; samples?: unknown };
  if (!isHeapNode(data?.head)) throw wrongFormat(file, Object.keys(data ?? {}), 'heap');
  addHeapProfile(b, data.head, proc, data.samples, scripts);
}

function addImportsFile(b: ModelBuilder, file: string, data: unknown, proc: ModelProcess): void {
  const f = data as ImportsFile;
  if (!f || !Array.isArray(f.modules)) throw new ProfileError(`${file} is not a module timing file (no "modules" list).`, file);
  addImports(b, f, proc);
}

/** Ids from the runner's `<pid>-<threadId>.*` names and from Node's `CPU.<date>.<time>.<pid>.<tid>.<seq>`. */
function idsFromName(file: string): { pid: number; threadId: number } {
  const base = path.basename(file);
  const m = /^(\d+)-(\d+)\./.exec(base) ?? /^(?:CPU|Heap)\.\d+\.\d+\.(\d+)\.(\d+)\./.exec(base);
  return m ? { pid: Number(m[1]), threadId: Number(m[2]) } : { pid: 0, threadId: 0 };
}

/** Opens one existing profile file; the format is recognised from its content. */
export async function openProfileFile(file: string, opts: OpenOptions): Promise<ProfileModel> {
  const expected: Expect = file.endsWith('.cpuprofile') ? 'cpu' : file.endsWith('.heapprofile') ? 'heap' : 'any';
  const b = new ModelBuilder(opts.root);
  const ids = idsFromName(file);
  const proc = () => b.addProcess({ ...ids, commandLine: path.basename(file), label: path.basename(file) });
  // Streamed: a CPU profile is read once, piece by piece; other formats are read again whole.
  const top = readTopLevel(file, opts);
  if (top.format === 'cpuprofile') {
    if (expected === 'heap') throw wrongFormat(file, ['nodes'], 'heap');
    addCpuProfile(b, top.profile, proc());
    return b.build();
  }
  const keys = top.keys;
  if (expected === 'cpu' || (expected === 'heap' && !keys.includes('head'))) throw wrongFormat(file, keys, expected, top.isArray);
  const buf = readProfileBytes(file);
  if (keys.includes('head')) {
    addHeap(b, file, buf, proc());
    return b.build();
  }
  if (keys.includes('code') && keys.includes('ticks')) return open0x(b, file, buf, proc());
  let data: unknown;
  try {
    data = parseJson(buf, file, 'profile');
  } catch (err) {
    if (top.isArray) throw notAProfileArray(file);
    throw err;
  }
  if (top.isArray && !isTraceEventArray(data)) throw notAProfileArray(file, data);
  if (isSpeedscope(data)) {
    addSpeedscope(b, file, data);
    return b.build();
  }
  const events = traceEventsOf(data);
  if (events) {
    const profiles = cpuProfilesFromTrace(events);
    if (profiles.length === 0) throw new ProfileError(`${file} is a trace-event file without CPU samples (no ProfileChunk events). Record it with the "v8.cpu_profiler" category / "Screenshots and JS samples" enabled.`, file);
    for (const p of profiles) addCpuProfile(b, p.raw, b.addProcess({ pid: p.pid, threadId: p.tid, commandLine: `${path.basename(file)} pid ${p.pid}` }));
    return b.build();
  }
  if (keys.includes('modules') && keys.includes('version')) {
    addImportsFile(b, file, data, proc());
    return b.build();
  }
  throw wrongFormat(file, keys, 'any');
}

function open0x(b: ModelBuilder, file: string, buf: Buffer, proc: ModelProcess): ProfileModel {
  const data = parseJson(buf, file, '0x tick log');
  let profile: object;
  try {
    profile = preprocessedToCpuProfile(data as Parameters<typeof preprocessedToCpuProfile>[0]);
  } catch (err) {
    throw new ProfileError(`${file} looks like a 0x tick log but could not be converted (${(err as Error).message}). Run 0x again.`, file);
  }
  const top = parseTopLevel(Buffer.from(JSON.stringify(profile)), file);
  if (top.format !== 'cpuprofile') throw new ProfileError(`${file}: the 0x tick log holds no samples.`, file);
  addCpuProfile(b, top.profile, proc);
  return b.build();
}
