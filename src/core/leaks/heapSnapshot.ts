// A focused streaming reader of V8's `.heapsnapshot` format (what v8.writeHeapSnapshot and
// DevTools write): `{"snapshot":{"meta":{...},"node_count":N,"edge_count":M,...},"nodes":[...],
// "edges":[...],"trace_function_infos":[...],"trace_tree":[...],"samples":[...],
// "locations":[...],"strings":[...]}`. The numeric arrays go straight from the file's bytes into
// typed arrays (a 200 MB heap's snapshot is larger than the longest string V8 can hold, so it
// cannot be JSON.parse'd whole); only the strings become JS strings.
import * as fs from 'fs';

export interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...string[]];
  edge_fields: string[];
  edge_types: [string[], ...string[]];
  location_fields?: string[];
}

export interface HeapSnapshot {
  meta: SnapshotMeta;
  nodeCount: number;
  edgeCount: number;
  /** node_count x node_fields.length numbers. */
  nodes: Uint32Array;
  edges: Uint32Array;
  locations: Uint32Array;
  strings: string[];
  /** Field offsets and counts, resolved from meta. */
  nodeFields: number;
  edgeFields: number;
  nType: number; nName: number; nId: number; nSize: number; nEdges: number;
  eType: number; eName: number; eTo: number;
  nodeTypes: string[];
  edgeTypes: string[];
  /** Index of each node's first edge in `edges` (in edge records, not numbers). */
  firstEdge: Uint32Array;
}

const CHUNK = 4 << 20;

class Reader {
  private buf: Buffer;
  private len = 0;
  pos = 0;
  private fd: number;
  private done = false;

  constructor(file: string, chunkBytes: number) {
    this.fd = fs.openSync(file, 'r');
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  close(): void { fs.closeSync(this.fd); }

  /** The current byte (refilling as needed); -1 at the end. */
  peek(): number {
    if (this.pos >= this.len && !this.fill()) return -1;
    return this.buf[this.pos];
  }

  private fill(): boolean {
    if (this.done) return false;
    // Keep nothing: callers that need bytes across chunks copy them out first (readString).
    this.len = fs.readSync(this.fd, this.buf, 0, this.buf.length, null);
    this.pos = 0;
    if (this.len === 0) this.done = true;
    return this.len > 0;
  }

  skipSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c) this.pos++;
      else return;
    }
  }

  expect(ch: number): void {
    this.skipSpace();
    const c = this.peek();
    if (c !== ch) throw new Error(`expected '${String.fromCharCode(ch)}' but found ${c < 0 ? 'the end of the file' : `'${String.fromCharCode(c)}'`}`);
    this.pos++;
  }

  /** A JSON string starting at the current '"', decoded. */
  readString(): string {
    this.expect(0x22);
    const parts: Buffer[] = [];
    let escaped = false;
    // A backslash at the end of a chunk escapes the first byte of the next one.
    let skipNext = false;
    for (;;) {
      if (this.pos >= this.len && !this.fill()) throw new Error('the file ends inside a string');
      const start = this.pos;
      let end = -1;
      let i = start;
      if (skipNext) { i++; skipNext = false; }
      for (; i < this.len; i++) {
        const c = this.buf[i];
        if (c === 0x5c) { escaped = true; if (i + 1 >= this.len) skipNext = true; i++; continue; }
        if (c === 0x22) { end = i; break; }
      }
      if (end >= 0) {
        parts.push(parts.length ? Buffer.from(this.buf.subarray(start, end)) : this.buf.subarray(start, end));
        this.pos = end + 1;
        break;
      }
      // Copied out: the buffer is reused by the next fill.
      parts.push(Buffer.from(this.buf.subarray(start, this.len)));
      this.pos = this.len;
    }
    const text = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8');
    return escaped ? JSON.parse(`"${text}"`) : text;
  }

  /** Reads a flat array of non-negative integers into `into` (grown when needed); returns it and the count. */
  readNumbers(into: Uint32Array): { values: Uint32Array; count: number } {
    this.expect(0x5b);
    let values = into;
    let count = 0;
    let cur = 0;
    let inNum = false;
    for (;;) {
      if (this.pos >= this.len && !this.fill()) throw new Error('the file ends inside an array');
      const buf = this.buf;
      const len = this.len;
      let i = this.pos;
      for (; i < len; i++) {
        const c = buf[i];
        if (c >= 0x30 && c <= 0x39) { cur = cur * 10 + (c - 0x30); inNum = true; continue; }
        if (inNum) {
          if (count >= values.length) { const g = new Uint32Array(Math.max(1024, values.length * 2)); g.set(values); values = g; }
          values[count++] = cur;
          cur = 0;
          inNum = false;
        }
        if (c === 0x5d) { this.pos = i + 1; return { values, count }; }
        if (c === 0x2d || c === 0x2e || c === 0x5b) throw new Error(`unexpected '${String.fromCharCode(c)}' in a numeric array`);
      }
      this.pos = i;
    }
  }

  /** Skips any JSON value (nested arrays such as trace_tree). */
  skipValue(): void {
    this.skipSpace();
    let depth = 0;
    let inStr = false;
    for (;;) {
      const c = this.peek();
      if (c < 0) throw new Error('the file ends inside a value');
      this.pos++;
      if (inStr) { if (c === 0x5c) { this.peek(); this.pos++; } else if (c === 0x22) { inStr = false; if (!depth) return; } continue; }
      if (c === 0x22) inStr = true;
      else if (c === 0x5b || c === 0x7b) depth++;
      else if (c === 0x5d || c === 0x7d) { depth--; if (!depth) return; }
      else if (!depth && (c === 0x2c || c === 0x20 || c === 0x0a)) { this.pos--; return; }
    }
  }

  /** The raw text of the `snapshot` header object (small), parsed. */
  readObject(): any {
    this.skipSpace();
    const parts: Buffer[] = [];
    let depth = 0;
    let inStr = false;
    for (;;) {
      if (this.pos >= this.len && !this.fill()) throw new Error('the file ends inside the header');
      const start = this.pos;
      let i = start;
      let closed = false;
      for (; i < this.len; i++) {
        const c = this.buf[i];
        if (inStr) { if (c === 0x5c) i++; else if (c === 0x22) inStr = false; continue; }
        if (c === 0x22) inStr = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) { depth--; if (!depth) { i++; closed = true; break; } }
      }
      parts.push(Buffer.from(this.buf.subarray(start, Math.min(i, this.len))));
      this.pos = Math.min(i, this.len);
      if (closed) return JSON.parse(Buffer.concat(parts).toString('utf8'));
    }
  }
}

