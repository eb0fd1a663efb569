// Reads a V8 .cpuprofile straight from its bytes into typed arrays (see byteScanner.ts for why).
// Other formats are recognised by their top-level keys and handed back for a regular parse.
import { ByteScanner, tag, type ByteSource } from './byteScanner';
import { ProfileError } from './errors';
import { FloatList, IntList } from './growable';
import type { SamplesJob } from './parallelSamples';
import type { SampleRuns } from './sampleRuns';

export interface RawFrame {
  functionName: string;
  url: string;
  /** 0-based, as in the file; -1 when absent. */
  lineNumber: number;
  columnNumber: number;
  /**
   * V8's script id (a string of digits in the file), -1 when absent or not one. The heap profile
   * of the same process names scripts by the same ids (see scriptLocations.ts).
   */
  scriptId: number;
}

/** One process's CPU profile, as recorded (ids resolved to indexes, nothing mapped yet). */
export interface RawCpuProfile {
  frames: RawFrame[];
  /** Per node index: its raw frame, its parent node index (-1 for the root). */
  nodeFrame: Int32Array;
  nodeParent: Int32Array;
  /**
   * Per sample: node index, and the µs since the previous sample (negative clamped to 0). Both
   * empty when `runs` holds the samples instead.
   */
  samples: Int32Array;
  timeDeltas: Int32Array;
  /** The samples as a worker thread reduced them (the parallel path), by node id; `index` maps an id to its node index. */
  runs?: SampleRuns & { index: Int32Array };
  /** positionTicks flattened: node index, 1-based line, tick count. */
  tickNode: Int32Array;
  tickLine: Int32Array;
  tickCount: Int32Array;
  startTime: number;
  endTime: number;
  /** Negative time deltas read as 0 (samples out of order): the model says so in a note. */
  negativeDeltas?: number;
}

export type TopLevel =
  | { format: 'cpuprofile'; profile: RawCpuProfile }
  | { format: 'other'; keys: string[]; isArray: boolean };

const K = {
  id: tag('id'), callFrame: tag('callFrame'), children: tag('children'), parent: tag('parent'), positionTicks: tag('positionTicks'),
  functionName: tag('functionName'), url: tag('url'), lineNumber: tag('lineNumber'), columnNumber: tag('columnNumber'),
  line: tag('line'), ticks: tag('ticks'), scriptId: tag('scriptId'),
};

class Collector {
  frames: RawFrame[] = [];
  // Parallel per-node lists while reading; ids are resolved to indexes at the end.
  ids = new IntList(4096);
  frameOf = new IntList(4096);
  parentId = new IntList(4096);
  childParent = new IntList(4096);
  childId = new IntList(4096);
  tickNode = new IntList(256);
  tickLine = new IntList(256);
  tickCount = new IntList(256);
  samples = new IntList(1 << 16);
  deltas = new IntList(1 << 16);
  startTime = 0;
  endTime = 0;
  sawNodes = false;
  emptyId = -1;
  sawSamples = false;
  /** True when `samples` already holds node indexes (see readSamplesOrOther). */
  samplesResolved = false;
  /** The worker's samples (parallel path), instead of `samples` and `deltas`. */
  runs: SampleRuns | undefined;

  /**
   * Room for the per-node lists of an input of `bytes`, at once (growing them by doubling copied
   * them about twice over on a big profile). A node V8 writes takes over 100 bytes of JSON; in a
   * tree each node but the root is one child id, and V8 writes a position tick for a few lines of
   * a node at most. Beyond this room the lists still grow; room never written to is never given
   * memory by the system.
   */
  reserve(bytes: number): void {
    const nodes = Math.ceil(bytes / 100);
    for (const list of [this.ids, this.frameOf, this.parentId, this.childParent, this.childId, this.tickNode, this.tickLine, this.tickCount]) list.reserve(nodes);
  }

  // (name id, url id, line, column, script id) -> frame, in an open-addressing table of plain integers:
  // strings are interned by the scanner, so a node costs no string building, no hashing of
  // strings and no Map lookup with (non-small-integer) number keys.
  private slots = new Int32Array(1 << 12).fill(-1);
  private readonly keyName = new IntList(1024);
  private readonly keyUrl = new IntList(1024);
  // Float lists: a (malformed) fractional or huge line must still compare exactly.
  private readonly keyLine = new FloatList(1024);
  private readonly keyColumn = new FloatList(1024);
  private readonly keyScript = new IntList(1024);

