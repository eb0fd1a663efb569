// Chrome DevTools' "Comparison" of two heap snapshots, and memlab's retainer traces, for Node:
// - objects are grouped as DevTools' summary groups them (constructor name for objects,
//   `(closure)`, `(array)`, `(string)`, `(system)`...), counted and sized in both snapshots;
// - "new" objects are those allocated after the baseline and still alive in the final snapshot
//   (V8 keeps an object's id across snapshots of one isolate and hands out increasing odd ids
//   to heap objects, so new means an odd id above the baseline's largest; embedder (Node)
//   objects have even ids made from their addresses and are never counted new), memlab's
//   target-and-still-alive filter;
// - for each group that grew, one new object (the closest to a GC root) gets its retainer path:
//   the shortest chain of strong (non-weak) references from the snapshot's root, with closure
//   locations mapped to the program's source.
import type { SourceMapper } from '../profile/sourceMaps';
import { readHeapSnapshot, type HeapSnapshot } from './heapSnapshot';
import { locate } from './analyze';
import type { LeakSite } from './read';
import type { LeakSuspectType, RetainerStep } from './types';

interface GroupStats { type: string; name: string; count: number; bytes: number; newCount: number; newBytes: number; candidates: number[]; rep: number; traceShare: number }

/** New objects per group whose retainer paths are clustered to pick the representative. */
const CANDIDATES = 400;

const MAX_TYPES = 8;

/** DevTools' grouping: objects and natives by their constructor name, the rest by their type. */
function groupKey(s: HeapSnapshot, node: number): { type: string; name: string } {
  const type = s.nodeTypes[s.nodes[node * s.nodeFields + s.nType]] ?? 'unknown';
  if (type === 'object' || type === 'native') return { type, name: s.strings[s.nodes[node * s.nodeFields + s.nName]] || '(anonymous)' };
  if (type === 'concatenated string' || type === 'sliced string') return { type: 'string', name: '(string)' };
  if (type === 'hidden' || type === 'synthetic' || type === 'object shape') return { type, name: '(system)' };
  if (type === 'code') return { type, name: '(compiled code)' };
  return { type, name: `(${type})` };
}

function groups(s: HeapSnapshot, newAbove: number, dist?: Uint32Array): Map<string, GroupStats> {
  const out = new Map<string, GroupStats>();
  for (let n = 0; n < s.nodeCount; n++) {
    const g = groupKey(s, n);
    const key = `${g.type}\t${g.name}`;
    let st = out.get(key);
    if (!st) out.set(key, (st = { ...g, count: 0, bytes: 0, newCount: 0, newBytes: 0, candidates: [], rep: -1, traceShare: 0 }));
    const size = s.nodes[n * s.nodeFields + s.nSize];
    st.count++;
    st.bytes += size;
    const id = s.nodes[n * s.nodeFields + s.nId];
    if (id > newAbove && id % 2 === 1) {
      st.newCount++;
      st.newBytes += size;
      if (dist && dist[n] !== UNREACHABLE && st.candidates.length < CANDIDATES) st.candidates.push(n);
    }
  }
  return out;
}

/** The largest id V8 gave a heap object (odd ids; embedder objects' even ids come from addresses). */
function maxHeapId(s: HeapSnapshot): number {
  let m = 0;
  for (let n = 0; n < s.nodeCount; n++) {
    const id = s.nodes[n * s.nodeFields + s.nId];
    if (id % 2 === 1 && id > m) m = id;
  }
  return m;
}

const UNREACHABLE = 0xffffffff;

/**
 * Breadth-first distances from the root (node 0) over strong (non-weak) edges, with the parent
 * edge of each node. Two passes, as DevTools and memlab prefer paths a reader recognises: first
 * only through the program's objects (the root's global objects, never through synthetic root
 * groups such as "(Stack roots)" or "(Handle scope)", which hold whatever was on the stack when
 * the snapshot was written), then the rest from everything reached.
 */
