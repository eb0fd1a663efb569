// A startup plan for the whole program: from measured runs of the startup command, which
// modules can leave the startup path entirely, the one batch of lazy-load edits (across every
// eager importer) that takes them out, and the predicted saving (the measured self load time
// of what leaves). A lazy-load that would leave its module loaded anyway (another importer
// still loads it at startup) is not part of the plan: it is listed as "defers only".
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
// The refactor engine's modules, not its index: the index re-exports this plan (one engine bundle).
import { analyzeFile, isSourceFile, syntaxErrors } from '../refactor/analyze';
import { applyFixes } from '../refactor/apply';
import { createProjectLookup } from '../refactor/project';
import type { Fix, ProjectLookup } from '../refactor/types';
import { displayPath, isInside, packageOf } from '../profile/classify';
import { executedLookup } from './coverage';
import { mergeFunctions, PlanInputError, type CoverageFunction, type RunFacts } from './facts';
import { solve, type Deferral, type Graph, type GraphEdge, type Solution } from './solve';
import { sharedShare } from './sharedWork';

/** Medians and range over the measured runs; `n` runs (1: no spread). */
export interface Spread { median: number; min: number; max: number; n: number; values: number[] }

export interface LeavingModule {
  /** Absolute path, or `node:x`. */
  file: string;
  /** Relative to the workspace, or the package name's path inside node_modules. */
  name: string;
  /** npm package, or null for the workspace's own files. */
  package: string | null;
  /** Measured self load time per run (ms); null when it was not measured (an untimed ES module). */
  selfMs: Spread | null;
  /**
   * Per run, the part of selfMs its top level spent in code of modules that stay (CPU profile):
   * work likely to move to them, not counted in the saving; null without a CPU profile.
   */
  sharedMs: Spread | null;
  /** Where that time went: the staying files, most first (at most 3; median ms over the runs). */
  sharedIn: { file: string; ms: number }[];
}

export interface StayingModule {
  file: string;
  name: string;
  package: string | null;
  selfMs: Spread | null;
  /** The staying importer that keeps it at startup, and why its edge cannot be deferred. */
  by: string;
  reason: string;
}

export interface PlanEdit {
  /** The importer to edit (absolute path). */
  file: string;
  /** The specifier its lazy loader keeps. */
  request: string;
  /** The module it loads (absolute path). */
  module: string;
  line: number;
}

/**
 * A lazy-load a per-file fix would offer although this file itself still loads the module at
 * startup (a use in a function that ran, or another require()/import() that ran): it defers
 * nothing. Not a plan edit; per-file fixes label it "defers only".
 */
export interface UsedAtStartup {
  file: string;
  line: number;
  request: string;
  module: string;
  reason: string;
}

/** A lazy-load that could be made but would not take its module out of startup. */
export interface DeferOnly {
  file: string;
  line: number;
  request: string;
  module: string;
  /** Who still loads it at startup, and why that edge stays. */
  stillLoadedBy: string;
  reason: string;
}

export interface StartupPlan {
  root: string;
  runs: { dir: string; command: string | null; processes: number }[];
  leaving: LeavingModule[];
  /** Modules that stay although at least one importer's edge to them could be deferred. */
  staying: StayingModule[];
  edits: PlanEdit[];
  deferOnly: DeferOnly[];
  /** Lazy-loads per-file fixes offer that defer nothing: the importer itself uses the module at startup. */
  usedAtStartup: UsedAtStartup[];
  /** The heaviest modules that stay (by measured self time, at most 10), with why: what keeps the startup as it is. */
  blockers: StayingModule[];
  /**
   * Estimated saving per measured run: the self load time of everything that leaves, less the
   * time their top levels spent in code of modules that stay (`shared`, when a CPU profile was
   * recorded). An estimate: `hotpath fixes --plan --apply --measure N` measures it.
   */
  saving: Spread;
  /** The self load time of everything that leaves, per run: the saving if no work moved. */
  savingSelf: Spread;
  /** Per run, what `saving` leaves out of `savingSelf`; null when no run has a CPU profile (not measured). */
  shared: Spread | null;
  /** The measured startup per run (wall ms, see RunFacts.wallMs); null when a run did not record it. */
  startup: Spread | null;
  /** `saving` as a share of `startup` per run (0..1); null with `startup`. */
  share: Spread | null;
  /** Leaving modules whose load time was not measured (not counted in `saving`). */
  unmeasured: number;
  notes: string[];
}

