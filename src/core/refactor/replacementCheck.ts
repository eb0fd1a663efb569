// Checks, in fresh Node processes, whether a package the replacement data maps to a built-in is
// a drop-in for it on this Node, and measures the load time of both. A drop-in here means the
// package hands out the built-in itself: its export *is* the built-in (`object-assign` is
// `Object.assign`), or it is an es-shims package whose `getPolyfill()` returns the built-in (its
// export then calls the built-in, bound as `Function.prototype.call.bind(proto method)` or to its
// owner for a static). Anything else (a different API, a non-function, a package that does not
// load) is advice, never a fix. Each process times the replacement expression first, then
// `require(pkg)`, so neither benefits from the other.
import { spawnSync } from 'child_process';

export type DropInForm = 'identity' | 'call-bind' | 'bind-static';

export interface ReplacementCheck {
  pkg: string;
  builtin: string;
  /** Set when the package hands out the built-in on this Node: how to write the replacement. */
  form?: DropInForm;
  /** The replacement expression for the binding (when `form`). */
  expression?: string;
  /** Why it is not a drop-in (when no `form`). */
  why?: string;
  version?: string;
  nodeVersion: string;
  /** Per fresh process: ms to load the package (require, inclusive of its dependencies) and to evaluate the replacement. */
  loadMs: number[];
  replacementMs: number[];
}

export function replacementExpression(builtin: string, form: DropInForm): string {
  if (form === 'identity') return builtin;
  if (form === 'call-bind') return `Function.prototype.call.bind(${builtin})`;
  return `${builtin}.bind(${builtin.slice(0, builtin.lastIndexOf('.'))})`;
}

const SCRIPT = `
const [pkg, builtin] = JSON.parse(process.argv[1]);
const { performance } = require('perf_hooks');
const out = { loadMs: null, replacementMs: null, form: null, why: null, version: null };
const exprs = {
  identity: builtin,
  'call-bind': 'Function.prototype.call.bind(' + builtin + ')',
  'bind-static': builtin + '.bind(' + builtin.slice(0, builtin.lastIndexOf('.')) + ')',
};
const kind = /\\.prototype\\./.test(builtin) ? 'call-bind' : 'bind-static';
const t0 = performance.now();
const native = (0, eval)(builtin);
if (typeof native === 'function') (0, eval)(exprs[kind]);
out.replacementMs = performance.now() - t0;
let mod;
try {
  const t1 = performance.now();
  mod = require(pkg);
  out.loadMs = performance.now() - t1;
} catch (e) { out.why = 'it does not load here (' + String(e && e.message || e).split('\\n')[0] + ')'; }
try { out.version = require(pkg + '/package.json').version; } catch {}
if (mod !== undefined) {
  if (mod === native) out.form = 'identity';
  else if (typeof mod === 'function' && typeof mod.getPolyfill === 'function' && typeof native === 'function') {
    let poly;
    try { poly = mod.getPolyfill(); } catch (e) { out.why = 'its getPolyfill() throws'; }
    if (poly === native) out.form = kind;
    else if (!out.why) out.why = 'its getPolyfill() returns its own implementation on this Node, not the built-in';
  } else out.why = native === undefined
    ? builtin + ' does not exist on this Node (' + process.version + ')'
    : typeof native !== 'function'
    ? 'the built-in is not a function and the package exports ' + typeof mod + ': the API differs'
    : 'its export is neither the built-in nor an es-shims wrapper of it: the API may differ';
}
console.log(JSON.stringify(out));
`;

/** Runs `runs` fresh processes from `fromDir` (where the package resolves) for each package. */
export function checkReplacement(pkg: string, builtin: string, fromDir: string, runs = 3): ReplacementCheck {
  const check: ReplacementCheck = { pkg, builtin, nodeVersion: process.version, loadMs: [], replacementMs: [] };
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', SCRIPT, JSON.stringify([pkg, builtin])], { cwd: fromDir, encoding: 'utf8', timeout: 60_000 });
    let out: { loadMs: number | null; replacementMs: number | null; form: DropInForm | null; why: string | null; version: string | null };
    try { out = JSON.parse(r.stdout.trim().split('\n').pop() ?? ''); } catch {
      check.why = `the check process failed (${r.error?.message ?? `exit ${r.status}`}${r.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''})`;
      return check;
    }
    if (out.loadMs !== null) check.loadMs.push(out.loadMs);
    if (out.replacementMs !== null) check.replacementMs.push(out.replacementMs);
    check.version ??= out.version ?? undefined;
    if (out.form) check.form = out.form;
    else { check.form = undefined; check.why = out.why ?? 'not a drop-in'; }
  }
  if (check.form) check.expression = replacementExpression(builtin, check.form);
  return check;
}