  frame(s: ByteScanner, nameId: number, urlId: number, lineNumber: number, columnNumber: number, scriptId: number): number {
    let mask = this.slots.length - 1;
    let h = (Math.imul(nameId, 0x9e3779b1) ^ Math.imul(urlId, 0x85ebca77) ^ Math.imul(lineNumber, 0xc2b2ae3d) ^ Math.imul(columnNumber, 0x27d4eb2f) ^ Math.imul(scriptId, 0x165667b1)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    const names = this.keyName.data, urls = this.keyUrl.data, lines = this.keyLine.data, columns = this.keyColumn.data, scripts = this.keyScript.data;
    for (let i = this.slots[h]; i >= 0; i = this.slots[h]) {
      if (names[i] === nameId && urls[i] === urlId && lines[i] === lineNumber && columns[i] === columnNumber && scripts[i] === scriptId) return i;
      h = (h + 1) & mask;
    }
    const i = this.frames.length;
    this.frames.push({ functionName: s.strings[nameId], url: s.strings[urlId], lineNumber, columnNumber, scriptId });
    this.keyName.push(nameId); this.keyUrl.push(urlId); this.keyLine.push(lineNumber); this.keyColumn.push(columnNumber); this.keyScript.push(scriptId);
    this.slots[h] = i;
    // Kept at most half full; growing re-inserts every frame.
    if (this.frames.length * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2).fill(-1);
      mask = this.slots.length - 1;
      for (let j = 0; j <= i; j++) {
        let g = (Math.imul(this.keyName.data[j], 0x9e3779b1) ^ Math.imul(this.keyUrl.data[j], 0x85ebca77) ^ Math.imul(this.keyLine.data[j], 0xc2b2ae3d) ^ Math.imul(this.keyColumn.data[j], 0x27d4eb2f) ^ Math.imul(this.keyScript.data[j], 0x165667b1)) >>> 0;
        g = (g ^ (g >>> 15)) & mask;
        while (this.slots[g] >= 0) g = (g + 1) & mask;
        this.slots[g] = j;
      }
    }
    return i;
  }
}

function readCallFrame(s: ByteScanner, c: Collector, empty: number): number {
  let name = empty, url = empty, lineNumber = -1, columnNumber = -1, scriptId = -1;
  if (s.openObject()) {
    do {
      const k = s.keyTag();
      if (k === K.functionName) name = s.internId();
      else if (k === K.url) url = s.internId(1);
      else if (k === K.lineNumber) lineNumber = s.number();
      else if (k === K.columnNumber) columnNumber = s.number();
      else if (k === K.scriptId) scriptId = readScriptId(s);
      else s.skip();
    } while (s.moreInObject());
  }
  return c.frame(s, name, url, lineNumber, columnNumber, scriptId);
}

/** A script id: V8 writes a string of digits; a plain integer is taken too; anything else is -1. */
function readScriptId(s: ByteScanner): number {
  const c = s.peek();
  if (c === 0x22) return scriptIdOf(s.string());
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    const v = s.number();
    return Number.isInteger(v) && v >= 0 && v <= 0x7fffffff ? v : -1;
  }
  s.skip();
  return -1;
}

/** The script id in V8's string form ("123"), or -1. */
export function scriptIdOf(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0x7fffffff ? v : -1;
  if (typeof v !== 'string' || !/^[0-9]{1,9}$/.test(v)) return -1;
  return Number(v);
}

function readNode(s: ByteScanner, c: Collector): void {
  const index = c.ids.length;
  let id = NaN, frame = -1, parent = -1;
  if (s.openObject()) {
    do {
      const k = s.keyTag();
      if (k === K.id) id = int32(s, 'the node id', s.number());
      else if (k === K.callFrame) frame = readCallFrame(s, c, c.emptyId);
      else if (k === K.parent) parent = int32(s, 'the parent node id', s.number());
      else if (k === K.children) {
        if (s.openArray()) {
          do { c.childParent.push(index); c.childId.push(int32(s, 'the child node id', s.number())); } while (s.moreInArray());
        }
      } else if (k === K.positionTicks) {
        if (s.openArray()) {
          do {
            let line = 0, ticks = 0;
            if (s.openObject()) {
              do {
                const t = s.keyTag();
                if (t === K.line) line = s.number();
                else if (t === K.ticks) ticks = s.number();
                else s.skip();
              } while (s.moreInObject());
            }
            c.tickNode.push(index); c.tickLine.push(line); c.tickCount.push(ticks);
          } while (s.moreInArray());
        }
      } else s.skip();
    } while (s.moreInObject());
  }
  if (Number.isNaN(id) || frame < 0) s.fail('a profile node without an id or callFrame');
  c.ids.push(id);
  c.frameOf.push(frame);
  c.parentId.push(parent);
}

/** How many nodes readNodeFast read, and how many were left to readNode (for tests: V8's output takes the fast path). */
export const nodeReads = { fast: 0, general: 0 };

