// Which changes to recommend, where, and how risky they are. Risk is about the change, not the
// module: lazy-loading a binding only used inside functions is low risk; turning init async
// changes the module's contract (callers must await), so it is high.
import * as path from 'path';
import type { DependencyCost, ScoreContext } from './score';
import { knownHeavy } from './heavy';
import { FileSignals, Pattern, PatternKind, Risk, Site } from './types';

const RISK_ORDER: Risk[] = ['low', 'medium', 'high'];
const MAX_SITES = 10;
/** Below this a lazy-load is not worth the indirection. */
const LAZY_MIN_MS = 2;
const LAZY_MIN_BYTES = 1024 * 1024;
const POOL_MIN_BYTES = 1024 * 1024;

export interface Recommendation {
  patterns: Pattern[];
  risk: Risk;
  riskReasons: string[];
}

function isEsm(s: FileSignals): boolean {
  const ext = path.extname(s.path);
  if (ext === '.mjs' || ext === '.mts') return true;
  if (ext === '.cjs' || ext === '.cts' || ext === '.ts' || ext === '.tsx') return false;
  return s.imports.some((i) => i.kind === 'import' || i.kind === 'export-from');
}

export function recommend(s: FileSignals, deps: DependencyCost[], ctx: ScoreContext): Recommendation {
  const sites = new Map<PatternKind, Site[]>();
  const reasons: { risk: Risk; reason: string }[] = [];
  const add = (kind: PatternKind, site: Site, risk: Risk, reason: string) => {
    const list = sites.get(kind) ?? [];
    // One site per line: several literals on a line are one place to change.
    if (list.some((s) => s.line === site.line)) return;
    list.push(site);
    sites.set(kind, list);
    if (!reasons.some((r) => r.reason === reason)) reasons.push({ risk, reason });
  };

  for (const d of deps) {
    const { site } = d;
    // A cache hit in the measured run (another module loaded it first) is judged by the package.
    const heavy = ((d.cachedBy ? d.estimatedMs : d.measuredMs ?? d.estimatedMs) ?? 0) >= LAZY_MIN_MS || (d.size?.bytes ?? 0) >= LAZY_MIN_BYTES;
    if (!heavy || site.bindings.length === 0) continue;
    const uses = site.bindings.map((b) => s.bindingUses[b] ?? { top: 0, fn: 0, type: 0 });
    const top = uses.reduce((a, u) => a + u.top, 0);
    const fn = uses.reduce((a, u) => a + u.fn, 0);
    // Lazy here alone saves nothing when another module loads it first (see the evidence).
    if (top === 0 && fn > 0 && !d.cachedBy) {
      const esm = isEsm(s);
      add('lazy-load', { line: site.line, detail: `'${site.specifier}' is used only inside functions (${fn} use${fn > 1 ? 's' : ''}): load it on first use` },
        esm ? 'medium' : 'low', esm ? 'lazy-loading in native ESM needs createRequire or an async import()' : 'lazy-load of a binding used only inside functions');
    }
    // The advice is about the package as a whole: a subpath import is already the lighter form.
    const lighter = d.subpath ? undefined : knownHeavy(site.pkg!)?.lighter;
    if (lighter) {
      add('dependency-reduction', { line: site.line, detail: `'${site.pkg}' is heavy; consider ${lighter}` }, 'high', `replacing '${site.pkg}' changes the API used`);
    }
  }
  const isTs = /\.[cm]?tsx?$/.test(s.path);
  for (const i of s.imports) {
    if (!i.topLevel || i.typeOnly || i.bindings.length === 0 || i.kind === 'dynamic-import') continue;
    const uses = i.bindings.map((b) => s.bindingUses[b] ?? { top: 0, fn: 0, type: 0 });
    const value = uses.reduce((a, u) => a + u.top + u.fn, 0);
    const types = uses.reduce((a, u) => a + u.type, 0);
    if (value > 0 || i.kind === 'export-from') continue;
    if (types > 0 && isTs) {
      add('dependency-reduction', { line: i.line, detail: `'${i.specifier}' is used only as a type: use \`import type\` (hygiene: TypeScript already leaves it out of the JavaScript unless the build keeps value imports)` }, 'low', 'type-only import is erased at compile time');
    } else if (types === 0) {
      add('dependency-reduction', { line: i.line, detail: `'${i.specifier}' is imported but never used` }, 'medium', 'removing an unused import also drops its side effects');
    }
  }
  for (const w of s.topLevelWork) {
    if (w.kind === 'sync-io') add('async-init', { line: w.line, detail: `${w.detail}: defer it to first use or make init async` }, 'high', 'async initialisation changes how callers wait for the module');
    if (w.kind === 'require-in-loop') add('memoize', { line: w.line, detail: `${w.detail}: hoist it out of the loop` }, 'low', 'hoisting a require keeps the same module instance');
  }
  for (const c of s.memoCandidates) add('memoize', { line: c.line, detail: c.detail }, 'medium', 'memoization is only correct for pure work');
  const m = ctx.measured?.files.get(s.path);
  // A single allocation in a simple loop is normal code; recommend pooling when allocations sit
  // in nested loops, repeat in several places, or a heap run measured real churn.
  const churn = (m?.allocBytes ?? 0) >= POOL_MIN_BYTES || s.loopAllocations.length >= 2 || s.loopAllocations.some((a) => a.depth >= 2);
  if (s.loopAllocations.length > 0 && churn) {
    const hot = (m?.hotLines ?? []).filter((h) => h.bytes).map((h) => h.line);
    const ordered = [...s.loopAllocations].sort((a, b) => Number(hot.includes(b.line)) - Number(hot.includes(a.line)));
    for (const a of ordered) add('pool', { line: a.line, detail: `${a.detail}: reuse (pool or hoist) it` }, 'medium', 'reused objects must not leak state between uses');
  }

  const patterns: Pattern[] = [...sites.entries()].map(([kind, list]) => ({
    kind, sites: list.sort((a, b) => a.line - b.line).slice(0, MAX_SITES),
  }));
  const risk = reasons.reduce<Risk>((acc, r) => (RISK_ORDER.indexOf(r.risk) > RISK_ORDER.indexOf(acc) ? r.risk : acc), 'low');
  return { patterns, risk, riskReasons: reasons.map((r) => `${r.risk}: ${r.reason}`) };
}