export interface PlanOptions {
  /** The workspace: only files inside it (and outside node_modules) are edited. */
  root: string;
  project?: ProjectLookup;
  /**
   * A leaving module whose departure saves less than this (ms, median over the runs, with what
   * only it pulled in) is kept, so the batch holds no edit that buys nothing (default: 1 ms or
   * 1 % of the measured startup, whichever is more).
   */
  minMs?: number;
}

interface ImporterAnalysis {
  /** Why nothing in this file can be deferred (not editable, does not parse, no coverage). */
  blocked?: string;
  fixes: Map<string, Fix>;
  /** Specifiers also loaded by a require()/import() outside the top-level imports that ran (or runs at load). */
  otherLoads: Map<string, string>;
}

export function spreadOf(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? 0 : s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0] ?? 0, max: s[s.length - 1] ?? 0, n: s.length, values };
}

/** The import graph of all runs together: a module, edge or ran function in any run counts. */
export function buildGraph(runs: RunFacts[]): Graph {
  const modules = new Set<string>();
  const edges = new Map<string, GraphEdge>();
  for (const run of runs) {
    for (const p of run.processes) {
      for (const m of p.modules.keys()) modules.add(m);
      for (const e of p.edges) {
        const key = `${e.from}\0${e.to}`;
        const known = edges.get(key);
        if (!known) {
          edges.set(key, { from: e.from, to: e.to, requests: [e.request], eager: e.eager, late: e.late, esm: !!e.esm });
          continue;
        }
        if (!known.requests.includes(e.request)) known.requests.push(e.request);
        known.eager ||= e.eager;
        known.late ||= e.late;
        known.esm ||= !!e.esm;
      }
    }
  }
  const loaded = new Set<string>();
  for (const e of edges.values()) if (e.from !== e.to) loaded.add(e.to);
  const roots = new Set([...modules].filter((m) => !loaded.has(m)));
  return { modules, roots, edges: [...edges.values()] };
}

function coverageByFile(runs: RunFacts[]): Map<string, CoverageFunction[]> | undefined {
  let any = false;
  const out = new Map<string, CoverageFunction[]>();
  for (const run of runs) {
    for (const p of run.processes) {
      if (!p.coverage) continue;
      any = true;
      for (const [file, fns] of p.coverage) out.set(file, mergeFunctions(out.get(file) ?? [], fns));
    }
  }
  return any ? out : undefined;
}

/** require('x') / import('x') calls that are not one of the file's top-level import statements. */
function otherLoadSites(sf: ts.SourceFile, topLevel: Set<ts.Node>): { specifier: string; offset: number; inFunction: boolean }[] {
  const out: { specifier: string; offset: number; inFunction: boolean }[] = [];
  const visit = (n: ts.Node, inFunction: boolean) => {
    if (topLevel.has(n)) return;
    if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isStringLiteralLike(n.arguments[0])
      && ((ts.isIdentifier(n.expression) && n.expression.text === 'require') || n.expression.kind === ts.SyntaxKind.ImportKeyword)) {
      out.push({ specifier: n.arguments[0].text, offset: n.getStart(sf), inFunction });
    }
    const fn = ts.isFunctionLike(n) && !!(n as ts.FunctionLikeDeclaration).body;
    ts.forEachChild(n, (c) => visit(c, inFunction || fn));
  };
  visit(sf, false);
  return out;
}