/** Where intAt's number ended. */
let intEnd = 0;

/**
 * The plain JSON integer at `p` (an optional '-', 1 to 15 digits, then neither '.', 'e' nor 'E'),
 * with `intEnd` after it; NaN for anything else, or when the number may go on past the window.
 */
function intAt(b: Buffer, p: number): number {
  let neg = false;
  if (b[p] === 0x2d) { neg = true; p++; }
  const start = p;
  let v = 0;
  let c = b[p];
  while (c >= 0x30 && c <= 0x39) { v = v * 10 + (c - 0x30); c = b[++p]; }
  if (p === start || p - start > 15 || p >= b.length || c === 0x2e || c === 0x65 || c === 0x45) return NaN;
  intEnd = p;
  return neg ? -v : v;
}

/** Where keyAt's key ended (after its ':'). */
let keyEnd = 0;

/**
 * The tag of the plain key at `p` (`"key":`, no escapes; its length and first two bytes, as
 * ByteScanner.keyTag), with `keyEnd` after the ':'; -1 for anything else or the window's end.
 */
function keyAt(b: Buffer, p: number): number {
  if (b[p] !== 0x22) return -1;
  const n = b.length;
  const k0 = p + 1;
  let q = k0;
  while (q < n && b[q] !== 0x22 && b[q] !== 0x5c) q++;
  if (q + 1 >= n || b[q] !== 0x22 || b[q + 1] !== 0x3a) return -1;
  const len = q - k0;
  keyEnd = q + 2;
  return (len << 16) | ((len > 0 ? b[k0] : 0x22) << 8) | (len > 1 ? b[k0 + 1] : 0);
}

/** After the plain string or integer at `p` (a value the fast path skips), or -1. */
function scalarEnd(b: Buffer, p: number): number {
  if (b[p] === 0x22) return plainStringEnd(b, p);
  return Number.isNaN(intAt(b, p)) ? -1 : intEnd;
}

/** Where skipPlainString's string ended (after its closing quote). */
function plainStringEnd(b: Buffer, p: number): number {
  // p is at the opening quote; -1 for a backslash or the end of the window (the general reader takes it).
  const n = b.length;
  for (let q = p + 1; q < n; q++) {
    const c = b[q];
    if (c === 0x22) return q + 1;
    if (c === 0x5c) return -1;
  }
  return -1;
}

/**
 * readNode for the compact JSON V8 writes (no whitespace, integers, strings without escapes), in
 * one function over the window's bytes: no call per key or value, no whitespace loops, no window
 * checks but the end of the bytes. Keys are matched by the same tags as readNode, in any order,
 * with readNode's meaning for each. Anything else (whitespace, a float, an escape, a value that
 * goes on past the window, a malformed node) returns false with nothing of the node kept, and
 * readNode reads it again from its start, with its errors.
 */
function readNodeFast(s: ByteScanner, c: Collector): boolean {
  const children0 = c.childId.length, ticks0 = c.tickNode.length;
  const end = nodeAt(s, c, s.buf, s.pos);
  if (end >= 0) {
    s.pos = end;
    return true;
  }
  c.childParent.length = children0; c.childId.length = children0;
  c.tickNode.length = ticks0; c.tickLine.length = ticks0; c.tickCount.length = ticks0;
  return false;
}

