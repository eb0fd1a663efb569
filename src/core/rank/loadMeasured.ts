// Loads measured data for the ranking from a stored run (the history store), a runner output
// folder, or single profile files. CPU and heap profiles go through the profile engine (source
// maps, every format it opens); imports files are read directly because the ranking needs their
// parent links (who imported which package). Unreadable pieces become notes, never a failure.
import * as fs from 'fs';
import * as path from 'path';
import { loadRunRecord } from '../history/store';
import { openProfileFile, summarize } from '../profile';
import type { ImportsFile } from '../runner/types';
import { measuredFromImports, measuredFromProfileSummary, mergeMeasured } from './fromProfile';
import { MeasuredData } from './types';

export interface LoadedMeasured {
  measured?: MeasuredData;
  notes: string[];
}

const ALL = Number.MAX_SAFE_INTEGER;

function isImportsFile(file: string): boolean {
  return file.endsWith('.imports.json');
}

function readImports(file: string): MeasuredData {
  const label = path.basename(file);
  let data: ImportsFile;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${label} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (!data || !Array.isArray(data.modules)) throw new Error(`${label}: not an imports file (expected modules)`);
  return measuredFromImports([data], label);
}

async function readProfile(file: string, root: string): Promise<MeasuredData> {
  const summary = summarize(await openProfileFile(file, { root }), { top: ALL });
  const m = measuredFromProfileSummary(summary, path.basename(file));
  return m;
}

const PROFILE_FILE = /\.(cpuprofile|heapprofile)$|\.imports\.json$/;

/** Reads profile files (or runner output folders of them) into one MeasuredData labelled `label`. */
export async function loadMeasuredFiles(inputs: string[], label: string, root: string): Promise<LoadedMeasured> {
  const notes: string[] = [];
  const files: string[] = [];
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch {
      notes.push(`${input} does not exist`);
      continue;
    }
    if (st.isDirectory()) files.push(...fs.readdirSync(input).filter((f) => PROFILE_FILE.test(f)).sort().map((f) => path.join(input, f)));
    else files.push(input);
  }
  const imports: MeasuredData[] = [];
  const profiles: MeasuredData[] = [];
  for (const file of files) {
    try {
      if (isImportsFile(file)) imports.push(readImports(file));
      else profiles.push(await readProfile(file, root));
    } catch (err) {
      notes.push(`${path.basename(file)}: ${(err as Error).message}`);
    }
  }
  // Import files carry parent links; module times from a CPU profile are then redundant.
  if (imports.length) for (const p of profiles) delete p.imports;
  const parts = [...profiles, ...imports];
  if (parts.length === 0) {
    notes.push('no measured data could be read: the ranking uses static estimates only');
    return { notes };
  }
  return { measured: mergeMeasured(label, ...parts), notes };
}

/** Measured data of one stored run (`hotpath profile` saves them in .hotpath/runs). */
export async function loadMeasuredRun(storeDir: string, id: string, root: string): Promise<LoadedMeasured> {
  const { record, error } = loadRunRecord(storeDir, id);
  if (!record) return { notes: [error ?? `run ${id} not found`] };
  const files = record.processes.flatMap((p) => [p.cpuProfile, p.heapProfile, p.importsFile].filter((f): f is string => !!f));
  const when = record.startedAt.replace('T', ' ').slice(0, 16);
  return loadMeasuredFiles(files, `run ${id} (${when})`, root);
}
