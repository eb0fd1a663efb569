// The scoring formula (also in docs/RANKING.md). Each factor is 0 to 10:
//   time  -> 10 * log10(1 + ms) / 3        (1 ms = 1, 10 ms = 3.5, 100 ms = 6.7, 1 s = 10)
//   bytes -> 2 * log2(1 + MB)              (1 MB = 2, 7 MB = 6, 31 MB = 10)
// A factor that rests only on static signals is an estimate and is capped at ESTIMATE_CAP, so any
// measured factor above that outranks every estimate. The module score is 70 % its best factor
// plus 30 % the mean of the other four: one big problem matters most, several smaller ones add.
import * as fs from 'fs';
import * as path from 'path';
import { knownHeavy, packageSize, PackageSize } from './heavy';
import { samplingError } from '../stats/sampling';
import { MeasuredIndex } from './measured';
import { recommend } from './patterns';
import { roleOf } from './roles';
import { Factor, FACTOR_NAMES, FactorName, FileSignals, ImportSite, ModuleRank, TopLevelWork } from './types';

export const ESTIMATE_CAP = 6;
const BEST_WEIGHT = 0.7;
const INIT_WEIGHTS: Record<TopLevelWork['kind'], number> = {
  'sync-io': 2, 'json-parse': 1, 'large-literal': 1.5, instantiation: 1, loop: 1.5, 'require-in-loop': 2, call: 0.5,
};
const MAX_EVIDENCE = 6;

export const timeScore = (ms: number) => Math.min(10, (10 * Math.log10(1 + Math.max(0, ms))) / 3);
export const bytesScore = (bytes: number) => Math.min(10, 2 * Math.log2(1 + Math.max(0, bytes) / 1048576));
const round1 = (x: number) => Math.round(x * 10) / 10;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' ms';
const mb = (b: number) => (b / 1048576).toFixed(1) + ' MB';

export interface ScoreContext {
  root: string;
  measured?: MeasuredIndex;
  sizeCache: Map<string, PackageSize | null>;
}

/** Each factor's value before the estimate cap and rounding: it orders modules of equal score. */
const uncappedOf = new WeakMap<Factor, number>();

function factor(score: number, evidence: string[], measured: boolean): Factor {
  const capped = measured ? score : Math.min(score, ESTIMATE_CAP);
  const f = { score: round1(Math.max(0, capped)), evidence: evidence.slice(0, MAX_EVIDENCE), measured };
  uncappedOf.set(f, Math.max(0, score));
  return f;
}

/** TypeScript drops an `import` whose names are only used as types (unless verbatimModuleSyntax). */
export function elidedByTs(s: FileSignals, i: ImportSite): boolean {
  if (i.kind !== 'import' || i.bindings.length === 0 || !/\.[cm]?tsx?$/.test(s.path)) return false;
  const uses = i.bindings.map((b) => s.bindingUses[b]);
  return uses.every((u) => !u || u.top + u.fn === 0) && uses.some((u) => u && u.type > 0);
}

/** Top-level imports that run when the module loads (type-only, elided and dynamic ones cost nothing). */
export function loadTimeImports(s: FileSignals): ImportSite[] {
  return s.imports.filter((i) => i.topLevel && !i.typeOnly && i.kind !== 'dynamic-import' && !elidedByTs(s, i));
}

export interface DependencyCost {
  site: ImportSite;
  /** Measured inclusive load time of what this import loads, ms (0: a cache hit, see cachedBy). */
  measuredMs?: number;
  /** Known-heavy estimate (the package's main entry only, never a subpath). */
  estimatedMs?: number;
  /** Size on disk: the package's folder, or for a subpath the file it names. */
  size?: PackageSize;
  /** The ms a size on disk stands for (an estimate, at most SIZE_CAP_MS). */
  sizeMs?: number;
  /** A subpath import (`pkg/lib/x`): charged its own share, not the whole package. */
  subpath: boolean;
  /** In the measured run another module loaded it (first): this import costs nothing then. */
  cachedBy?: string;
  /** Whether this module itself ran in the measured run. */
  ran?: boolean;
  score: number;
}

/** An unknown package counts by its size on disk: at most a score of 3, about 6.9 ms. */
const SIZE_CAP_SCORE = 3;
const msOfScore = (score: number) => 10 ** ((3 * score) / 10) - 1;