/** `chunkBytes`: how much of the file is read at a time (tests use tiny chunks to split every token). */
export function readHeapSnapshot(file: string, options: { chunkBytes?: number } = {}): HeapSnapshot {
  const r = new Reader(file, options.chunkBytes ?? CHUNK);
  try {
    r.expect(0x7b);
    let header: { meta: SnapshotMeta; node_count: number; edge_count: number } | undefined;
    let nodes: Uint32Array | undefined;
    let edges: Uint32Array | undefined;
    let locations: Uint32Array = new Uint32Array(0);
    let strings: string[] | undefined;
    for (;;) {
      r.skipSpace();
      if (r.peek() === 0x7d || r.peek() < 0) break;
      const key = r.readString();
      r.expect(0x3a);
      if (key === 'snapshot') header = r.readObject();
      else if (key === 'nodes' || key === 'edges' || key === 'locations') {
        if (!header) throw new Error(`"${key}" before the "snapshot" header`);
        const size = key === 'nodes' ? header.node_count * header.meta.node_fields.length
          : key === 'edges' ? header.edge_count * header.meta.edge_fields.length : 1024;
        const { values, count } = r.readNumbers(new Uint32Array(size));
        const arr = values.length === count ? values : values.subarray(0, count);
        if (key === 'nodes') nodes = arr; else if (key === 'edges') edges = arr; else locations = arr;
      } else if (key === 'strings') {
        r.expect(0x5b);
        strings = [];
        for (;;) {
          r.skipSpace();
          if (r.peek() === 0x5d) { r.expect(0x5d); break; }
          strings.push(r.readString());
        }
      } else r.skipValue();
    }
    if (!header || !nodes || !edges || !strings) throw new Error('not a heap snapshot: the snapshot header, nodes, edges or strings are missing');
    return index(header, nodes, edges, locations, strings);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  } finally {
    r.close();
  }
}

function index(header: { meta: SnapshotMeta; node_count: number; edge_count: number }, nodes: Uint32Array, edges: Uint32Array, locations: Uint32Array, strings: string[]): HeapSnapshot {
  const m = header.meta;
  const nodeFields = m.node_fields.length;
  const edgeFields = m.edge_fields.length;
  const f = (list: string[], name: string) => {
    const i = list.indexOf(name);
    if (i < 0) throw new Error(`the snapshot's meta has no "${name}" field`);
    return i;
  };
  const nodeCount = nodes.length / nodeFields;
  const edgeCount = edges.length / edgeFields;
  if (nodeCount !== header.node_count || edgeCount !== header.edge_count) {
    throw new Error(`the snapshot is incomplete: ${nodeCount} of ${header.node_count} nodes and ${edgeCount} of ${header.edge_count} edges`);
  }
  const nEdges = f(m.node_fields, 'edge_count');
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0, e = 0; i < nodeCount; i++) { firstEdge[i] = e; e += nodes[i * nodeFields + nEdges]; firstEdge[i + 1] = e; }
  return {
    meta: m, nodeCount, edgeCount, nodes, edges, locations, strings, nodeFields, edgeFields,
    nType: f(m.node_fields, 'type'), nName: f(m.node_fields, 'name'), nId: f(m.node_fields, 'id'), nSize: f(m.node_fields, 'self_size'), nEdges,
    eType: f(m.edge_fields, 'type'), eName: f(m.edge_fields, 'name_or_index'), eTo: f(m.edge_fields, 'to_node'),
    nodeTypes: m.node_types[0], edgeTypes: m.edge_types[0], firstEdge,
  };
}
