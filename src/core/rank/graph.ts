// The static import graph of the ranked modules, for ordering modules of equal score by real
// signal: whether an entry point of the package (package.json main, bin, exports) loads the
// module at startup through top-level imports, and how many ranked modules import it.
import * as fs from 'fs';
import * as path from 'path';
import { elidedByTs, loadTimeImports } from './score';
import type { FileSignals } from './types';

export interface ImportGraph {
  /** Modules an entry point loads at startup (the entries included); undefined when no package.json names an entry. */
  startup?: Set<string>;
  /** How many other ranked modules import each module (any import that is not erased as type-only). */
  importedBy: Map<string, number>;
}

const EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** TypeScript sources imported with the extension of what they compile to (`./x.js` for x.ts). */
const TS_FOR: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** The ranked file a relative specifier names, as Node or TypeScript would find it. */
function resolveLocal(from: string, specifier: string, ranked: Map<string, FileSignals>): string | undefined {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  if (ranked.has(base)) return base;
  const ext = path.extname(base);
  for (const alt of TS_FOR[ext] ?? []) {
    const f = base.slice(0, -ext.length) + alt;
    if (ranked.has(f)) return f;
  }
  for (const e of EXTS) if (ranked.has(base + e)) return base + e;
  for (const e of EXTS) if (ranked.has(path.join(base, `index${e}`))) return path.join(base, `index${e}`);
  return undefined;
}

/** The strings of package.json `main`, `module`, `bin` and `exports` (not type declarations), as paths. */
function entryPaths(dir: string, json: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string') {
      if (!/\.d\.[cm]?ts$/.test(v) && !v.includes('*')) out.push(path.resolve(dir, v));
    } else if (v && typeof v === 'object') {
      for (const x of Object.values(v as Record<string, unknown>)) add(x);
    }
  };
  add(json.main ?? 'index.js');
  add(json.module);
  add(json.bin);
  add(json.exports);
  return out;
}

/** Entry modules of every package.json from each ranked file's folder up to the root. */
function entries(root: string, ranked: Map<string, FileSignals>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const file of ranked.keys()) {
    for (let dir = path.dirname(file); dir.startsWith(root) && !seen.has(dir); dir = path.dirname(dir)) {
      seen.add(dir);
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      } catch {
        if (dir === root) break;
        continue;
      }
      for (const p of entryPaths(dir, json)) {
        const f = ranked.has(p) ? p : resolveLocal(path.join(dir, 'package.json'), `./${path.relative(dir, p)}`, ranked);
        if (f) out.push(f);
      }
      if (dir === root) break;
    }
  }
  return out;
}

export function importGraph(root: string, ranked: Map<string, FileSignals>): ImportGraph {
  const importedBy = new Map<string, number>();
  const loads = new Map<string, string[]>();
  for (const s of ranked.values()) {
    const targets = new Set<string>();
    for (const i of s.imports) {
      if (i.typeOnly || elidedByTs(s, i)) continue;
      const f = resolveLocal(s.path, i.specifier, ranked);
      if (f && f !== s.path) targets.add(f);
    }
    for (const f of targets) importedBy.set(f, (importedBy.get(f) ?? 0) + 1);
    const atLoad = new Set<string>();
    for (const i of loadTimeImports(s)) {
      const f = resolveLocal(s.path, i.specifier, ranked);
      if (f && f !== s.path) atLoad.add(f);
    }
    loads.set(s.path, [...atLoad]);
  }
  const starts = entries(root, ranked);
  if (!starts.length) return { importedBy };
  const startup = new Set<string>(starts);
  const queue = [...starts];
  while (queue.length) {
    for (const f of loads.get(queue.pop()!) ?? []) {
      if (!startup.has(f)) { startup.add(f); queue.push(f); }
    }
  }
  return { startup, importedBy };
}
