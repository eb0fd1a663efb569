// Maps generated locations back to original sources with @jridgewell/trace-mapping (synchronous,
// no WASM, several times faster than `source-map`). One TraceMap per generated file, built on
// first use. A missing or broken map is never an error: the frame keeps its generated location
// and the model gets a note saying which file and why.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { TraceMap, decodedMappings, originalPositionFor, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND } from '@jridgewell/trace-mapping';
import { transpileCandidates, type TranspileCandidate } from './transpiledMaps';

export interface MappedPosition {
  /** Absolute path when the source is on disk; otherwise undefined and `source` says what it is. */
  path?: string;
  source: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

const TS_SOURCE = /\.(ts|tsx|mts|cts)$/;

export class SourceMapper {
  private readonly maps = new Map<string, TraceMap | null>();
  /** Per generated file: mapLine answers, and the map's sources as paths (both asked per tick). */
  private readonly lineCache = new Map<string, Map<number, MappedPosition | undefined>>();
  private readonly sourcePaths = new Map<TraceMap, (string | undefined)[]>();
  private readonly paths = new Map<string, string | undefined>();
  /** .ts files run by tsx or ts-node, until a named frame tells which compiler produced them. */
  private readonly undecided = new Map<string, TranspileCandidate[]>();

  constructor(private readonly note: (message: string) => void) {}

  /** Maps a 1-based line and column of a generated file; undefined when there is no mapping. */
  map(file: string, line: number, column: number, functionName = ''): MappedPosition | undefined {
    if (functionName) this.decide(file, line, column, functionName);
    const map = this.mapFor(file);
    if (!map) return undefined;
    const col = Math.max(0, column - 1);
    let pos = originalPositionFor(map, { line, column: col, bias: GREATEST_LOWER_BOUND });
    if (pos.source === null) pos = originalPositionFor(map, { line, column: col, bias: LEAST_UPPER_BOUND });
    if (pos.source === null || pos.line === null) return undefined;
    return { path: this.pathOf(pos.source), source: pos.source, line: pos.line, column: (pos.column ?? 0) + 1 };
  }

  /** fileURLToPath is slow next to a lookup: resolve each source once. */
  private pathOf(source: string): string | undefined {
    if (this.paths.has(source)) return this.paths.get(source);
    const p = sourceToPath(source);
    this.paths.set(source, p);
    return p;
  }

  /**
   * Original line of a generated line (positionTicks carry lines only, no columns). Undefined
   * when the generated line holds code from several original lines (minified output, tsx's
   * whitespace-minified transpile): any single answer would be a guess.
   */
  mapLine(file: string, line: number): MappedPosition | undefined {
    let cache = this.lineCache.get(file);
    if (!cache) this.lineCache.set(file, (cache = new Map()));
    if (cache.has(line)) return cache.get(line);
    const pos = this.computeLine(file, line);
    cache.set(line, pos);
    return pos;
  }

