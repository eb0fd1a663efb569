// A minimal JSON tokenizer over a Buffer. Big .cpuprofile files are mostly long arrays of
// integers and many small node objects: reading them straight from the bytes avoids both the
// one-string limit (~512 MB) and the generic object tree that makes JSON.parse cost 3x the file.
// The bytes are either one Buffer, or a window that slides over a file (see ByteSource): a big
// profile is then never in memory whole (no page faults for its size, no copy to free later).
import { ProfileError, describeOffset } from './errors';

/** Bytes read on demand: `read` fills `into` from `offset` with up to `length` bytes, 0 at the end. */
export interface ByteSource {
  size: number;
  read(into: Buffer, offset: number, length: number): number;
  /** Makes the next read start at byte `offset` (sources that can: files). */
  seek?(offset: number): void;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, MINUS = 0x2d;

// Node's Buffer has these fast slice methods at runtime; @types/node does not declare them.
type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

export class ByteScanner {
  /** Position in `buf`. */
  pos = 0;
  /** The bytes: all of them, or the window of a ByteSource (only its valid bytes). */
  buf: FastBuffer;
  /** Offset of buf[0] in the whole input. */
  base = 0;
  /** True once `buf` reaches the end of the input. */
  eof = true;
  readonly size: number;
  private store?: Buffer;

  /** Over one Buffer, or over a source read through a window of `windowBytes` (grown when a value needs more). */
  constructor(buf: Buffer, file: string);
  constructor(source: ByteSource, file: string, windowBytes: number);
  constructor(input: Buffer | ByteSource, readonly file: string, windowBytes = 0) {
    if (Buffer.isBuffer(input)) {
      this.buf = input as FastBuffer;
      this.size = input.length;
      this.source = undefined;
    } else {
      this.source = input;
      this.size = input.size;
      this.store = Buffer.allocUnsafeSlow(Math.max(16, Math.min(windowBytes, input.size)));
      this.buf = this.store.subarray(0, 0) as FastBuffer;
      this.eof = false;
      this.refill();
    }
  }
  private readonly source: ByteSource | undefined;
  /** Called each time the window slides (some MB of input apart); see cpuParser's race with the samples worker. */
  onRefill: (() => void) | undefined = undefined;

  /**
   * Slides the window so that it starts at `pos` (nothing before it is needed any more) and
   * reads more bytes after what it holds. False when nothing was added (the end of the input).
   * Positions in `buf` held by callers are invalid afterwards; `pos` is adjusted.
   */
  refill(): boolean {
    if (this.eof) return false;
    // Called before anything moves, so it may throw (the parallel path's switch to the worker's samples).
    if (this.onRefill) this.onRefill();
    let store = this.store!;
    const keep = this.buf.length - this.pos;
    // A value longer than half the window (rare: one huge string or children list): grow it.
    if (keep * 2 > store.length) {
      const bigger = Buffer.allocUnsafeSlow(store.length * 2);
      this.buf.copy(bigger, 0, this.pos);
      this.store = store = bigger;
    } else if (this.pos > 0) store.copyWithin(0, this.pos, this.buf.length);
    this.base += this.pos;
    this.pos = 0;
    let filled = keep;
    while (filled < store.length) {
      const n = this.source!.read(store, filled, store.length - filled);
      if (n === 0) { this.eof = true; break; }
      filled += n;
    }
    if (this.base + filled >= this.size) this.eof = true;
    this.buf = store.subarray(0, filled) as FastBuffer;
    this.lastStart.fill(-1);
    return filled > keep;
  }

  /**
   * Goes on reading at byte `offset` of the input, not reading what is before it (a seekable
   * source only: the parallel path jumps over the samples a worker thread has read).
   */
  jumpTo(offset: number): void {
    if (!this.source?.seek) throw new Error('ByteScanner.jumpTo needs a seekable source');
    this.source.seek(offset);
    this.base = offset;
    this.pos = 0;
    this.buf = this.store!.subarray(0, 0) as FastBuffer;
    this.eof = false;
    this.refill();
  }