/** What one import costs in ms for the factor: measured, else the known estimate, else the size. */
export function dependencyMs(d: DependencyCost): number {
  return d.measuredMs ?? d.estimatedMs ?? d.sizeMs ?? 0;
}

/** The file a subpath specifier names inside the package folder, when it is there as written (or + .js/.cjs/.mjs, /index.js). */
function subpathFile(pkgDir: string, pkg: string, specifier: string): string | undefined {
  const rest = specifier.slice(pkg.length + 1);
  const base = path.join(pkgDir, ...rest.split('/'));
  for (const f of [base, `${base}.js`, `${base}.cjs`, `${base}.mjs`, path.join(base, 'index.js')]) {
    try {
      if (fs.statSync(f).isFile()) return f;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

export function dependencyCosts(s: FileSignals, ctx: ScoreContext): DependencyCost[] {
  const m = ctx.measured;
  const measuredImports = m?.importsBy.get(s.path) ?? [];
  // Whether this module ran in the measured run (said in the evidence of a cache hit).
  const ran = !!m?.loaded.has(s.path);
  const out: DependencyCost[] = [];
  for (const site of loadTimeImports(s)) {
    if (!site.pkg || site.pkg.startsWith('node:')) continue;
    const subpath = site.specifier !== site.pkg;
    const marker = `${path.sep}node_modules${path.sep}${site.pkg.split('/').join(path.sep)}${path.sep}`;
    // What this module loaded first: the file the specifier names (by what it wrote, else any file of the package for its main entry).
    const hits = measuredImports.filter((h) => h.file.includes(marker) && (h.request !== undefined ? h.request === site.specifier : !subpath));
    let measuredMs: number | undefined;
    let cachedBy: string | undefined;
    if (hits.length) {
      measuredMs = Math.max(...hits.map((h) => h.totalMs));
    } else if (m) {
      const other = subpath ? m.requests.get(site.specifier) : m.packages.get(site.pkg);
      if (other?.by && other.by !== s.path) {
        // Another module loaded it in the measured run: when this one ran (or would run) it
        // was in the cache, a cache hit.
        measuredMs = 0;
        cachedBy = other.by;
      } else if (other) {
        // Measured without the import tree (a CPU profile's module frames): what loading it cost.
        measuredMs = other.totalMs;
      }
    }
    const known = subpath ? undefined : knownHeavy(site.pkg);
    const pkgSize = packageSize(site.pkg, path.dirname(s.path), ctx.root, ctx.sizeCache);
    let size = pkgSize;
    if (subpath) {
      const file = pkgSize && subpathFile(pkgSize.dir, site.pkg, site.specifier);
      size = undefined;
      if (file) {
        try {
          size = { bytes: fs.statSync(file).size, files: 1, truncated: false, dir: file };
        } catch {
          // vanished: no size
        }
      }
    }
    const sizeMs = size ? msOfScore(Math.min(bytesScore(size.bytes), SIZE_CAP_SCORE)) : undefined;
    const d: DependencyCost = { site, measuredMs, estimatedMs: known?.estimatedMs, size, sizeMs, subpath, cachedBy, ran, score: 0 };
    d.score = timeScore(dependencyMs(d));
    out.push(d);
  }
  return out.sort((a, b) => b.score - a.score);
}

function combine(scores: number[]): number {
  const sorted = [...scores].sort((a, b) => b - a);
  if (sorted.length < 2) return sorted[0] ?? 0;
  const rest = sorted.slice(1).reduce((a, b) => a + b, 0) / (sorted.length - 1);
  return Math.min(10, BEST_WEIGHT * sorted[0] + (1 - BEST_WEIGHT) * rest);
}

/** Several heavy imports, in ms: the heaviest plus a quarter of each other one (then scaled once). */
function combinedDependencyMs(deps: DependencyCost[]): number {
  const ms = deps.map(dependencyMs).sort((a, b) => b - a);
  return (ms[0] ?? 0) + 0.25 * ms.slice(1).reduce((a, b) => a + b, 0);
}

function heavyFactor(deps: DependencyCost[], s: FileSignals, ctx: ScoreContext): Factor {
  const evidence = deps.filter((d) => d.score > 0 || d.cachedBy).map((d) => {
    const what = `'${d.site.specifier}' loaded at top level (line ${d.site.line})`;
    const onDisk = d.size ? `${mb(d.size.bytes)}${d.size.truncated ? '+' : ''} on disk (measured${d.subpath ? ', that file' : ''})` : '';
    const size = onDisk ? `, ${onDisk}` : '';
    const by = d.cachedBy && path.relative(ctx.root, d.cachedBy).split(path.sep).join('/');
    if (by && d.ran) return `${what}: already loaded by ${by} when this module ran: no load time here (measured)`;
    if (by) return `${what}: loaded by ${by} in the measured run (this module did not run there): no load time here once that has run`;
    if (d.measuredMs !== undefined) return `${what}: ${ms(d.measuredMs)} load (measured)${size}`;
    if (d.estimatedMs !== undefined) return `${what}: ~${ms(d.estimatedMs)} load (estimated, known heavy package)${size}`;
    return `${what}: ~${ms(d.sizeMs ?? 0)} (estimated from ${onDisk || 'its size'})`;
  });
  for (const i of s.imports) {
    if (!i.topLevel && i.pkg && knownHeavy(i.pkg)) evidence.push(`'${i.specifier}' already loaded lazily (line ${i.line})`);
  }
  const measured = deps.some((d) => d.measuredMs !== undefined);
  return factor(timeScore(combinedDependencyMs(deps)), evidence, measured);
}

function startupFactor(s: FileSignals, deps: DependencyCost[], ctx: ScoreContext): Factor {
  const m = ctx.measured?.files.get(s.path);
  if (m?.loadTotalMs !== undefined) {
    // What this module is responsible for: its own evaluation plus the packages it pulls in.
    // Local modules it imports are ranked on their own, so they are not counted twice.
    const self = m.loadSelfMs ?? m.loadTotalMs;
    const pkgMs = deps.reduce((a, d) => a + (d.measuredMs ?? 0), 0);
    const evidence = [`loads in ${ms(m.loadTotalMs)} inclusive, ${ms(self)} self (measured once, ${ctx.measured!.label})`];
    if (pkgMs > 0) evidence.push(`${ms(pkgMs)} of it loading packages it imports directly (measured)`);
    return factor(timeScore(self + pkgMs), evidence, true);
  }
  const imports = loadTimeImports(s);
  const packages = imports.filter((i) => i.pkg && !i.pkg.startsWith('node:'));
  const est = deps.reduce((a, d) => a + (d.measuredMs ?? d.estimatedMs ?? 0.5), 0) + 0.1 * (imports.length - packages.length);
  const evidence = imports.length === 0 ? ['no imports evaluated at load'] :
    [`~${ms(est)} at load (estimated): ${imports.length} top-level import(s)${packages.length ? `, packages: ${[...new Set(packages.map((p) => p.pkg))].slice(0, 5).join(', ')}` : ''}`];
  if (ctx.measured) evidence.push(`not seen loading in ${ctx.measured.label}`);
  return factor(timeScore(est), evidence, false);
}

function initFactor(s: FileSignals, ctx: ScoreContext): Factor {
  const m = ctx.measured?.files.get(s.path);
  const evidence = s.topLevelWork.map((w) => `line ${w.line}: ${w.detail}`);
  if (m?.loadSelfMs !== undefined) {
    return factor(timeScore(m.loadSelfMs), [`${ms(m.loadSelfMs)} of its own work at load (measured)`, ...evidence], true);
  }
  // Plain calls at load are often the program itself (an entry point): they add at most 2.
  const calls = s.topLevelWork.filter((w) => w.kind === 'call').length * INIT_WEIGHTS.call;
  const sum = s.topLevelWork.filter((w) => w.kind !== 'call').reduce((a, w) => a + INIT_WEIGHTS[w.kind], 0) + Math.min(2, calls);
  return factor(sum, evidence.length ? evidence : ['no top-level work'], false);
}

function memoryFactor(s: FileSignals, ctx: ScoreContext): Factor {
  const m = ctx.measured?.files.get(s.path);
  const sites = s.loopAllocations.map((a) => `line ${a.line}: ${a.detail} (allocation in a loop)`);
  if (m?.allocBytes !== undefined) {
    const hot = (m.hotLines ?? []).filter((h) => h.bytes).sort((a, b) => b.bytes! - a.bytes!).slice(0, 3)
      .map((h) => `line ${h.line} ${h.name}: ${mb(h.bytes!)} allocated (measured)`);
    return factor(bytesScore(m.allocBytes), [`${mb(m.allocBytes)} allocated (measured, ${ctx.measured!.label})`, ...hot, ...sites], true);
  }
  const large = s.topLevelWork.filter((w) => w.kind === 'large-literal').length;
  const loops = s.loopAllocations.reduce((sum, a) => sum + (a.depth >= 2 ? 1.5 : 0.75), 0);
  const f = factor(loops + 0.5 * large, sites.length ? sites : ['no allocations in loops found'], false);
  // A run without heap sampling: its memory is not captured, which is no 0 (and no measurement).
  if (ctx.measured && !ctx.measured.heapCaptured) {
    return { ...f, evidence: [`memory: not captured in ${ctx.measured.label} (no heap sampling; profile with --heap, or the setting hotpath.capture.heap); the score is the static estimate`, ...f.evidence].slice(0, MAX_EVIDENCE), notCaptured: true };
  }
  return f;
}

function cpuFactor(s: FileSignals, ctx: ScoreContext): Factor {
  const m = ctx.measured?.files.get(s.path);
  const memo = s.memoCandidates.map((c) => `line ${c.line}: ${c.detail}`);
  if (m?.cpuSelfMs !== undefined) {
    const total = m.cpuTotalMs !== undefined ? `, ${ms(m.cpuTotalMs)} total` : '';
    const hot = (m.hotLines ?? []).filter((h) => h.selfMs).sort((a, b) => b.selfMs! - a.selfMs!).slice(0, 3)
      .map((h) => `line ${h.line} ${h.name}: ${ms(h.selfMs!)} self (measured)`);
    // Sampling error of a sampled time: about t / sqrt(samples).
    const spread = m.cpuSamples ? ` ±${ms(samplingError(m.cpuSelfMs, m.cpuSamples))} (${m.cpuSamples} samples)` : '';
    return factor(timeScore(m.cpuSelfMs), [`${ms(m.cpuSelfMs)}${spread} self CPU${total} (measured, ${ctx.measured!.label})`, ...hot, ...memo], true);
  }
  return factor(1.5 * s.memoCandidates.length, memo.length ? memo : ['no repeated work found (CPU needs a profile run to measure)'], false);
}

export function scoreModule(s: FileSignals, ctx: ScoreContext): ModuleRank {
  const deps = dependencyCosts(s, ctx);
  const factors: Record<FactorName, Factor> = {
    startupImpact: startupFactor(s, deps, ctx),
    heavyDependencies: heavyFactor(deps, s, ctx),
    memory: memoryFactor(s, ctx),
    initComplexity: initFactor(s, ctx),
    cpu: cpuFactor(s, ctx),
  };
  const { patterns, risk, riskReasons } = recommend(s, deps, ctx);
  const file = path.relative(ctx.root, s.path).split(path.sep).join('/');
  return {
    file,
    path: s.path,
    score: round1(combine(FACTOR_NAMES.map((n) => factors[n].score))),
    risk,
    riskReasons,
    factors,
    patterns,
    role: roleOf(file),
    tieBreak: { uncapped: Math.round(100 * combine(FACTOR_NAMES.map((n) => uncappedOf.get(factors[n]) ?? factors[n].score))) / 100, startup: null, importedBy: 0 },
  };
}

/**
 * Highest score first; equal scores by real signal (ModuleRank.tieBreak): the uncapped score,
 * then loaded at startup by an entry point, then imported by more modules; last by path so the
 * order is stable.
 */
export function compareRanks(a: ModuleRank, b: ModuleRank): number {
  const ta = a.tieBreak, tb = b.tieBreak;
  return b.score - a.score
    || (tb?.uncapped ?? b.score) - (ta?.uncapped ?? a.score)
    || Number(tb?.startup === true) - Number(ta?.startup === true)
    || (tb?.importedBy ?? 0) - (ta?.importedBy ?? 0)
    || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}