/** The node at `p` (see readNodeFast): the position after it, or -1. */
function nodeAt(s: ByteScanner, c: Collector, b: Buffer, p: number): number {
  const n = b.length;
  if (b[p] !== 0x7b) return -1;
  const index = c.ids.length;
  let id = NaN, parent = -1;
  let name = c.emptyId, url = c.emptyId, lineNumber = -1, columnNumber = -1, scriptId = -1, frameKeys = 0;
  p++;
  if (b[p] === 0x7d) return -1;
  for (;;) {
    // A key: its tag (length and first two bytes, as ByteScanner.keyTag), then ':'.
    const k = keyAt(b, p);
    if (k < 0) return -1;
    p = keyEnd;
    if (k === K.id) {
      id = intAt(b, p);
      if (id !== (id | 0)) return -1;
      p = intEnd;
    } else if (k === K.callFrame) {
      // Twice in a node: readNode makes a frame of each; leave that to it.
      if (frameKeys++ > 0 || b[p] !== 0x7b) return -1;
      p++;
      if (b[p] === 0x7d) p++;
      else {
        for (;;) {
          const fk = keyAt(b, p);
          if (fk < 0) return -1;
          p = keyEnd;
          if (fk === K.functionName || fk === K.url) {
            if (b[p] !== 0x22) return -1;
            const sid = s.internAt(p + 1, fk === K.url ? 1 : 0);
            if (sid < 0) return -1;
            if (fk === K.url) url = sid; else name = sid;
            p = s.after;
          } else if (fk === K.lineNumber || fk === K.columnNumber) {
            const v = intAt(b, p);
            if (Number.isNaN(v)) return -1;
            if (fk === K.lineNumber) lineNumber = v; else columnNumber = v;
            p = intEnd;
          } else if (fk === K.scriptId) {
            // V8's "123": up to 9 digits between quotes (scriptIdOf's range); anything else, readNode.
            if (b[p] !== 0x22) return -1;
            const v = intAt(b, p + 1);
            if (!(v >= 0) || b[p + 1] === 0x2d || intEnd - p > 10 || b[intEnd] !== 0x22) return -1;
            scriptId = v;
            p = intEnd + 1;
          } else {
            p = scalarEnd(b, p);
            if (p < 0) return -1;
          }
          if (b[p] === 0x2c) { p++; continue; }
          if (b[p] === 0x7d) { p++; break; }
          return -1;
        }
      }
    } else if (k === K.parent) {
      parent = intAt(b, p);
      if (parent !== (parent | 0)) return -1;
      p = intEnd;
    } else if (k === K.children) {
      if (b[p] !== 0x5b) return -1;
      p++;
      if (b[p] === 0x5d) p++;
      else {
        for (;;) {
          const child = intAt(b, p);
          if (child !== (child | 0)) return -1;
          c.childParent.push(index); c.childId.push(child);
          p = intEnd;
          if (b[p] === 0x2c) { p++; continue; }
          if (b[p] === 0x5d) { p++; break; }
          return -1;
        }
      }
    } else if (k === K.positionTicks) {
      if (b[p] !== 0x5b) return -1;
      p++;
      if (b[p] === 0x5d) p++;
      else {
        for (;;) {
          if (b[p] !== 0x7b) return -1;
          p++;
          let line = 0, ticks = 0;
          if (b[p] === 0x7d) p++;
          else {
            for (;;) {
              const tk = keyAt(b, p);
              if (tk < 0) return -1;
              p = keyEnd;
              const v = intAt(b, p);
              if (Number.isNaN(v) || (tk !== K.line && tk !== K.ticks)) return -1;
              if (tk === K.line) line = v; else ticks = v;
              p = intEnd;
              if (b[p] === 0x2c) { p++; continue; }
              if (b[p] === 0x7d) { p++; break; }
              return -1;
            }
          }
          c.tickNode.push(index); c.tickLine.push(line); c.tickCount.push(ticks);
          if (b[p] === 0x2c) { p++; continue; }
          if (b[p] === 0x5d) { p++; break; }
          return -1;
        }
      }
    } else {
      // Other keys are skipped, as by readNode: here only plain strings and integers (hitCount).
      p = scalarEnd(b, p);
      if (p < 0) return -1;
    }
    if (b[p] === 0x2c) { p++; continue; }
    if (b[p] === 0x7d) { p++; break; }
    return -1;
  }
  if (Number.isNaN(id) || frameKeys === 0 || p > n) return -1;
  c.ids.push(id);
  c.frameOf.push(c.frame(s, name, url, lineNumber, columnNumber, scriptId));
  c.parentId.push(parent);
  return p;
}

/**
 * Room for the flat integer array starting at `s.pos` ('['): its byte span divided by the mean
 * width of its first elements, plus a margin. A counting pass over the bytes cost a quarter of
 * the parse; a wrong guess only costs one doubling. When the array goes on past the window, the
 * span is taken to the end of the input: too much room, but the untouched part of a typed
 * array is never given memory by the system.
 */
function estimateElements(s: ByteScanner): number {
  const b = s.buf, from = s.pos;
  let end = b.indexOf(0x5d, from);
  if (end < 0) {
    if (s.eof) return 0;
    end = s.size - s.base;
  }
  const probeEnd = Math.min(end, from + 65536, b.length);
  let commas = 0;
  for (let p = from; p < probeEnd; p++) if (b[p] === 0x2c) commas++;
  if (probeEnd === end) return commas + 1;
  return Math.ceil(((end - from) * (commas + 1)) / (probeEnd - from) * 1.02) + 1024;
}

/** Bytes left before the end of the window in which any plain number fits (else the window slides first). */
const MARGIN = 64;

/** Node ids and time deltas are read into 32-bit arrays: a value beyond them must not wrap around onto another. */
function tooBig(s: ByteScanner, what: string, v: number): never {
  throw new ProfileError(`${s.file}: ${what} ${v} does not fit in 32 bits; Hotpath reads node ids and time deltas as 32-bit integers (V8 writes small ones). The file was not written by V8 as is: re-record or re-export the profile.`, s.file);
}