  fail(what: string, at = this.pos): never {
    const end = this.eof && at >= this.buf.length;
    const reason = end ? 'the file ends in the middle of the JSON (truncated?)' : `${what} ${describeOffset(this.base + at, this.size)}`;
    throw new ProfileError(`${this.file}: not valid profile JSON: ${reason}. Re-record the profile or check that the file was copied completely.`, this.file);
  }

  /** Skips whitespace and returns the next byte (or -1 at the end). */
  peek(): number {
    for (;;) {
      const b = this.buf;
      let p = this.pos;
      while (p < b.length) {
        const c = b[p];
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
        p++;
      }
      this.pos = p;
      if (p < b.length) return b[p];
      if (!this.refill()) return -1;
    }
  }

  /** The first byte after the current one (an opening bracket), whitespace skipped; consumes nothing. */
  peekInside(): number {
    for (;;) {
      const b = this.buf;
      let p = this.pos + 1;
      while (p < b.length && (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09)) p++;
      if (p < b.length) return b[p];
      if (!this.refill()) return -1;
    }
  }

  expect(ch: number): void {
    if (this.peek() !== ch) this.fail(`expected '${String.fromCharCode(ch)}'`);
    this.pos++;
  }

  /** After a value in an object or array: true if another element follows. */
  more(close: number): boolean {
    const c = this.peek();
    if (c === COMMA) { this.pos++; return true; }
    if (c === close) { this.pos++; return false; }
    return this.fail(`expected ',' or '${String.fromCharCode(close)}'`);
  }

  /** Opens an object or array; returns false if it is empty (and consumes the close). */
  open(openCh: number, close: number): boolean {
    this.expect(openCh);
    if (this.peek() === close) { this.pos++; return false; }
    return true;
  }
  openObject(): boolean { return this.open(LBRACE, RBRACE); }
  openArray(): boolean { return this.open(LBRACKET, RBRACKET); }
  moreInObject(): boolean { return this.more(RBRACE); }
  moreInArray(): boolean { return this.more(RBRACKET); }

  /**
   * Reads an object key and the colon after it; returns a small numeric tag (length and first
   * two bytes) so callers can switch on known keys without allocating a string per key.
   */
  keyTag(): number {
    if (this.peek() !== QUOTE) this.fail('expected a key');
    const b = this.buf;
    const start = this.pos + 1;
    let p = start;
    while (p < b.length && b[p] !== QUOTE) {
      if (b[p] === BACKSLASH) p++;
      p++;
    }
    if (p >= b.length) {
      if (this.refill()) return this.keyTag();
      this.fail('unterminated key', p);
    }
    const len = p - start;
    // Before expect(): it may slide the window under `b`.
    const key = (len << 16) | (b[start] << 8) | (len > 1 ? b[start + 1] : 0);
    this.pos = p + 1;
    this.expect(COLON);
    return key;
  }

  string(): string {
    if (this.peek() !== QUOTE) this.fail('expected a string');
    const b = this.buf;
    const start = this.pos + 1;
    let p = start;
    let ascii = true;
    let escaped = false;
    for (; p < b.length; p++) {
      const c = b[p];
      if (c === QUOTE) break;
      if (c === BACKSLASH) { escaped = true; p++; } else if (c >= 0x80) ascii = false;
    }
    if (p >= b.length) {
      if (this.refill()) return this.string();
      this.fail('unterminated string', p);
    }
    this.pos = p + 1;
    if (escaped) {
      try {
        return JSON.parse(b.toString('utf8', start - 1, p + 1)) as string;
      } catch {
        return this.fail('invalid string escape', start);
      }
    }
    return ascii ? b.latin1Slice(start, p) : b.utf8Slice(start, p);
  }