function shortestPaths(s: HeapSnapshot): { dist: Uint32Array; parentEdge: Uint32Array; parentNode: Uint32Array } {
  const dist = new Uint32Array(s.nodeCount).fill(UNREACHABLE);
  const parentEdge = new Uint32Array(s.nodeCount).fill(UNREACHABLE);
  const parentNode = new Uint32Array(s.nodeCount).fill(UNREACHABLE);
  const weak = s.edgeTypes.indexOf('weak');
  const synthetic = s.nodeTypes.indexOf('synthetic');
  // Hotpath's own measuring code (reached from the global function it installs) is not the program's.
  const closure = s.nodeTypes.indexOf('closure');
  const own = s.strings.indexOf('hotpathIteration');
  const skip = new Uint8Array(s.nodeCount);
  if (own >= 0) for (let n = 0; n < s.nodeCount; n++) if (s.nodes[n * s.nodeFields + s.nName] === own && s.nodes[n * s.nodeFields + s.nType] === closure) skip[n] = 1;
  const queue = new Uint32Array(s.nodeCount);
  const bfs = (seed: Uint32Array | number[], seedCount: number, allowSynthetic: boolean) => {
    let head = 0;
    let tail = 0;
    for (let i = 0; i < seedCount; i++) queue[tail++] = seed[i];
    while (head < tail) {
      const n = queue[head++];
      for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
        const base = e * s.edgeFields;
        if (s.edges[base + s.eType] === weak) continue;
        const to = s.edges[base + s.eTo] / s.nodeFields;
        if (dist[to] !== UNREACHABLE || skip[to]) continue;
        if (!allowSynthetic && s.nodes[to * s.nodeFields + s.nType] === synthetic) continue;
        dist[to] = dist[n] + 1;
        parentEdge[to] = e;
        parentNode[to] = n;
        queue[tail++] = to;
      }
    }
    return tail;
  };
  dist[0] = 0;
  const reached = bfs([0], 1, false);
  // Second pass: from every node reached so far, in order of distance (the queue holds them so).
  bfs(queue.slice(0, reached), reached, true);
  return { dist, parentEdge, parentNode };
}

export interface CompareOptions { root: string; mapper?: SourceMapper; sites?: LeakSite[] }

export function compareSnapshots(beforeFile: string, afterFile: string, options: CompareOptions): LeakSuspectType[] {
  let before: HeapSnapshot | undefined = readHeapSnapshot(beforeFile);
  const newAbove = maxHeapId(before);
  const beforeGroups = groups(before, Number.MAX_SAFE_INTEGER);
  before = undefined;
  const after = readHeapSnapshot(afterFile);
  const paths = shortestPaths(after);
  const afterGroups = groups(after, newAbove, paths.dist);
  const scripts = scriptUrls(after, options.sites ?? []);
  const locations = closureLocations(after);
  const grown = [...afterGroups.entries()]
    .map(([key, a]) => ({ a, b: beforeGroups.get(key) }))
    .filter(({ a, b }) => a.newCount > 0 && a.bytes - (b?.bytes ?? 0) > 0)
    .sort((x, y) => (y.a.bytes - (y.b?.bytes ?? 0)) - (x.a.bytes - (x.b?.bytes ?? 0)));
  // Groups that grew by less than 2 % of the largest growth (V8's own metadata, a few strings): left out.
  const top = grown.length ? grown[0].a.bytes - (grown[0].b?.bytes ?? 0) : 0;
  const shown = grown.filter(({ a, b }) => a.bytes - (b?.bytes ?? 0) >= Math.max(1024, 0.02 * top)).slice(0, MAX_TYPES);
  for (const { a } of shown) pickRepresentative(after, a, paths);
  const contexts = contextOwners(after, shown.map(({ a }) => a.rep).filter((n) => n >= 0), paths, locations);
  return shown.map(({ a, b }) => ({
    type: a.type, name: a.name, countBefore: b?.count ?? 0, countAfter: a.count, bytesBefore: b?.bytes ?? 0, bytesAfter: a.bytes,
    newCount: a.newCount, newBytes: a.newBytes, traceShare: a.rep >= 0 ? a.traceShare : null,
    retainers: a.rep >= 0 ? retainerPath(after, a.rep, paths, locations, contexts, scripts, options) : [],
  }));
}

/**
 * memlab's trace clustering, simplified: the new objects' retainer paths are reduced to their
 * edge names (indexes folded to []), and the representative is an object on the most common one:
 * the path most of the growth takes, not an odd object that happens to sit closest to a root.
 */
function pickRepresentative(s: HeapSnapshot, g: GroupStats, paths: ReturnType<typeof shortestPaths>): void {
  const counts = new Map<string, { n: number; first: number }>();
  for (const node of g.candidates) {
    const parts: string[] = [];
    for (let n = node; n !== 0 && paths.parentEdge[n] !== UNREACHABLE && parts.length < 64; n = paths.parentNode[n]) {
      const e = paths.parentEdge[n] * s.edgeFields;
      const type = s.edgeTypes[s.edges[e + s.eType]];
      const part = type === 'element' || type === 'hidden' ? '[]' : s.strings[s.edges[e + s.eName]] ?? '?';
      // A linked list (timers' _idlePrev...) is one shape whatever its length.
      if (parts[parts.length - 1] !== part) parts.push(part);
    }
    const key = parts.join('\u0000');
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { n: 1, first: node });
  }
  let best: { n: number; first: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  if (best) { g.rep = best.first; g.traceShare = best.n / g.candidates.length; }
}