/** `v` if it is a 32-bit integer, else a ProfileError naming it. */
function int32(s: ByteScanner, what: string, v: number): number {
  if ((v | 0) !== v && Number.isInteger(v)) tooBig(s, what, v);
  return v;
}

/**
 * The µs in `timeDeltas` (negative ones read as 0, `clampNegative`) or the ids in `samples`. With
 * `first` and `count`, the samples' node ids are the consecutive `first ... first + count - 1`
 * and each is turned into its node index on the way (no second pass over millions of samples).
 */
export function readInts(s: ByteScanner, into: IntList, clampNegative: boolean, first = 0, count = -1): void {
  if (s.peek() === 0x5b) into.reserve(estimateElements(s));
  if (!s.openArray()) return;
  // The bulk of a long recording: a tight loop over the bytes, no call per number.
  let b = s.buf;
  let n = b.length;
  let p = s.pos;
  let safe = s.eof ? n : n - MARGIN;
  let data = into.data;
  let len = into.length;
  for (;;) {
    if (p > safe) {
      s.pos = p;
      s.refill();
      b = s.buf; n = b.length; p = s.pos; safe = s.eof ? n : n - MARGIN;
    }
    const element = p;
    let c = b[p];
    // The common case, compact JSON as V8 writes it: digits, then ',' or ']'.
    if (c >= 0x30 && c <= 0x39) {
      let v = c - 0x30;
      c = b[++p];
      while (c >= 0x30 && c <= 0x39) { v = v * 10 + (c - 0x30); c = b[++p]; }
      if ((c === 0x2c || c === 0x5d) && v <= 0x7fffffff) {
        if (count >= 0) {
          v -= first;
          if (v < 0 || v >= count) damaged(s.file, `sample ${len} refers to node id ${v + first}, which is not in the profile`);
        }
        if (len === data.length) { into.length = len; into.push(v); data = into.data; len = into.length; } else data[len++] = v;
        p++;
        if (c === 0x5d) break;
        continue;
      }
      // Anything else: read the element again below, in full generality.
      p = element;
      c = b[p];
    }
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++p];
    let neg = false;
    if (c === 0x2d) { neg = true; c = b[++p]; }
    let v = 0;
    const start = p;
    while (c >= 0x30 && c <= 0x39) { v = v * 10 + (c - 0x30); c = b[++p]; }
    if (p === start || c === 0x2e || c === 0x65 || c === 0x45) {
      // Not a plain integer (or malformed): hand over to the general reader for this one.
      s.pos = neg ? start - 1 : start;
      v = s.number();
      b = s.buf; n = b.length; p = s.pos; safe = s.eof ? n : n - MARGIN;
      neg = false;
      c = b[p];
    }
    if (neg) {
      if (!clampNegative) v = -v;
      else if (v > 0) { v = 0; into.negatives++; }
    }
    if (count >= 0) {
      v -= first;
      if (v < 0 || v >= count) damaged(s.file, `sample ${len} refers to node id ${v + first}, which is not in the profile`);
    } else if (v > 0x7fffffff || v < -0x80000000) tooBig(s, clampNegative ? 'a time delta of' : 'the sample node id', v);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++p];
    if (c !== 0x2c && c !== 0x5d) {
      // An element longer than the margin ran into the end of the window: slide, read it again.
      if (p >= n && !s.eof) {
        s.pos = element;
        s.refill();
        b = s.buf; n = b.length; p = s.pos; safe = s.eof ? n : n - MARGIN;
        continue;
      }
      s.pos = p;
      if (p >= n) s.fail('unterminated array', p);
      s.fail("expected ',' or ']'", p);
    }
    if (len === data.length) { into.length = len; into.push(v); data = into.data; len = into.length; } else data[len++] = v;
    p++;
    if (c === 0x5d) break;
  }
  s.pos = p;
  into.length = len;
}

/** Window over a streamed profile: big enough that sliding it costs nothing, small enough to stay out of the way. */
const WINDOW_BYTES = 8 * 1024 * 1024;

/** Parses the top level; fully reads a CPU profile, only lists the keys of anything else. */
export function parseTopLevel(buf: Buffer, file: string): TopLevel {
  return parse(new ByteScanner(buf, file));
}

/**
 * The same, reading the input through a sliding window: the file is never in memory whole. With
 * `job` (a seekable source), a worker thread reads the samples meanwhile (parallelSamples.ts);
 * the job is closed on return.
 */
export function parseTopLevelStream(source: ByteSource, file: string, windowBytes = WINDOW_BYTES, job?: SamplesJob): TopLevel {
  if (!job || !source.seek) return parse(new ByteScanner(source, file, windowBytes));
  try {
    return parse(new ByteScanner(source, file, windowBytes), job);
  } catch (err) {
    if (err !== RETRY) throw err;
  } finally {
    job.close();
  }
  // Something the worker's result cannot express exactly (see RETRY): read it all again, alone.
  source.seek(0);
  return parse(new ByteScanner(source, file, windowBytes));
}

