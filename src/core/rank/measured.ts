// Normalises measured data (a profile summary, import times) into per-file numbers keyed by
// absolute path, so the scorer can look them up for each scanned module.
import * as path from 'path';
import { fileURLToPath } from 'url';
import { MeasuredData, MeasuredFile } from './types';

/** A measured load of a package (or of one of its files, for a subpath import). */
export interface PackageLoad {
  /** Inclusive load time, ms. */
  totalMs: number;
  /** The module that loaded it first (absolute path), when the import tree says. */
  by?: string;
}

export interface MeasuredIndex {
  label: string;
  files: Map<string, MeasuredFile>;
  /** Load time of each imported file, by importer (the module that loaded it first): importer -> [{file, totalMs}]. */
  importsBy: Map<string, { file: string; totalMs: number; selfMs: number; request?: string }[]>;
  /**
   * Inclusive load time of each npm package: its entry module, loaded from outside the package
   * (the slowest when several processes loaded it), and who loaded it. Without parents (a CPU
   * profile's module frames): its slowest-loading file.
   */
  packages: Map<string, PackageLoad>;
  /** The same per specifier written by importers (a subpath such as `lodash/map`, or the package name). */
  requests: Map<string, PackageLoad>;
  /** Modules the import timing saw loading (absolute paths): an import of theirs that loaded nothing was a cache hit. */
  loaded: Set<string>;
  totalMs?: number;
  /** The data has allocation sites (the run sampled the heap). */
  heapCaptured: boolean;
}

/** Names V8 gives the top-level frame of a module evaluation (CommonJS wrapper and ESM). */
const MODULE_FRAME_NAMES = new Set(['', '(anonymous)', '(module)', '(root)', '(anonymous function)']);

export function normalizePath(file: string, root: string): string | undefined {
  if (!file || file.startsWith('node:') || file.startsWith('internal/')) return undefined;
  let p = file;
  if (p.startsWith('file://')) {
    try {
      p = fileURLToPath(p);
    } catch {
      return undefined;
    }
  }
  return path.resolve(root, p);
}

/** `.../node_modules/@scope/name/lib/x.js` -> `@scope/name` (the innermost node_modules). */
export function packageFromPath(p: string): string | undefined {
  const parts = p.split(/[\\/]/);
  const i = parts.lastIndexOf('node_modules');
  if (i < 0 || i + 1 >= parts.length) return undefined;
  return parts[i + 1].startsWith('@') && i + 2 < parts.length ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
}

/** Both files under the same node_modules/<pkg> folder (not two installs of one package). */
function sameInstall(a: string, b: string): boolean {
  const dirOf = (p: string) => {
    const parts = p.split(/[\\/]/);
    const i = parts.lastIndexOf('node_modules');
    return parts.slice(0, i + (parts[i + 1]?.startsWith('@') ? 3 : 2)).join('/');
  };
  return dirOf(a) === dirOf(b);
}

export function indexMeasured(data: MeasuredData, root: string): MeasuredIndex {
  const files = new Map<string, MeasuredFile>();
  const get = (file: string) => {
    const p = normalizePath(file, root);
    if (!p) return undefined;
    let m = files.get(p);
    if (!m) files.set(p, (m = {}));
    return m;
  };
  const fromModules = new Set<string>();
  for (const m of data.modules ?? []) {
    const f = get(m.file);
    if (!f) continue;
    f.cpuSelfMs = (f.cpuSelfMs ?? 0) + m.selfMs;
    f.cpuTotalMs = Math.max(f.cpuTotalMs ?? 0, m.totalMs);
    fromModules.add(normalizePath(m.file, root)!);
  }
  for (const fn of data.topFunctions ?? []) {
    const p = normalizePath(fn.file, root);
    const f = p && get(fn.file);
    if (!f || !p) continue;
    if (!fromModules.has(p)) {
      f.cpuSelfMs = (f.cpuSelfMs ?? 0) + fn.selfMs;
      if (fn.samples) f.cpuSamples = (f.cpuSamples ?? 0) + fn.samples;
      f.cpuTotalMs = Math.max(f.cpuTotalMs ?? 0, fn.totalMs);
    }
    // The module's own top-level frame is its evaluation: a measured load time.
    if (MODULE_FRAME_NAMES.has(fn.name) && fn.line <= 1) {
      f.loadTotalMs ??= fn.totalMs;
      f.loadSelfMs ??= fn.selfMs;
    } else {
      (f.hotLines ??= []).push({ line: fn.line, selfMs: fn.selfMs, name: fn.name || '(anonymous)' });
    }
  }
  for (const a of data.allocations ?? []) {
    const f = get(a.file);
    if (!f) continue;
    f.allocBytes = (f.allocBytes ?? 0) + a.bytes;
    (f.hotLines ??= []).push({ line: a.line, bytes: a.bytes, name: a.name || '(anonymous)' });
  }
  const importsBy: MeasuredIndex['importsBy'] = new Map();
  const packages: MeasuredIndex['packages'] = new Map();
  const requests: MeasuredIndex['requests'] = new Map();
  const loaded = new Set<string>();
  const keep = (map: Map<string, PackageLoad>, key: string, load: PackageLoad) => {
    const had = map.get(key);
    if (!had || load.totalMs > had.totalMs) map.set(key, load);
  };
  for (const im of data.imports ?? []) {
    const p = normalizePath(im.file, root);
    if (!p || im.totalMs < 0) continue;
    loaded.add(p);
    // Import times win over profile frames: they include resolve and read, not only evaluation.
    const f = get(im.file)!;
    f.loadTotalMs = im.totalMs;
    f.loadSelfMs = im.selfMs;
    const parent = im.parent ? normalizePath(im.parent, root) : undefined;
    const pkg = packageFromPath(p);
    // A package's load is that of its entry: the file loaded from outside the package (a file
    // it loads itself is part of that time). Without a parent, every file counts.
    if (pkg && (!parent || packageFromPath(parent) !== pkg || !sameInstall(p, parent))) keep(packages, pkg, { totalMs: im.totalMs, ...(parent ? { by: parent } : {}) });
    if (im.request && parent) keep(requests, im.request, { totalMs: im.totalMs, by: parent });
    if (parent) {
      const list = importsBy.get(parent) ?? [];
      list.push({ file: p, totalMs: im.totalMs, selfMs: im.selfMs, ...(im.request ? { request: im.request } : {}) });
      importsBy.set(parent, list);
    }
  }
  return { label: data.label ?? 'profile run', files, importsBy, packages, requests, loaded, totalMs: data.totalMs, heapCaptured: (data.allocations?.length ?? 0) > 0 };
}
