// Root hooks (`mocha --require test/unit/timing.ts`, as scripts/test.js runs the unit tests):
// the wall and CPU time of every test and test file, so the slow ones are named after each run.
// CPU is this process's own plus that of the child processes it has reaped (a test's CLI runs,
// profiled targets, builds): /proc/self/stat cutime + cstime, Linux only (elsewhere null).
// A file's figures include its before/after hooks (time between its tests and the previous
// file's). Each mocha process (one per parallel job) appends JSON lines to
// $HOTPATH_TEST_TIMINGS/<pid>.jsonl; without that variable the hooks do nothing.
import * as fs from 'fs';
import * as path from 'path';

const dir = process.env.HOTPATH_TEST_TIMINGS;

function cpuMs(): number | null {
  const own = process.cpuUsage();
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (own.user + own.system) / 1000 + (Number(f[13]) + Number(f[14])) * 10; // cutime, cstime: 1/100 s
  } catch {
    return null;
  }
}

interface Mark { wall: number; cpu: number | null }
const now = (): Mark => ({ wall: performance.now(), cpu: cpuMs() });
let mark = now();
let testStart: Mark | undefined;
let currentFile: string | undefined;
const files = new Map<string, { wallMs: number; cpuMs: number | null; tests: number }>();

function charge(file: string | undefined, from: Mark, to: Mark): void {
  if (!file) return;
  const f = files.get(file) ?? { wallMs: 0, cpuMs: 0, tests: 0 };
  f.wallMs += to.wall - from.wall;
  f.cpuMs = f.cpuMs === null || from.cpu === null || to.cpu === null ? null : f.cpuMs + (to.cpu - from.cpu);
  files.set(file, f);
}

function write(record: object): void {
  if (dir) fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
}

const rel = (file: string | undefined) => (file ? path.relative(path.join(__dirname, '..', '..'), file) : '(unknown)');

export const mochaHooks = dir ? {
  beforeEach(this: Mocha.Context) {
    const t = now();
    // Time since the last test ended: this file's before-all hooks (and the previous file's after-all).
    charge(this.currentTest?.file, mark, t);
    currentFile = this.currentTest?.file;
    testStart = t;
    mark = t;
  },
  afterEach(this: Mocha.Context) {
    const t = now();
    const file = this.currentTest?.file;
    charge(file, mark, t);
    files.get(file ?? '')!.tests++;
    if (testStart) {
      write({ kind: 'test', file: rel(file), title: this.currentTest?.fullTitle(), state: this.currentTest?.state ?? null,
        retry: (this.currentTest as unknown as { currentRetry?: () => number })?.currentRetry?.() ?? 0,
        wallMs: Math.round(t.wall - testStart.wall), cpuMs: t.cpu === null || testStart.cpu === null ? null : Math.round(t.cpu - testStart.cpu) });
    }
    mark = t;
  },
  afterAll() {
    // Root after-all: once per file in parallel mode, once at the end in serial mode.
    const t = now();
    charge(currentFile, mark, t);
    mark = t;
    for (const [file, f] of files) write({ kind: 'file', file: rel(file), wallMs: Math.round(f.wallMs), cpuMs: f.cpuMs === null ? null : Math.round(f.cpuMs), tests: f.tests });
    files.clear();
  },
} : {};
