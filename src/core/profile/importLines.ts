// The measured load time of each import line of a file: `require('typescript')` gets the time
// typescript took to load when this file loaded it first (the import tree's child of this file's
// module). The import records carry no line, so the file's text is read for its specifiers and
// each is matched to the module it loaded (relative path, package name or built-in).
import { builtinModules } from 'module';
import * as path from 'path';
import { packageOf } from './classify';
import type { ProfileModel } from './types';

export interface ImportLine {
  /** 1-based line of the import in `text`. */
  line: number;
  /** The specifier as written. */
  request: string;
  /** Inclusive load time (what it loads included), ms; a lower bound when notMeasured. */
  totalMs: number;
  /** Its own load time, ms (evaluation, without what it loads). */
  selfMs: number;
  /** Some of its load time was not measured (an ES module that threw or was still loading). */
  notMeasured: boolean;
}

const SPECIFIERS = [
  /\brequire\s*\(\s*(['"`])([^'"`\s]+)\1\s*\)/g,
  /\bimport\s*\(\s*(['"`])([^'"`\s]+)\1\s*\)/g,
  /\bfrom\s*(['"])([^'"\s]+)\1/g,
  /^\s*import\s*(['"])([^'"\s]+)\1/g,
];

const BUILTINS = new Set(builtinModules);

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
}

function stripExt(p: string): string {
  return p.replace(/\.(c|m)?(j|t)sx?$|\.json$|\.node$/, '');
}

interface Loaded { path?: string; file: string; totalUs: number; selfUs: number; notMeasured: boolean }

/** Import lines of `absPath` (its current `text`) with the load times the run measured. */
export function importLinesForFile(model: ProfileModel, absPath: string, text: string): ImportLine[] {
  const tree = model.imports?.tree;
  if (!tree) return [];
  const want = path.resolve(absPath);
  // Nodes of this file's module (one per process that loaded it), then what each loaded first.
  const mine = new Uint8Array(tree.count);
  for (let n = 1; n < tree.count; n++) {
    const f = model.frames[tree.frame[n]];
    if (f?.isModule && f.path && path.resolve(f.path) === want) mine[n] = 1;
  }
  const loaded = new Map<string, Loaded>();
  for (let n = 1; n < tree.count; n++) {
    if (!mine[tree.parent[n]]) continue;
    const f = model.frames[tree.frame[n]];
    if (!f) continue;
    const key = f.path ?? f.file;
    const had = loaded.get(key);
    const notMeasured = !!f.notMeasured || (had?.notMeasured ?? false);
    // The slowest load when several processes loaded it.
    if (!had || tree.total[n] > had.totalUs) loaded.set(key, { path: f.path, file: f.file, totalUs: tree.total[n], selfUs: tree.self[n], notMeasured });
    else had.notMeasured = notMeasured;
  }
  if (!loaded.size) return [];
  const modules = [...loaded.values()];
  const dir = path.dirname(want);
  const find = (spec: string): Loaded | undefined => {
    const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
    if (spec.startsWith('node:') || BUILTINS.has(bare)) return modules.find((m) => !m.path && (m.file === `node:${bare}` || m.file === bare));
    if (spec.startsWith('.') || path.isAbsolute(spec)) {
      const target = path.resolve(dir, spec);
      return modules.find((m) => m.path && (m.path === target || stripExt(m.path) === stripExt(target)
        || (path.dirname(m.path) === target && /^index\./.test(path.basename(m.path)))));
    }
    const pkg = packageName(spec);
    return modules.find((m) => m.path && packageOf(m.path) === pkg);
  };
  const out: ImportLine[] = [];
  const used = new Set<Loaded>();
  text.split('\n').forEach((lineText, i) => {
    for (const re of SPECIFIERS) {
      re.lastIndex = 0;
      for (let m = re.exec(lineText); m; m = re.exec(lineText)) {
        const hit = find(m[2]);
        if (!hit || used.has(hit)) continue;
        used.add(hit);
        out.push({ line: i + 1, request: m[2], totalMs: hit.totalUs / 1000, selfMs: hit.selfUs / 1000, notMeasured: hit.notMeasured });
        return;
      }
    }
  });
  return out;
}