function analyzeImporter(file: string, root: string, coverage: Map<string, CoverageFunction[]> | undefined, project: ProjectLookup): ImporterAnalysis {
  const none = (blocked: string): ImporterAnalysis => ({ blocked, fixes: new Map(), otherLoads: new Map() });
  const pkg = packageOf(file);
  if (pkg) return none(`it is in the dependency '${pkg}' (node_modules): Hotpath does not edit dependencies`);
  if (file.startsWith('node:')) return none('it is part of Node.js');
  if (!isInside(root, file)) return none(`it is outside the workspace (${root})`);
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (err) { return none(`it cannot be read (${(err as Error).message})`); }
  const name = analysisName(file, text);
  if (!name) return none('it is not a JavaScript or TypeScript source file Hotpath edits');
  if (syntaxErrors(name, text).length) return none('it does not parse');
  const fns = coverage?.get(file);
  if (!fns) return none('the measured run has no coverage of it (profile with `hotpath profile --plan`), so a use of the module in a function that ran cannot be ruled out');
  const executed = executedLookup(fns, text);
  const fixes = new Map<string, Fix>();
  for (const f of analyzeFile(name, text, { kinds: ['lazy-import'], lazyAll: true, knownHeavy: false, project, executed })) {
    if (f.kind === 'lazy-import' && f.variant !== 'async' && !fixes.has(f.module)) fixes.set(f.module, f);
  }
  // Other loads of the same specifier keep the module at startup when they run while the file
  // loads (top-level code) or in a function that ran.
  const otherLoads = new Map<string, string>();
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const topLevel = new Set<ts.Node>(sf.statements.filter((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) || isTopLevelRequire(s)));
  for (const site of otherLoadSites(sf, topLevel)) {
    if (otherLoads.has(site.specifier)) continue;
    const line = sf.getLineAndCharacterOfPosition(site.offset).line + 1;
    const ran = executed(site.offset);
    if (!site.inFunction) otherLoads.set(site.specifier, `it is also loaded by top-level code at line ${line}`);
    else if (ran) otherLoads.set(site.specifier, `it is also loaded at line ${line}, in ${ran.name ? `${ran.name}()` : 'a function'}, which ran in the measured run`);
  }
  return { fixes, otherLoads };
}

/**
 * The name a file is analysed under: itself when it has a source extension; a CLI's `bin` file
 * without one (`#!/usr/bin/env node`) is analysed as the `.js` file Node runs it as.
 */