/** Thrown when the worker's samples turn out unusable after the parse has jumped over them. */
const RETRY = new Error('retry without the worker');
/** The global `performance` loads perf_hooks on first use (tens of ms in a cold CLI): hrtime is already there. */
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function parse(s: ByteScanner, job?: SamplesJob): TopLevel {
  // (job is set to undefined once used: the worker's samples are for the first samples array only.)
  const first = s.peek();
  if (first === 0x5b) return { format: 'other', keys: [], isArray: true };
  if (first !== 0x7b) s.fail('expected a JSON object');
  const c = new Collector();
  c.reserve(s.size);
  c.emptyId = s.internEmpty();
  const keys: string[] = [];
  let race: SamplesRace | undefined;
  let nodesBytesPerMs = 0;
  if (s.openObject()) {
    do {
      // The race with the worker covers the samples and the key after them (the time deltas, where V8 puts them).
      if (race && race.keys++ >= 2) { race.stop(); race = undefined; }
      // A handful of keys at the top level: read them whole (no tag collisions, no going back).
      let keyAt = -1;
      if (job && s.peek() >= 0) keyAt = s.base + s.pos;
      const key = s.string();
      s.expect(0x3a);
      keys.push(key);
      if (key === 'nodes') {
        c.sawNodes = true;
        // Heap profiles and trace events never have a top-level `nodes` array of call frames.
        if (s.peek() !== 0x5b) { s.skip(); continue; }
        const nodesAt = s.base + s.pos, nodesStart = nowMs();
        if (s.openArray()) {
          for (;;) {
            if (readNodeFast(s, c)) nodeReads.fast++;
            else { nodeReads.general++; readNode(s, c); }
            // Compact JSON: the comma right after the node (else moreInArray looks, with its errors).
            if (s.buf[s.pos] === 0x2c && s.pos + 1 < s.buf.length) s.pos++;
            else if (!s.moreInArray()) break;
          }
        }
        // This thread's pace, for the choice between waiting for the worker and reading the samples alone.
        nodesBytesPerMs = (s.base + s.pos - nodesAt) / Math.max(nowMs() - nodesStart, 0.001);
      } else if (key === 'samples' && s.peek() === 0x5b) {
        if (c.runs) throw RETRY;
        c.sawSamples = true;
        if (job) {
          // The worker is used once, for the first samples array, and only after the nodes.
          const usable = c.ids.length > 0 && c.samples.length === 0 && c.deltas.length === 0;
          if (usable && (job.finished() || job.schedule === 'wait' || (job.schedule === 'measured' && job.waitWhileAhead(nodesBytesPerMs)))) {
            if (takeRuns(s, c, job, keyAt)) { keys.push('timeDeltas'); job = undefined; continue; }
          } else if (usable && job.schedule === 'race') race = new SamplesRace(s, job, keyAt);
          else job.close();
          job = undefined;
        }
        if (race ? race.read(c, () => readSamplesOrOther(s, c)) : (readSamplesOrOther(s, c), false)) { keys.push('timeDeltas'); continue; }
      } else if (key === 'timeDeltas') {
        if (c.runs) throw RETRY;
        if (race ? race.read(c, () => readInts(s, c.deltas, true)) : (readInts(s, c.deltas, true), false)) continue;
      }
      else if (key === 'startTime') c.startTime = s.scalarNumber();
      else if (key === 'endTime') c.endTime = s.scalarNumber();
      else s.skip();
    } while (s.moreInObject());
  }
  race?.stop();
  if (!s.atEnd()) s.fail('unexpected data after the end of the JSON');
  if (!c.sawNodes || !c.sawSamples || c.ids.length === 0) return { format: 'other', keys, isArray: false };
  return { format: 'cpuprofile', profile: resolve(c, s) };
}

/** Thrown out of the window's refill when the worker's samples are ready while this thread reads them too. */
const SWITCH = new Error('switch to the worker\'s samples');

/**
 * The samples read by this thread while the worker may still finish first. When the nodes are
 * read before the worker has replied, waiting would leave this thread idle, and on a machine with
 * no free core the worker may be far behind: so this thread reads the samples and time deltas
 * itself, and each time its window slides (every few MB) it looks at the worker:
 * - replied with the samples at the same key: this thread drops what it read of them, jumps to the
 *   end of the time deltas and takes the worker's runs (as when the reply came before the samples);
 * - has read less of them than this thread: it cannot finish first, so it is stopped (its core goes
 *   back to this thread and the rest of the machine);
 * - failed: stopped; this thread goes on alone.
 * Whichever finishes first is used; the one-thread reading and its errors are unchanged.
 */
