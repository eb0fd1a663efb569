// Where leak hunts are kept: `.hotpath/leaks/<id>/` with the raw measurements, the two heap
// snapshots and `leaks.json` (the report, as `hotpath leaks --json` prints it).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunDir } from '../history';
import type { LeaksReport } from './types';

export const LEAKS_REPORT_FILE = 'leaks.json';

export function leaksStore(cwd: string): string {
  return path.join(cwd, '.hotpath', 'leaks');
}

/** A new folder in the store, or a temporary one (store undefined: nothing is kept). */
export function newLeaksDir(store: string | undefined): string {
  return store ? createRunDir(store).dir : fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-leaks-'));
}

export function saveLeaksReport(dir: string, report: LeaksReport): string {
  const file = path.join(dir, LEAKS_REPORT_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(report, null, 1));
  fs.renameSync(tmp, file);
  return file;
}

export function loadLeaksReport(fileOrDir: string): LeaksReport {
  const file = fs.existsSync(fileOrDir) && fs.statSync(fileOrDir).isDirectory() ? path.join(fileOrDir, LEAKS_REPORT_FILE) : fileOrDir;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as LeaksReport;
  if (!report || !Array.isArray(report.processes) || typeof report.verdict !== 'string') throw new Error(`${file} is not a leak hunt report`);
  return report;
}