function nodeLabel(s: HeapSnapshot, n: number): { type: string; name: string } {
  const type = s.nodeTypes[s.nodes[n * s.nodeFields + s.nType]] ?? 'unknown';
  let name = s.strings[s.nodes[n * s.nodeFields + s.nName]] ?? '';
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  return { type, name };
}

function retainerPath(s: HeapSnapshot, target: number, paths: ReturnType<typeof shortestPaths>, locations: Map<number, [number, number, number]>,
  contexts: Map<number, number>, scripts: Map<number, string>, options: CompareOptions): RetainerStep[] {
  const steps: RetainerStep[] = [];
  for (let n = target; n !== 0 && paths.parentEdge[n] !== UNREACHABLE && steps.length < 64; n = paths.parentNode[n]) {
    const e = paths.parentEdge[n] * s.edgeFields;
    const edgeType = s.edgeTypes[s.edges[e + s.eType]] ?? 'unknown';
    const raw = s.edges[e + s.eName];
    const edge = edgeType === 'element' || edgeType === 'hidden' ? `[${raw}]` : s.strings[raw] ?? String(raw);
    // A closure has its own position; a scope (system / Context) the position of a function created in it.
    const loc = locations.get(n) ?? locations.get(contexts.get(n) ?? -1);
    const url = loc ? scripts.get(loc[0]) : undefined;
    const location = loc && url ? (({ name, ...rest }) => rest)(locate({ name: '', url, line: loc[1], column: loc[2] }, options)) : null;
    const label = nodeLabel(s, n);
    const last = steps[steps.length - 1];
    // Runs of the same step (a linked list) are one step with a count.
    const sameLoc = (!location && !last?.location) || (location && last?.location && location.file === last.location.file && location.line === last.location.line);
    if (last && last.edge === edge && last.name === label.name && last.type === label.type && sameLoc) last.repeat++;
    else steps.push({ edge, edgeType, ...label, location, repeat: 1 });
  }
  return steps.reverse();
}

/**
 * For the scopes (system / Context) on the given paths: a closure whose `context` edge points to
 * it (one pass over the edges), so the path can say where that scope is in the source.
 */
function contextOwners(s: HeapSnapshot, targets: number[], paths: ReturnType<typeof shortestPaths>, locations: Map<number, [number, number, number]>): Map<number, number> {
  const wanted = new Set<number>();
  for (const t of targets) {
    for (let n = t; n > 0 && paths.parentNode[n] !== UNREACHABLE; n = paths.parentNode[n]) {
      if (s.strings[s.nodes[n * s.nodeFields + s.nName]] === 'system / Context') wanted.add(n);
    }
  }
  const out = new Map<number, number>();
  if (!wanted.size) return out;
  const closure = s.nodeTypes.indexOf('closure');
  for (let n = 0; n < s.nodeCount; n++) {
    if (s.nodes[n * s.nodeFields + s.nType] !== closure || !locations.has(n)) continue;
    for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
      const to = s.edges[e * s.edgeFields + s.eTo] / s.nodeFields;
      if (wanted.has(to) && !out.has(to) && s.strings[s.edges[e * s.edgeFields + s.eName]] === 'context') out.set(to, n);
    }
  }
  return out;
}

/** Closure (and other) source positions: node index -> [script id, 0-based line, 0-based column]. */
function closureLocations(s: HeapSnapshot): Map<number, [number, number, number]> {
  const out = new Map<number, [number, number, number]>();
  const fields = s.meta.location_fields ?? ['object_index', 'script_id', 'line', 'column'];
  const k = fields.length;
  const [o, sc, l, c] = ['object_index', 'script_id', 'line', 'column'].map((f) => fields.indexOf(f));
  for (let i = 0; i + k <= s.locations.length; i += k) out.set(s.locations[i + o] / s.nodeFields, [s.locations[i + sc], s.locations[i + l], s.locations[i + c]]);
  return out;
}

/**
 * Script id -> url: the allocation sites of the sampling profile (same isolate, same ids), and
 * the snapshot's own Script objects (a hidden node whose `name` edge holds the url and whose
 * `id`... is not recorded; so only the sites give ids).
 */
function scriptUrls(_s: HeapSnapshot, sites: LeakSite[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const site of sites) if (site && site.url) out.set(Number(site.scriptId), site.url);
  return out;
}