  private computeLine(file: string, line: number): MappedPosition | undefined {
    const map = this.mapFor(file);
    if (!map) return undefined;
    const segments = decodedMappings(map)[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let source = -1, original = -1;
    for (const seg of segments) {
      if (seg.length < 4) continue;
      if (source === -1) { source = seg[1]!; original = seg[2]!; }
      else if (seg[1] !== source || seg[2] !== original) return undefined;
    }
    if (source < 0) return undefined;
    let paths = this.sourcePaths.get(map);
    if (!paths) this.sourcePaths.set(map, (paths = map.resolvedSources.map((s) => (s === null ? undefined : sourceToPath(s)))));
    const src = map.resolvedSources[source] ?? map.sources[source] ?? '';
    return { path: paths[source], source: src, line: original + 1, column: 1 };
  }

  hasMap(file: string): boolean {
    return this.mapFor(file) !== null;
  }

  private mapFor(file: string): TraceMap | null {
    let map = this.maps.get(file);
    if (map === undefined) {
      map = this.load(file);
      this.maps.set(file, map);
    }
    return map;
  }

  private load(file: string): TraceMap | null {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return null; // Not on disk (deleted, or another machine): nothing to map, nothing to say.
    }
    // Searched in the bytes: decoding a big bundle without a map (typescript's 6-9 MB files) to a
    // string cost more than the rest of reading a run's profile (issue 17).
    const ref = findSourceMappingUrl(bytes);
    if (!ref) {
      // tsx and ts-node compile .ts files in memory: the profile shows the .ts path with
      // positions in code that exists nowhere on disk. Rebuild that code's map the same way.
      if (TS_SOURCE.test(file)) {
        const candidates = transpileCandidates(file, bytes.toString('utf8'));
        if (candidates.length === 0) this.note(`${file} ran through an in-memory TypeScript compiler that could not be reproduced here; its frames show positions in the compiled code.`);
        else this.undecided.set(file, candidates);
      }
      return null;
    }
    if (ref.startsWith('data:')) {
      return this.guard(file, 'its inline source map', () => new TraceMap(decodeDataUrl(ref), pathToFileURL(file).href));
    }
    const mapPath = ref.startsWith('file://') ? fileURLToPath(ref) : path.resolve(path.dirname(file), decodeURI(ref));
    if (!fs.existsSync(mapPath)) {
      // Published packages often reference maps they do not ship: not worth a note for them.
      if (!/[\\/]node_modules[\\/]/.test(file)) this.note(`The source map ${mapPath} referenced by ${file} is missing; its frames show generated locations. Rebuild ${path.basename(file)} with its map to see original lines.`);
      return null;
    }
    return this.guard(file, `source map ${mapPath}`, () => new TraceMap(fs.readFileSync(mapPath, 'utf8'), pathToFileURL(mapPath).href));
  }

  /** Picks the transpile whose code has `functionName` right before the frame's position. */
  private decide(file: string, line: number, column: number, functionName: string): void {
    if (!this.maps.has(file)) this.mapFor(file);
    const candidates = this.undecided.get(file);
    if (!candidates) return;
    const name = functionName.split('.').pop()!;
    const winner = candidates.find((c) => (c.lines[line - 1] ?? '').slice(0, Math.max(0, column - 1)).trimEnd().endsWith(name));
    if (!winner) return;
    this.undecided.delete(file);
    this.maps.set(file, winner.map);
    this.lineCache.delete(file);
  }

  private guard(file: string, what: string, build: () => TraceMap | null): TraceMap | null {
    try {
      return build();
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      this.note(`Could not read ${what} for ${file} (${why}); its frames show generated locations. Rebuild with source maps enabled to see original lines.`);
      return null;
    }
  }
}

/**
 * The last `sourceMappingURL` comment of a generated file (the spec says the last one wins). It
 * must be a comment of its own line: bundlers contain the same text inside string literals.
 */
export function findSourceMappingUrl(text: string | Buffer): string | undefined {
  const re = /^[ \t]*(?:\/\/[#@][ \t]*sourceMappingURL=([^\s'"]+)[ \t]*|\/\*[#@][ \t]*sourceMappingURL=([^\s'"*]+)[ \t]*\*\/[ \t]*)\r?$/;
  for (let end = text.length, tries = 0; end > 0 && tries < 20; tries++) {
    const at = text.lastIndexOf('sourceMappingURL=', end);
    if (at < 0) return undefined;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0) lineEnd = text.length;
    const m = re.exec(typeof text === 'string' ? text.slice(lineStart, lineEnd) : text.toString('utf8', lineStart, lineEnd));
    if (m) return m[1] ?? m[2];
    end = at - 1;
  }
  return undefined;
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(',');
  if (comma < 0) throw new Error('malformed data: URL');
  const meta = url.slice(5, comma);
  const body = url.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
}

function sourceToPath(source: string): string | undefined {
  if (source.startsWith('file://')) {
    try {
      return fileURLToPath(source);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(source) ? source : undefined;
}
