// The frame table shared by all trees of a model: one entry per function (name + file + line,
// after source mapping), so the same function merges across stacks, processes and profile kinds.
import type { CategoryKind } from '../../protocol/flame';
import { blockingCall } from './blocking';
import { classify, displayPath, urlToPath } from './classify';
import type { SourceMapper } from './sourceMaps';
import type { ModelFrame } from './types';

const TS_SOURCE = /\.(ts|tsx|mts|cts)$/;

export class FrameTable {
  readonly frames: ModelFrame[] = [];
  private readonly index = new Map<string, number>();
  /** Classification and display path per file: path.relative is slow and files repeat a lot. */
  private readonly urlPaths = new Map<string, string | undefined>();
  private readonly places = new Map<string, { kind: CategoryKind; pkg?: string; file: string }>();

  constructor(readonly root: string, private readonly mapper: SourceMapper) {}

  /** A frame from a profile call frame; line and column 1-based (0 when unknown). */
  fromCallFrame(functionName: string, url: string, line: number, column: number): number {
    let generatedPath = this.urlPaths.get(url);
    if (generatedPath === undefined && !this.urlPaths.has(url)) this.urlPaths.set(url, (generatedPath = urlToPath(url)));
    let filePath = generatedPath;
    let source = url;
    let generated: ModelFrame['generated'];
    let mapped = false;
    if (generatedPath && line > 0) {
      const pos = this.mapper.map(generatedPath, line, column, functionName);
      if (pos) {
        mapped = true;
        generated = { path: generatedPath, line, column };
        filePath = pos.path;
        source = pos.source;
        line = pos.line;
        column = pos.column;
      }
    }
    const { kind, pkg, file } = this.place(functionName, url, filePath, source);
    // Module code: the CommonJS wrapper / ESM body at 1:1, or (tsx) the unmapped wrapper on line 1.
    const isModule = functionName === '' && !!filePath && ((line === 1 && column <= 1) || (!mapped && line === 1 && TS_SOURCE.test(filePath)));
    const name = isModule ? `(module) ${file}` : functionName || (file ? '(anonymous)' : '(unknown)');
    const key = `${name}\0${filePath ?? url}\0${line}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.frames.length;
      const blocking = kind === 'node' || kind === 'native' ? blockingCall(functionName, url) : undefined;
      this.frames.push({ name, url, path: filePath, file, line, column, kind, pkg, generated, isModule: isModule || undefined, ...(blocking ? { blocking } : {}) });
      this.index.set(key, i);
    }
    return i;
  }

  private place(functionName: string, url: string, filePath: string | undefined, source: string): { kind: CategoryKind; pkg?: string; file: string } {
    if (!filePath) return { ...classify(functionName, url, filePath, this.root), file: source };
    let p = this.places.get(filePath);
    if (!p) this.places.set(filePath, (p = { ...classify('', url, filePath, this.root), file: displayPath(this.root, filePath) }));
    return p;
  }

  /** Original path of a generated position (1-based), without adding a frame; undefined when unmapped. */
  sourcePath(url: string, line: number, column: number): string | undefined {
    const generatedPath = urlToPath(url);
    return generatedPath ? this.mapper.map(generatedPath, line, column)?.path : undefined;
  }

  /** A frame that stands for something that is not code: the root, a process, a module. */
  synthetic(name: string, kind: CategoryKind, extra: Partial<ModelFrame> = {}): number {
    const key = `\0synthetic\0${kind}\0${name}\0${extra.path ?? ''}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.frames.length;
      this.frames.push({ name, url: '', file: '', line: 0, column: 0, kind, ...extra });
      this.index.set(key, i);
    }
    return i;
  }

  /** Original line of a generated line inside frame `f`'s file (positionTicks are generated). */
  originalLine(f: number, generatedLine: number): number {
    const frame = this.frames[f];
    const generatedPath = frame.generated?.path ?? frame.path;
    if (!generatedPath || !this.mapper.hasMap(generatedPath)) return generatedLine;
    const pos = this.mapper.mapLine(generatedPath, generatedLine);
    return pos && pos.path === frame.path ? pos.line : 0;
  }
}
