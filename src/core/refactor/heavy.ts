// Which imports are heavy: measured load times from a Hotpath run (imports file or CPU
// profile), or a short built-in list of packages that are slow to load. The list is an
// estimate and every fix that relies on it says so.
import * as fs from 'fs';
import * as path from 'path';
import type { HeavyModule } from './types';
import { packageName } from './project';
import { packageOf, urlToPath } from '../profile/classify';
import { KNOWN_HEAVY_PACKAGES, LAZY_LOAD_MIN_ESTIMATED_MS } from '../knownHeavy';

/** Packages worth a lazy-load fix from the shared known-heavy table (estimates). */
export const KNOWN_HEAVY: readonly string[] = Object.entries(KNOWN_HEAVY_PACKAGES)
  .filter(([, info]) => info.estimatedMs >= LAZY_LOAD_MIN_ESTIMATED_MS)
  .map(([name]) => name);

/** The package itself (its main entry): a subpath (`lodash/map`) loads one file of it, not what the estimate is for. */
export function knownHeavy(specifier: string): HeavyModule | undefined {
  const name = packageName(specifier);
  return name && name === specifier && KNOWN_HEAVY.includes(name) ? { measured: false } : undefined;
}

/** Package name of a file path or file:// URL inside node_modules (the profile model's rule). */
function packageOfPath(file: string): string | undefined {
  return packageOf(urlToPath(file) ?? file);
}

function add(map: Map<string, HeavyModule>, key: string, ms: number): void {
  const prev = map.get(key);
  if (!prev || (prev.ms ?? 0) < ms) map.set(key, { ms, measured: true });
}

/**
 * Reads measured load times. Accepts a runner `*.imports.json`, a `.cpuprofile` (module
 * top-level frames: function "" at line 0), or a folder of them. Keys: package names for
 * dependencies, absolute paths for the workspace's own files. Times are inclusive, in ms.
 */
export function readHeavyFromProfile(file: string, minMs = 10): Map<string, HeavyModule> {
  const map = new Map<string, HeavyModule>();
  const stat = fs.statSync(file);
  let files = [file];
  if (stat.isDirectory()) {
    const names = fs.readdirSync(file);
    // Import timings are exact and small; CPU profiles only when a run has none.
    const imports = names.filter((f) => f.endsWith('.imports.json'));
    files = (imports.length ? imports : names.filter((f) => f.endsWith('.cpuprofile'))).map((f) => path.join(file, f));
  }
  if (files.length === 0) throw new Error(`${file}: no *.imports.json or *.cpuprofile files in this folder.`);
  for (const f of files) {
    let data: Record<string, unknown>;
    try { data = JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) {
      throw new Error(`${f}: not a readable profile (${e instanceof Error ? e.message : e}). Pass a Hotpath *.imports.json or a .cpuprofile.`);
    }
    if (Array.isArray(data.modules)) readImports(data.modules as ImportLike[], map);
    else if (Array.isArray(data.nodes) && Array.isArray(data.samples)) readCpuProfile(data as unknown as CpuProfileLike, map);
    else throw new Error(`${f}: neither an imports file ({modules: [...]}) nor a .cpuprofile ({nodes, samples}).`);
  }
  for (const [key, value] of map) if ((value.ms ?? 0) < minMs) map.delete(key);
  return map;
}

interface ImportLike { file: string; parent: string | null; totalUs: number }

function readImports(modules: ImportLike[], map: Map<string, HeavyModule>): void {
  for (const m of modules) {
    if (typeof m.file !== 'string' || !(m.totalUs >= 0)) continue;
    const pkg = packageOfPath(m.file);
    const parentPkg = m.parent ? packageOfPath(m.parent) : undefined;
    // A package's cost is what loading it from outside cost (its entry, children included).
    if (pkg && parentPkg !== pkg) add(map, pkg, m.totalUs / 1000);
    if (!pkg && !m.file.startsWith('node:')) add(map, path.resolve(m.file), m.totalUs / 1000);
  }
}

interface CpuProfileLike {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Inclusive time under each module's top-level frame, summed per package. */
function readCpuProfile(profile: CpuProfileLike, map: Map<string, HeavyModule>): void {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const walk = (id: number, openPkg: string | undefined): number => {
    const node = byId.get(id);
    if (!node) return 0;
    const cf = node.callFrame;
    const isModuleFrame = cf.functionName === '' && cf.lineNumber === 0 && cf.url !== '';
    const pkg = isModuleFrame ? packageOfPath(cf.url) : undefined;
    let total = self.get(id) ?? 0;
    const entering = pkg && pkg !== openPkg ? pkg : undefined;
    for (const c of node.children ?? []) total += walk(c, entering ?? openPkg);
    if (entering) totals.set(entering, (totals.get(entering) ?? 0) + total);
    return total;
  };
  walk(profile.nodes[0].id, undefined);
  for (const [pkg, us] of totals) add(map, pkg, us / 1000);
}
