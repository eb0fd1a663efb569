// The scoring formula (also in docs/RANKING.md). Each factor is 0 to 10:
//   time  -> 10 * log10(1 + ms) / 3        (1 ms = 1, 10 ms = 3.5, 100 ms = 6.7, 1 s = 10)
//   bytes -> 2 * log2(1 + MB)              (1 MB = 2, 7 MB = 6, 31 MB = 10)
// A factor that rests only on static signals is an estimate and is capped at ESTIMATE_CAP, so any
// measured factor above that outranks every estimate. The module score is 70 % its best factor
// plus 30 % the mean of the other four: one big problem matters most, several smaller ones add.
import * as path from 'path';
import { knownHeavy, packageSize, PackageSize } from './heavy';
import { samplingError } from '../stats/sampling';
import { MeasuredIndex } from './measured';
import { recommend } from './patterns';
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

function factor(score: number, evidence: string[], measured: boolean): Factor {
  const capped = measured ? score : Math.min(score, ESTIMATE_CAP);
  return { score: round1(Math.max(0, capped)), evidence: evidence.slice(0, MAX_EVIDENCE), measured };
}

/** TypeScript drops an `import` whose names are only used as types (unless verbatimModuleSyntax). */
function elidedByTs(s: FileSignals, i: ImportSite): boolean {
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
  measuredMs?: number;
  estimatedMs?: number;
  size?: PackageSize;
  score: number;
}

export function dependencyCosts(s: FileSignals, ctx: ScoreContext): DependencyCost[] {
  const measuredImports = ctx.measured?.importsBy.get(s.path) ?? [];
  const out: DependencyCost[] = [];
  for (const site of loadTimeImports(s)) {
    if (!site.pkg || site.pkg.startsWith('node:')) continue;
    const marker = `${path.sep}node_modules${path.sep}${site.pkg.split('/').join(path.sep)}${path.sep}`;
    const hits = measuredImports.filter((m) => m.file.includes(marker));
    // Who loaded a package first pays for it; without the import tree, every top-level importer is
    // shown the package's measured load time.
    const measuredMs = hits.length ? Math.max(...hits.map((h) => h.totalMs)) : ctx.measured?.packages.get(site.pkg);
    const known = knownHeavy(site.pkg);
    const size = packageSize(site.pkg, path.dirname(s.path), ctx.root, ctx.sizeCache);
    const score = measuredMs !== undefined ? timeScore(measuredMs)
      : known ? timeScore(known.estimatedMs)
      : size ? Math.min(bytesScore(size.bytes), 3) : 0;
    out.push({ site, measuredMs, estimatedMs: known?.estimatedMs, size, score });
  }
  return out.sort((a, b) => b.score - a.score);
}

function combine(scores: number[]): number {
  const sorted = [...scores].sort((a, b) => b - a);
  if (sorted.length < 2) return sorted[0] ?? 0;
  const rest = sorted.slice(1).reduce((a, b) => a + b, 0) / (sorted.length - 1);
  return Math.min(10, BEST_WEIGHT * sorted[0] + (1 - BEST_WEIGHT) * rest);
}

/** Several heavy imports: the heaviest plus a quarter of each other one. */
function combineDeps(scores: number[]): number {
  const sorted = [...scores].sort((a, b) => b - a);
  return Math.min(10, (sorted[0] ?? 0) + 0.25 * sorted.slice(1).reduce((a, b) => a + b, 0));
}

function heavyFactor(deps: DependencyCost[], s: FileSignals): Factor {
  const evidence = deps.filter((d) => d.score > 0).map((d) => {
    const what = `'${d.site.specifier}' loaded at top level (line ${d.site.line})`;
    const size = d.size ? `, ${mb(d.size.bytes)}${d.size.truncated ? '+' : ''} on disk (measured)` : '';
    if (d.measuredMs !== undefined) return `${what}: ${ms(d.measuredMs)} load (measured)${size}`;
    if (d.estimatedMs !== undefined) return `${what}: ~${ms(d.estimatedMs)} load (estimated, known heavy package)${size}`;
    return `${what}${size}`;
  });
  for (const i of s.imports) {
    if (!i.topLevel && i.pkg && knownHeavy(i.pkg)) evidence.push(`'${i.specifier}' already loaded lazily (line ${i.line})`);
  }
  const measured = deps.some((d) => d.measuredMs !== undefined);
  return factor(combineDeps(deps.map((d) => d.score)), evidence, measured);
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
  return factor(loops + 0.5 * large, sites.length ? sites : ['no allocations in loops found'], false);
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
    heavyDependencies: heavyFactor(deps, s),
    memory: memoryFactor(s, ctx),
    initComplexity: initFactor(s, ctx),
    cpu: cpuFactor(s, ctx),
  };
  const { patterns, risk, riskReasons } = recommend(s, deps, ctx);
  return {
    file: path.relative(ctx.root, s.path).split(path.sep).join('/'),
    path: s.path,
    score: round1(combine(FACTOR_NAMES.map((n) => factors[n].score))),
    risk,
    riskReasons,
    factors,
    patterns,
  };
}

/** Highest score first; ties by path so the order is stable. */
export function compareRanks(a: ModuleRank, b: ModuleRank): number {
  return b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}