  /**
   * Reads a string that repeats a lot (URLs, function names) and returns a small id for it; the
   * string itself is built once, on first sight. `slot` names the field (0 function name, 1 URL):
   * a string equal to the last one read for its slot is recognised by comparing bytes (nodes in a
   * row often share their URL). Otherwise the bytes are hashed while scanning and looked up in an
   * open-addressing table of plain integers, so repeated strings cost no allocation, no JS
   * string hashing and no Map lookup with (heap-number) hash keys.
   */
  internId(slot = 0): number {
    if (this.peek() !== QUOTE) this.fail('expected a string');
    const id = this.internAt(this.pos + 1, slot);
    if (id >= 0) {
      this.pos = this.after;
      return id;
    }
    if (id === -2) {
      // A backslash or a byte >= 0x80: the general reader builds this one.
      return this.interned(this.string());
    }
    if (this.refill()) return this.internId(slot);
    return this.fail('unterminated string', this.buf.length);
  }

  /** Where the last successful internAt ended (after the closing quote). */
  after = 0;

  /**
   * internId for the string whose first byte (after the quote) is at `start`, without moving
   * `pos`: its id, with `after` set past the closing quote; -1 when the string goes on past the
   * window, -2 when it has a backslash or a non-ASCII byte (then the caller reads it in full).
   */
  internAt(start: number, slot: number): number {
    const b = this.buf;
    const ls = this.lastStart[slot], ll = this.lastLen[slot];
    if (ls >= 0 && start + ll < b.length) {
      let k = 0;
      while (k < ll && b[start + k] === b[ls + k]) k++;
      if (k === ll && b[start + ll] === QUOTE) {
        this.after = start + ll + 1;
        return this.lastId[slot];
      }
    }
    let p = start;
    // Two independent 32-bit hashes plus the length identify a string (collisions ~1e-10 for
    // 100k distinct strings), so no byte comparison is needed on the hot path.
    let h1 = 0x811c9dc5;
    let h2 = 5381;
    for (; p < b.length; p++) {
      const c = b[p];
      if (c === QUOTE) break;
      if (c === BACKSLASH || c >= 0x80) return -2;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = (Math.imul(h2, 33) + c) | 0;
    }
    if (p >= b.length) return -1;
    this.after = p + 1;
    const len = p - start;
    const id = this.lookup(h1, h2, len, start, p);
    this.lastStart[slot] = start;
    this.lastLen[slot] = len;
    this.lastId[slot] = id;
    return id;
  }

  /** Per internId slot: where the last plain string read for it starts, its length, its id. */
  private readonly lastStart = new Int32Array(4).fill(-1);
  private readonly lastLen = new Int32Array(4);
  private readonly lastId = new Int32Array(4);
  /** (h1, h2, length, id) per slot; id -1 marks a free slot. Kept at most half full. */
  private table = new Int32Array(4 * 1024).fill(-1);
  private tableCount = 0;

  private lookup(h1: number, h2: number, len: number, start: number, end: number): number {
    let t = this.table;
    let mask = (t.length >> 2) - 1;
    let i = (h1 ^ (h1 >>> 16)) & mask;
    for (;;) {
      const id = t[4 * i + 3];
      if (id < 0) break;
      if (t[4 * i] === h1 && t[4 * i + 1] === h2 && t[4 * i + 2] === len) return id;
      i = (i + 1) & mask;
    }
    const id = this.interned(this.buf.latin1Slice(start, end));
    t[4 * i] = h1; t[4 * i + 1] = h2; t[4 * i + 2] = len; t[4 * i + 3] = id;
    if (++this.tableCount * 2 > mask + 1) {
      const old = t;
      t = this.table = new Int32Array(old.length * 2).fill(-1);
      mask = (t.length >> 2) - 1;
      for (let j = 0; j < old.length; j += 4) {
        if (old[j + 3] < 0) continue;
        let k = (old[j] ^ (old[j] >>> 16)) & mask;
        while (t[4 * k + 3] >= 0) k = (k + 1) & mask;
        t.set(old.subarray(j, j + 4), 4 * k);
      }
    }
    return id;
  }