class SamplesRace {
  /** Top-level keys begun since the race started (it covers the samples and the key after them). */
  keys = 1;
  private reply: Extract<NonNullable<ReturnType<SamplesJob['take']>>, { ok: true }> | undefined;
  /** True while read() runs: only there may the switch be thrown. */
  private reading = false;

  constructor(private readonly s: ByteScanner, private readonly job: SamplesJob, private readonly at: number) {
    s.onRefill = () => this.check();
  }

  private check(): void {
    const { s, job } = this;
    if (job.finished()) {
      const reply = job.take();
      this.stop();
      if (reply?.ok && reply.samplesAt === this.at) {
        this.reply = reply;
        // Between the samples and the time deltas (the window slid under the key): read() switches.
        if (this.reading) throw SWITCH;
      }
      return;
    }
    if (job.progressKb() < (s.base + s.buf.length - this.at) / 1024) this.stop();
  }

  stop(): void {
    this.s.onRefill = undefined;
    this.job.close();
  }

  /**
   * Runs `read` (this thread's reading of the samples or the time deltas). True when it was given
   * up for the worker's reply: its runs are in `c.runs`, the scanner is after the time deltas.
   */
  read(c: Collector, read: () => void): boolean {
    if (!this.reply) {
      this.reading = true;
      try {
        read();
        return false;
      } catch (err) {
        if (err !== SWITCH) throw err;
      } finally {
        this.reading = false;
      }
    }
    const reply = this.reply!;
    // Let what this thread read go (a long recording has no memory for two copies).
    c.samples = new IntList(16);
    c.deltas = new IntList(16);
    this.s.jumpTo(reply.end);
    c.runs = reply.runs;
    c.samplesResolved = true;
    return true;
  }
}

/**
 * Takes the worker's samples when they are the ones at `keyAt` (so this key, at the top level)
 * and the nodes were read before; then jumps over the samples and time deltas. False (the
 * worker's work unused) on any doubt. Whether every sample is a node is checked in resolve().
 */
function takeRuns(s: ByteScanner, c: Collector, job: SamplesJob, keyAt: number): boolean {
  const reply = job.take();
  if (!reply?.ok || reply.samplesAt !== keyAt || c.ids.length === 0 || c.samples.length > 0 || c.deltas.length > 0) return false;
  s.jumpTo(reply.end);
  c.runs = reply.runs;
  c.samplesResolved = true;
  return true;
}

/** Heap profiles also have `samples`, but as objects: tell them apart by the first element. */
function readSamplesOrOther(s: ByteScanner, c: Collector): void {
  if (s.peekInside() === 0x7b) { c.sawSamples = false; s.skip(); return; }
  // V8 writes the nodes first, numbered 1, 2, 3...: then samples become node indexes as they are read.
  const first = consecutiveFrom(c);
  if (first !== undefined && (c.samples.length === 0 || c.samplesResolved)) {
    readInts(s, c.samples, false, first, c.ids.length);
    c.samplesResolved = true;
  } else if (c.samplesResolved) damaged(s.file, 'it has two samples arrays, with nodes in between');
  else readInts(s, c.samples, false);
}

/** The first node id when the nodes read so far are numbered first, first + 1, ... (the usual case). */
function consecutiveFrom(c: Collector): number | undefined {
  const ids = c.ids.data, n = c.ids.length;
  if (n === 0) return undefined;
  const first = ids[0];
  for (let i = 1; i < n; i++) if (ids[i] !== first + i) return undefined;
  return first;
}

function damaged(file: string, what: string): never {
  throw new ProfileError(`${file}: the CPU profile is inconsistent: ${what}. The file is damaged; record the profile again.`, file);
}

/** Parent links must end at a root: a cycle (a node its own ancestor) is no call tree. */
function checkAcyclic(parent: Int32Array, ids: Int32Array, file: string): void {
  const n = parent.length;
  const state = new Uint8Array(n); // 0 not seen, 1 on the path being walked, 2 reaches a root
  for (let i = 0; i < n; i++) {
    let j = i;
    while (j >= 0 && state[j] === 0) { state[j] = 1; j = parent[j]; }
    if (j >= 0 && state[j] === 1) {
      const cycle = [ids[j]];
      for (let k = parent[j]; k !== j && cycle.length < 6; k = parent[k]) cycle.push(ids[k]);
      damaged(file, `the parent/child links of nodes ${cycle.join(' -> ')}${cycle.length < 6 ? ` -> ${ids[j]}` : ' -> …'} form a cycle (a node is its own ancestor)`);
    }
    for (let k = i; k >= 0 && state[k] === 1; k = parent[k]) state[k] = 2;
  }
}

