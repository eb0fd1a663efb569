// Messages between the extension and the leak hunt panel ("Find Memory Leaks…"). Pure data: no
// `vscode`, no DOM. The view is the CLI's `leaks --json` report (src/core/leaks/types.ts), checked
// by the guards below before the page or the host uses it.
import type { LeaksReport } from '../core/leaks/types';
import { isLiveUpdate, type LiveUpdate } from './live';

export type LeaksReportView = LeaksReport;

export interface LeaksView {
  title: string;
  report: LeaksReportView;
}

/** What the page keeps across reloads: the leaks.json the panel shows. */
export interface LeaksPageState {
  file: string;
}

export type ToLeaksMessage =
  | { type: 'show'; view: LeaksView; state?: LeaksPageState }
  /** While the hunt runs: the page shows the live charts (heap, CPU, event-loop delay per process). */
  | { type: 'running'; title: string; command: string }
  /** What the processes wrote since the last update (about once a second), appended to the live charts. */
  | { type: 'live'; update: LiveUpdate }
  | { type: 'error'; message: string };

export type FromLeaksMessage =
  | { type: 'ready' }
  | { type: 'open'; path: string; line: number }
  /** After drawing: what was drawn (tests and automation read it through the host). */
  | { type: 'drawn'; processes: number; points: number; suspects: number; chains: number }
  /** After each live update is drawn while the hunt runs: the totals on the live charts. */
  | { type: 'liveDrawn'; processes: number; measured: number; points: number }
  | { type: 'error'; message: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const VERDICTS = ['growing', 'flat', 'not enough data'];

function isFit(x: unknown): boolean {
  // NaN bounds travel as null through JSON.
  const n = (v: unknown) => isNum(v) || v === null;
  return x === null || (isObj(x) && n(x.slope) && n(x.lo) && n(x.hi) && isNum(x.n));
}

function isPoint(x: unknown): boolean {
  return isObj(x) && isNum(x.x) && isNum(x.bytes);
}

function isSuspect(x: unknown): boolean {
  return isObj(x) && isStr(x.name) && isStr(x.file) && isNum(x.line) && (x.path === null || isStr(x.path)) && isNum(x.slope) && isNum(x.lo) && isNum(x.hi);
}

function isStep(x: unknown): boolean {
  return isObj(x) && isStr(x.edge) && isStr(x.edgeType) && isStr(x.type) && isStr(x.name)
    && (x.location === null || (isObj(x.location) && isStr(x.location.file) && isNum(x.location.line) && (x.location.path === null || isStr(x.location.path))));
}

function isType(x: unknown): boolean {
  return isObj(x) && isStr(x.type) && isStr(x.name) && isNum(x.countBefore) && isNum(x.countAfter) && isNum(x.bytesBefore) && isNum(x.bytesAfter)
    && isNum(x.newCount) && Array.isArray(x.retainers) && x.retainers.every(isStep);
}

function isProcess(x: unknown): boolean {
  return isObj(x) && isNum(x.pid) && isNum(x.threadId) && isStr(x.commandLine) && (x.unit === 'iteration' || x.unit === 'second')
    && VERDICTS.includes(x.verdict as string) && isStr(x.reason) && Array.isArray(x.points) && x.points.every(isPoint)
    && isFit(x.growth) && Array.isArray(x.suspects) && x.suspects.every(isSuspect) && Array.isArray(x.types) && x.types.every(isType)
    && Array.isArray(x.notes) && x.notes.every(isStr) && (x.live === undefined || (Array.isArray(x.live) && x.live.every(isLive)));
}

function isLive(x: unknown): boolean {
  return isObj(x) && isNum(x.t) && isNum(x.heapUsed) && isNum(x.heapTotal) && (x.cpu === null || isNum(x.cpu)) && isNum(x.elu) && isNum(x.delayMeanMs) && isNum(x.delayMaxMs);
}

export function isLeaksView(x: unknown): x is LeaksView {
  if (!isObj(x) || !isStr(x.title) || !isObj(x.report)) return false;
  const r = x.report;
  return isStr(r.command) && VERDICTS.includes(r.verdict as string) && Array.isArray(r.processes) && r.processes.every(isProcess) && Array.isArray(r.notes) && r.notes.every(isStr);
}

export function isLeaksPageState(x: unknown): x is LeaksPageState {
  return isObj(x) && isStr(x.file);
}

export function parseToLeaks(x: unknown): ToLeaksMessage | undefined {
  if (!isObj(x)) return undefined;
  if (x.type === 'show' && isLeaksView(x.view) && (x.state === undefined || isLeaksPageState(x.state))) return x as ToLeaksMessage;
  if (x.type === 'running' && isStr(x.title) && isStr(x.command)) return x as ToLeaksMessage;
  if (x.type === 'live' && isLiveUpdate(x.update)) return x as ToLeaksMessage;
  if (x.type === 'error' && isStr(x.message)) return x as ToLeaksMessage;
  return undefined;
}

export function parseFromLeaks(x: unknown): FromLeaksMessage | undefined {
  if (!isObj(x)) return undefined;
  if (x.type === 'ready') return { type: 'ready' };
  if (x.type === 'open' && isStr(x.path) && isNum(x.line)) return { type: 'open', path: x.path, line: x.line };
  if (x.type === 'drawn' && isNum(x.processes) && isNum(x.points) && isNum(x.suspects) && isNum(x.chains)) {
    return { type: 'drawn', processes: x.processes, points: x.points, suspects: x.suspects, chains: x.chains };
  }
  if (x.type === 'liveDrawn' && isNum(x.processes) && isNum(x.measured) && isNum(x.points)) return { type: 'liveDrawn', processes: x.processes, measured: x.measured, points: x.points };
  if (x.type === 'error' && isStr(x.message)) return { type: 'error', message: x.message };
  return undefined;
}