  /** Id of the empty string (for absent fields). */
  internEmpty(): number {
    return this.interned('');
  }

  /** Strings seen by internId, by id. */
  readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();

  private interned(str: string): number {
    let id = this.stringIds.get(str);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(str);
      this.stringIds.set(str, id);
    }
    return id;
  }

  /** Reads a number; integers take a fast path without allocating a string. */
  number(): number {
    const c0 = this.peek();
    const b = this.buf;
    let p = this.pos;
    let neg = false;
    if (c0 === MINUS) { neg = true; p++; }
    let v = 0;
    const digitsStart = p;
    while (p < b.length) {
      const c = b[p] - 0x30;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      p++;
    }
    // The number may go on past the window: slide it and read the number again.
    if (p >= b.length && this.refill()) return this.number();
    if (p === digitsStart) this.fail('expected a number');
    const c = p < b.length ? b[p] : 0;
    if (c === 0x2e || c === 0x65 || c === 0x45) {
      // Fractions and exponents are rare in profiles: let the engine parse them exactly.
      let q = p;
      while (q < b.length && /[0-9.eE+-]/.test(String.fromCharCode(b[q]))) q++;
      if (q >= b.length && this.refill()) return this.number();
      const f = Number(b.latin1Slice(this.pos, q));
      if (Number.isNaN(f)) this.fail('invalid number');
      this.pos = q;
      return f;
    }
    this.pos = p;
    return neg ? -v : v;
  }

  /** Reads a number, or null (as NaN), true/false (as 1/0). */
  scalarNumber(): number {
    const c = this.peek();
    if (c === 0x6e) { this.literal('null'); return NaN; }
    if (c === 0x74) { this.literal('true'); return 1; }
    if (c === 0x66) { this.literal('false'); return 0; }
    return this.number();
  }

  private literal(word: string): void {
    if (this.pos + word.length > this.buf.length && this.refill()) return this.literal(word);
    if (this.buf.latin1Slice(this.pos, this.pos + word.length) !== word) this.fail(`expected '${word}'`);
    this.pos += word.length;
  }

  /** Skips any value without building it. */
  skip(): void {
    const c = this.peek();
    if (c === QUOTE) { this.skipString(); return; }
    if (c === LBRACE || c === LBRACKET) { this.skipNested(); return; }
    if (c === 0x6e || c === 0x74 || c === 0x66) { this.scalarNumber(); return; }
    this.number();
  }

  private skipString(): void {
    const b = this.buf;
    let p = this.pos + 1;
    while (p < b.length && b[p] !== QUOTE) p += b[p] === BACKSLASH ? 2 : 1;
    if (p >= b.length) {
      if (this.refill()) return this.skipString();
      this.fail('unterminated string', p);
    }
    this.pos = p + 1;
  }

  /** Skips an object or array; over a window, what was skipped is let go as it goes. */
  private skipNested(): void {
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (;;) {
      const b = this.buf;
      let p = this.pos;
      for (; p < b.length; p++) {
        const c = b[p];
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) inString = true;
        else if (c === LBRACE || c === LBRACKET) depth++;
        else if (c === RBRACE || c === RBRACKET) {
          if (--depth === 0) { this.pos = p + 1; return; }
        }
      }
      this.pos = p;
      if (!this.refill()) this.fail('unterminated object or array', p);
    }
  }

  atEnd(): boolean {
    return this.peek() === -1;
  }
}

/** Key tag of a literal key, for switch statements (see ByteScanner.keyTag). */
export function tag(key: string): number {
  return (key.length << 16) | (key.charCodeAt(0) << 8) | (key.length > 1 ? key.charCodeAt(1) : 0);
}