export function analysisName(file: string, text: string): string | undefined {
  if (isSourceFile(file)) return file;
  if (path.extname(file) === '' && /^#![^\n]*\bnode\b/.test(text)) return `${file}.js`;
  return undefined;
}

/** `const x = require('m')`, `require('m')`, `const { a } = require('m').b`: the sites collectImports finds. */
function isTopLevelRequire(s: ts.Statement): boolean {
  const isReq = (e: ts.Expression | undefined): boolean => !!e && ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require';
  if (ts.isExpressionStatement(s)) return isReq(s.expression);
  if (ts.isVariableStatement(s)) {
    return s.declarationList.declarations.some((d) => isReq(d.initializer) || (!!d.initializer && ts.isPropertyAccessExpression(d.initializer) && isReq(d.initializer.expression)));
  }
  return false;
}

/**
 * Computes the plan. Throws PlanInputError when the runs cannot support one (no edges: an
 * older run; no coverage: not profiled with --plan).
 */
export function computePlan(runs: RunFacts[], opts: PlanOptions): StartupPlan {
  if (!runs.length) throw new PlanInputError('no measured run given.');
  const old = runs.find((r) => r.processes.some((p) => !p.hasEdges));
  if (old) throw new PlanInputError(`${old.dir} was recorded before Hotpath recorded every import edge; profile the startup command again with \`hotpath profile --plan -- <command>\`.`);
  const coverage = coverageByFile(runs);
  if (!coverage) throw new PlanInputError(`the runs hold no coverage (which functions ran); profile the startup command with \`hotpath profile --plan -- <command>\`.`);
  const root = path.resolve(opts.root);
  const project = opts.project ?? createProjectLookup();
  const startupMs = spreadOf(runs.map((r) => r.wallMs ?? 0)).median;
  const minMs = opts.minMs ?? Math.max(1, 0.01 * startupMs);
  const graph = buildGraph(runs);
  const analyses = new Map<string, ImporterAnalysis>();
  const analysisOf = (file: string) => {
    let a = analyses.get(file);
    if (!a) { a = analyzeImporter(file, root, coverage, project); analyses.set(file, a); }
    return a;
  };
  const show = (f: string) => displayPath(root, f);
  const deferrable = (e: GraphEdge): Deferral => {
    if (e.late) return { ok: false, reason: `${show(e.from)} loads it from a function that ran after it had loaded` };
    const a = analysisOf(e.from);
    if (a.blocked) return { ok: false, reason: `${show(e.from)} loads it at startup and cannot be edited: ${a.blocked}` };
    for (const request of e.requests) {
      const fix = a.fixes.get(request);
      const at = `${show(e.from)}${fix ? `:${fix.line}` : ''}`;
      if (!fix) return { ok: false, reason: `${at} loads '${request}' from code that runs while it loads, not from a top-level import Hotpath can defer` };
      if (!fix.safe) return { ok: false, reason: `${at}: ${fix.reason}` };
      if (!fix.preferred) return { ok: false, reason: `${at}: the lazy-load is not applied automatically (${fix.explanation.split('. ').pop()})` };
      if (fix.ranUse) return { ok: false, reason: `${at}: ${fix.ranUse}` };
      const other = a.otherLoads.get(request);
      if (other) return { ok: false, reason: `${at}: ${other}` };
    }
    return { ok: true };
  };

  // The estimate: what leaves, each charged its self load time less the share of its sampled
  // top-level time spent in code that stays (modules that leave with it count as its own).
  const perRun = (leaving: Set<string>, self = false) => runs.map((r) => {
    let us = 0;
    for (const p of r.processes) {
      for (const [file, m] of p.modules) {
        if (!leaving.has(file) || m.selfUs < 0) continue;
        us += self ? m.selfUs : m.selfUs * (1 - sharedShare(p.work, file, (f) => !leaving.has(f)));
      }
    }
    return us / 1000;
  });
  // Which modules to take out is decided on their measured self load time, not on the estimate:
  // whether work in staying code moves is a likelihood, not a reason to keep a module at startup.
  const median = (leaving: Set<string>) => spreadOf(perRun(leaving, true)).median;

  let solution = solve(graph, deferrable);
  // Keep modules whose leaving buys less than minMs (with what only they pull in): fewer edits
  // for the same saving. One pass, cheapest first; each kept module is re-solved with the rest.
  const ownMs = (m: string) => spreadOf(perRun(new Set([m]), true)).median;
  let full = median(solution.leaving);
  for (const m of [...new Set(solution.deferred.map((e) => e.to))].sort((a, b) => ownMs(a) - ownMs(b))) {
    if (!solution.leaving.has(m)) continue;
    const trial = solve({ ...graph, roots: new Set([...graph.roots, m]) }, deferrable);
    const after = median(trial.leaving);
    if (full - after < minMs) {
      graph.roots.add(m);
      solution = trial;
      full = after;
    }
  }
  // The line of the importer's (first) import of that specifier, from its analysis.
  const lineOf = (file: string, request: string) => analysisOf(file).fixes.get(request)?.line ?? 0;
  // What a per-file lazy-load of this edge would leave behind: the importer's own use at startup.
  const ownUse = (e: GraphEdge, request: string): { line: number; reason: string } | undefined => {
    if (packageOf(e.from) || e.from.startsWith('node:') || !isInside(root, e.from)) return undefined;
    const a = analysisOf(e.from);
    const fix = a.fixes.get(request);
    if (a.blocked || !fix || !fix.safe) return undefined;
    const reason = fix.ranUse ?? a.otherLoads.get(request);
    return reason ? { line: fix.line, reason } : undefined;
  };
  return describe(runs, graph, solution, root, deferrable, perRun, lineOf, ownUse);
}

function describe(runs: RunFacts[], graph: Graph, solution: Solution, root: string, deferrable: (e: GraphEdge) => Deferral,
  perRun: (leaving: Set<string>, self?: boolean) => number[], lineOf: (file: string, request: string) => number,
  ownUse: (e: GraphEdge, request: string) => { line: number; reason: string } | undefined): StartupPlan {
  const show = (f: string) => displayPath(root, f);
  const selfOf = (file: string): Spread | null => {
    const values: number[] = [];
    for (const r of runs) {
      let us = -1;
      for (const p of r.processes) {
        const m = p.modules.get(file);
        if (m && m.selfUs >= 0) us = Math.max(us, 0) + m.selfUs;
      }
      if (us >= 0) values.push(us / 1000);
    }
    return values.length ? spreadOf(values) : null;
  };
  const stays = (f: string) => !solution.leaving.has(f);
  const cpuRuns = runs.filter((r) => r.processes.some((p) => p.work));
  // Per leaving module: per run (with a CPU profile) the ms its top level spent in staying code, and where.
  const sharedOf = (file: string): Pick<LeavingModule, 'sharedMs' | 'sharedIn'> => {
    if (!cpuRuns.length) return { sharedMs: null, sharedIn: [] };
    const where = new Map<string, number[]>();
    const values = cpuRuns.map((r) => {
      let us = 0;
      for (const p of r.processes) {
        const m = p.modules.get(file);
        if (!m || m.selfUs < 0) continue;
        const all = [...(p.work?.get(file)?.values() ?? [])].reduce((a, b) => a + b, 0);
        us += m.selfUs * sharedShare(p.work, file, stays);
        // Each staying file's part of the load time, in the same proportion.
        for (const [f, t] of p.work?.get(file) ?? []) if (f !== file && stays(f)) where.set(f, [...(where.get(f) ?? []), (m.selfUs * t) / all / 1000]);
      }
      return us / 1000;
    });
    const sharedIn = [...where].map(([f, v]) => ({ file: f, ms: spreadOf([...v, ...Array(Math.max(0, cpuRuns.length - v.length)).fill(0)]).median }))
      .filter((x) => x.ms > 0).sort((a, b) => b.ms - a.ms).slice(0, 3);
    return { sharedMs: spreadOf(values), sharedIn };
  };
  const leaving = [...solution.leaving].map((file) => ({ file, name: show(file), package: packageOf(file) ?? null, selfMs: selfOf(file), ...sharedOf(file) }))
    .sort((a, b) => (b.selfMs?.median ?? 0) - (a.selfMs?.median ?? 0));
  const edits: PlanEdit[] = solution.deferred.flatMap((e) => e.requests.map((request) => ({ file: e.from, request, module: e.to, line: lineOf(e.from, request) })))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  // Deferrable edges into modules that stay: what per-file lazy-loading would have offered for nothing.
  const deferOnly: DeferOnly[] = [];
  const staying = new Map<string, StayingModule>();
  for (const e of graph.edges) {
    if (solution.leaving.has(e.to) || solution.leaving.has(e.from) || graph.roots.has(e.to)) continue;
    const why = solution.stays.get(e.to);
    if (!why || why.by === e.from || !deferrable(e).ok) continue;
    for (const request of e.requests) deferOnly.push({ file: e.from, line: lineOf(e.from, request), request, module: e.to, stillLoadedBy: why.by, reason: why.reason });
    if (!staying.has(e.to)) staying.set(e.to, { file: e.to, name: show(e.to), package: packageOf(e.to) ?? null, selfMs: selfOf(e.to), by: why.by, reason: why.reason });
  }
  // Edges of staying importers whose own use at startup keeps the module: a per-file lazy-load of them defers nothing.
  const usedAtStartup: UsedAtStartup[] = [];
  for (const e of graph.edges) {
    if (solution.leaving.has(e.from) || solution.leaving.has(e.to) || e.from === e.to) continue;
    for (const request of e.requests) {
      const use = ownUse(e, request);
      if (use) usedAtStartup.push({ file: e.from, line: use.line, request, module: e.to, reason: use.reason });
    }
  }
  usedAtStartup.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const blockers: StayingModule[] = [...solution.stays].map(([file, why]) => ({ file, name: show(file), package: packageOf(file) ?? null, selfMs: selfOf(file), by: why.by, reason: why.reason }))
    .filter((m) => m.selfMs).sort((a, b) => b.selfMs!.median - a.selfMs!.median).slice(0, 10);
  const savings = perRun(solution.leaving);
  const selfSavings = perRun(solution.leaving, true);
  const walls = runs.map((r) => r.wallMs).filter((w): w is number => w !== undefined);
  const notes: string[] = [];
  if (runs.length === 1) notes.push('One measured run: the predicted saving has no spread; profile again (`hotpath profile --plan`) and pass every run for one.');
  // Measured in bench/PAYOFF.md: without the CPU profile's split, eslint --help was predicted
  // 59.5 % and saved 25 % of its CPU; mocha --version 51 % against 29 %; nodemon 29 % against 27 %.
  if (solution.leaving.size && cpuRuns.length) {
    notes.push('The saving is estimated: the leaving modules\' self load time less the time their top level spent in code of modules that stay (the CPU profile of the same runs), which the staying modules are likely to redo once they load without them; the module loader\'s warm-up can move too and is not deducted. `--apply --measure 20` measures it.');
  } else if (solution.leaving.size) {
    notes.push('The saving is estimated as the leaving modules\' whole self load time: the runs have no CPU profile, so the work they did in code of modules that stay (likely to move there instead of disappearing) was not measured; profile again with `hotpath profile --plan`, which records one. `--apply --measure 20` measures it.');
  }
  const unmeasured = leaving.filter((m) => !m.selfMs).length;
  if (unmeasured) notes.push(`${unmeasured} leaving module(s) have no measured load time (not measured: ES modules whose evaluation was not timed); the predicted saving leaves them out.`);
  if (runs.some((r) => r.processes.some((p) => p.esmUntimed))) notes.push('Some ES modules were loaded with import() from CommonJS without loader hooks: their imports are not in the graph (profile with --esm-hooks always to include them).');
  if (graph.edges.some((e) => e.esm)) notes.push('ES module imports are read from the loader, which does not tell a static import from import(): a module the plan defers may still be loaded by an import() that ran; `--verify` checks.');
  return {
    root,
    runs: runs.map((r) => ({ dir: r.dir, command: r.command ? [r.command.command, ...(r.command.args ?? [])].join(' ') : null, processes: r.processes.length })),
    leaving, staying: [...staying.values()].sort((a, b) => (b.selfMs?.median ?? 0) - (a.selfMs?.median ?? 0)), edits, deferOnly, usedAtStartup, blockers,
    saving: spreadOf(savings), savingSelf: spreadOf(selfSavings),
    shared: cpuRuns.length ? spreadOf(runs.map((r, i) => (r.processes.some((p) => p.work) ? selfSavings[i] - savings[i] : NaN)).filter((v) => !Number.isNaN(v))) : null,
    startup: walls.length === runs.length ? spreadOf(walls) : null,
    share: walls.length === runs.length ? spreadOf(savings.map((v, i) => (walls[i] > 0 ? v / walls[i] : 0))) : null,
    unmeasured, notes,
  };
}

export interface PlannedFile { file: string; before: string; after: string; requests: string[] }

/**
 * The plan's edits as new file contents, one per importer: every planned lazy-load of that
 * file (all its imports of one module share one loader). Throws when an edit cannot be made
 * (the file changed since the plan, or the result would not parse): nothing is written then.
 */
export function planFiles(plan: StartupPlan, project?: ProjectLookup): PlannedFile[] {
  const byFile = new Map<string, Set<string>>();
  for (const e of plan.edits) byFile.set(e.file, (byFile.get(e.file) ?? new Set()).add(e.request));
  const out: PlannedFile[] = [];
  const lookup = project ?? createProjectLookup();
  for (const [file, requests] of byFile) {
    const before = fs.readFileSync(file, 'utf8');
    const name = analysisName(file, before) ?? file;
    const result = applyFixes(name, before, { kinds: ['lazy-import'], lazyAll: true, knownHeavy: false, project: lookup },
      (f) => f.kind === 'lazy-import' && f.safe && f.preferred && f.variant !== 'async' && requests.has(f.module));
    const done = new Set(result.applied.map((f) => f.module));
    const missing = [...requests].filter((r) => !done.has(r));
    if (missing.length) throw new Error(`${file}: the lazy-load of ${missing.map((m) => `'${m}'`).join(', ')} could not be made (was the file changed since the run?); nothing was written.`);
    const errs = syntaxErrors(name, result.text);
    if (errs.length) throw new Error(`${file}: the edited file would not parse (${errs[0]}); nothing was written.`);
    out.push({ file, before, after: result.text, requests: [...requests] });
  }
  return out;
}

/** The run folders' command, for --verify: the first run that recorded one. */
export function planCommand(runs: RunFacts[]): RunFacts['command'] {
  return runs.find((r) => r.command)?.command;
}

/** After the edits: which of the plan's leaving modules a new run of the command still loaded. */
export function verifyPlan(plan: StartupPlan, after: RunFacts): { left: string[]; stillLoaded: { file: string; by: string | null }[] } {
  const loaded = new Map<string, string | null>();
  for (const p of after.processes) for (const [file, m] of p.modules) if (!loaded.has(file)) loaded.set(file, m.parent);
  const left: string[] = [];
  const stillLoaded: { file: string; by: string | null }[] = [];
  for (const m of plan.leaving) {
    if (loaded.has(m.file)) stillLoaded.push({ file: m.file, by: loaded.get(m.file) ?? null });
    else left.push(m.file);
  }
  return { left, stillLoaded };
}
