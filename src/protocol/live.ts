// Messages of the live chart (heap used, CPU, event-loop delay of each process, about once a
// second): the live panel of "Profile…" (src/extension/live/) and the leak hunt panel while a hunt
// runs. Pure data: no `vscode`, no DOM. The host sends what is new since its last update; the page
// appends it. Every incoming message is checked by the guards below before use.
import type { LivePoint, LiveProcessView, LiveUpdate } from '../core/runner/liveSample';

export type { LivePoint, LiveProcessView, LiveUpdate };

/** What the live page keeps across reloads: the run folder whose series it shows. */
export interface LivePageState {
  dir: string;
  title: string;
}

export type ToLiveMessage =
  /** Clears the page: a new run (running) or a stored run's series (not running). */
  | { type: 'start'; title: string; subtitle: string; running: boolean; state?: LivePageState }
  | { type: 'update'; update: LiveUpdate }
  /** The run ended: the page stops saying "running" and shows where the series is kept. */
  | { type: 'ended'; note: string }
  | { type: 'error'; message: string };

export type FromLiveMessage =
  | { type: 'ready' }
  /** After each update is drawn: the totals now on the charts (tests and automation read them through the host). */
  | { type: 'drawn'; processes: number; measured: number; points: number }
  | { type: 'error'; message: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

export function isLiveProcess(x: unknown): x is LiveProcessView {
  return isObj(x) && isStr(x.key) && isNum(x.pid) && isNum(x.threadId) && isStr(x.label) && typeof x.measured === 'boolean';
}

export function isLivePoint(x: unknown): x is LivePoint {
  return isObj(x) && isNum(x.x) && isNum(x.heapUsed) && isNum(x.heapTotal) && (x.cpu === null || isNum(x.cpu))
    && isNum(x.elu) && (x.delayMeanMs === null || isNum(x.delayMeanMs)) && (x.delayMaxMs === null || isNum(x.delayMaxMs));
}

export function isLiveUpdate(x: unknown): x is LiveUpdate {
  return isObj(x) && Array.isArray(x.processes) && x.processes.every(isLiveProcess)
    && Array.isArray(x.points) && x.points.every((p) => isObj(p) && isStr(p.key) && Array.isArray(p.points) && p.points.every(isLivePoint));
}

export function isLivePageState(x: unknown): x is LivePageState {
  return isObj(x) && isStr(x.dir) && isStr(x.title);
}

export function parseToLive(x: unknown): ToLiveMessage | undefined {
  if (!isObj(x)) return undefined;
  if (x.type === 'start' && isStr(x.title) && isStr(x.subtitle) && typeof x.running === 'boolean' && (x.state === undefined || isLivePageState(x.state))) return x as ToLiveMessage;
  if (x.type === 'update' && isLiveUpdate(x.update)) return x as ToLiveMessage;
  if ((x.type === 'ended' && isStr(x.note)) || (x.type === 'error' && isStr(x.message))) return x as ToLiveMessage;
  return undefined;
}

export function parseFromLive(x: unknown): FromLiveMessage | undefined {
  if (!isObj(x)) return undefined;
  if (x.type === 'ready') return { type: 'ready' };
  if (x.type === 'drawn' && isNum(x.processes) && isNum(x.measured) && isNum(x.points)) return { type: 'drawn', processes: x.processes, measured: x.measured, points: x.points };
  if (x.type === 'error' && isStr(x.message)) return { type: 'error', message: x.message };
  return undefined;
}