function resolve(c: Collector, s: ByteScanner): RawCpuProfile {
  const ids = c.ids.view();
  const n = ids.length;
  // V8 numbers nodes 1, 2, 3... in the order it writes them: then an id's index is a subtraction,
  // and the samples (millions, in random order) need no table lookup (a cache miss each).
  const first = ids[0];
  let consecutive = true;
  for (let i = 1; i < n && consecutive; i++) consecutive = ids[i] === first + i;
  let maxId = 0;
  let minId = first;
  if (consecutive) maxId = first + n - 1;
  else for (let i = 0; i < n; i++) { if (ids[i] > maxId) maxId = ids[i]; if (ids[i] < minId) minId = ids[i]; }
  // Otherwise ids are still small and dense in every profile V8 writes: a lookup table beats a Map.
  const dense = !consecutive && minId >= 0 && maxId <= n * 4 + 1024;
  const table = dense ? new Int32Array(maxId + 1).fill(-1) : undefined;
  const map = consecutive || dense ? undefined : new Map<number, number>();
  if (!consecutive) {
    // Two nodes with one id make every child and sample of that id ambiguous: refused.
    for (let i = 0; i < n; i++) {
      const seen = table ? table[ids[i]] : map!.get(ids[i]);
      if (seen !== undefined && seen >= 0) damaged(s.file, `node id ${ids[i]} is used by two nodes (the ${seen + 1}th and the ${i + 1}th)`);
      if (table) table[ids[i]] = i; else map!.set(ids[i], i);
    }
  }
  const indexOf = (id: number): number => (consecutive ? (id >= first && id <= maxId ? id - first : -1) : table ? (id >= 0 && id <= maxId ? table[id] : -1) : map!.get(id) ?? -1);

  const parent = new Int32Array(n).fill(-1);
  const pid = c.parentId.view();
  for (let i = 0; i < n; i++) if (pid[i] >= 0) parent[i] = indexOf(pid[i]);
  const cp = c.childParent.view(), ci = c.childId.view();
  for (let i = 0; i < cp.length; i++) {
    const child = indexOf(ci[i]);
    if (child < 0) damaged(s.file, `node ${ids[cp[i]]} lists a child id ${ci[i]} that is not in the profile`);
    const had = parent[child];
    if (had >= 0 && had !== cp[i]) {
      damaged(s.file, `node ${ci[i]} is listed as a child of both node ${ids[had]} and node ${ids[cp[i]]}`);
    }
    parent[child] = cp[i];
  }
  checkAcyclic(parent, ids, s.file);
  const samples = c.samples.view();
  let runs: RawCpuProfile['runs'];
  if (c.runs) {
    const w = c.runs;
    // The last sample's duration adds time deltas to startTime: exact (as when done one by one) for safe integers only.
    if (!(Number.isSafeInteger(c.startTime) && Number.isSafeInteger(c.startTime + w.deltaSum))) throw RETRY;
    const index = new Int32Array(w.maxId + 1);
    for (let id = 0; id <= w.maxId; id++) index[id] = indexOf(id);
    // A sample on a missing node: the single-threaded path says which sample it is.
    for (let id = 0; id <= w.maxId; id++) if (index[id] < 0 && w.count[id] > 0) throw RETRY;
    if ((w.openId >= 0 && index[w.openId] < 0) || (w.lastId >= 0 && index[w.lastId] < 0)) throw RETRY;
    runs = { ...w, index };
  }
  if (c.samplesResolved) {
    // Done while reading: the nodes were all read before the samples, numbered consecutively.
  } else if (consecutive) {
    for (let i = 0; i < samples.length; i++) {
      const idx = samples[i] - first;
      if (idx < 0 || idx >= n) damaged(s.file, `sample ${i} refers to node id ${samples[i]}, which is not in the profile`);
      samples[i] = idx;
    }
  } else {
    for (let i = 0; i < samples.length; i++) {
      const idx = indexOf(samples[i]);
      if (idx < 0) damaged(s.file, `sample ${i} refers to node id ${samples[i]}, which is not in the profile`);
      samples[i] = idx;
    }
  }
  return {
    frames: c.frames,
    nodeFrame: c.frameOf.view(),
    nodeParent: parent,
    samples,
    timeDeltas: c.deltas.view(),
    runs,
    tickNode: c.tickNode.view(),
    tickLine: c.tickLine.view(),
    tickCount: c.tickCount.view(),
    startTime: c.startTime,
    endTime: c.endTime,
    negativeDeltas: c.runs ? c.runs.negativeDeltas ?? 0 : c.deltas.negatives,
  };
}
