// replace-dependency: a package the e18e replacement data maps to a JavaScript built-in, which
// a check in fresh processes showed hands out that built-in itself on this Node (see
// replacementCheck.ts), is replaced by the built-in where this file only calls it:
// `const includes = require('array-includes')` becomes
// `const includes = Function.prototype.call.bind(Array.prototype.includes)`. Everything else the
// data lists (micro-utility snippets, other packages, built-ins with another API) is advice.
import type { Builder } from './lazyImport';
import type { ImportSite } from './imports';
import { type FileContext, lineColumn } from './context';
import { packageName } from './project';
import { adviceOf, builtinReplacement, replacementsOf } from './replacements';
import type { ReplacementCheck } from './replacementCheck';
import type { Fix, HeavyModule } from './types';
import { median } from '../stats';

const fmt = (ms: number) => (ms < 0.1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

export function summarizeMs(xs: number[]): { median: number; min: number; max: number; n: number } | undefined {
  return xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : undefined;
}

function versionAtLeast(range: string | undefined, min: string | undefined): boolean {
  if (!min) return true;
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range ?? '');
  if (!m) return false; // no engines.node: any Node may run it
  const have = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  const want = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  return true;
}

export function replaceDependencyFix(ctx: FileContext, site: ImportSite, checks: Map<string, ReplacementCheck> | undefined, heavy: HeavyModule | undefined, explain: boolean): Builder | undefined {
  const pkg = packageName(site.specifier);
  if (!pkg || site.sideEffectOnly || site.specifier !== pkg) return undefined;
  const data = replacementsOf(pkg);
  if (!data) return undefined;
  const native = builtinReplacement(pkg);
  const check = checks?.get(pkg);
  const binding = site.bindings.length === 1 ? site.bindings[0] : undefined;
  let why: string | undefined;
  if (!native) why = 'the data names no JavaScript built-in for it';
  else if (check && !check.form) why = `'${pkg}' is not a drop-in for ${native.builtin} here: ${check.why}`;
  else if (ctx.isTs) why = 'a TypeScript file: the built-in bound this way loses the package\'s types';
  else if (site.blocker) why = site.blocker;
  else if (site.exported) why = 'the binding is exported';
  else if (!binding || !((site.syntax === 'require' && binding.form === 'namespace') || (site.syntax === 'import' && binding.form === 'default'))) why = 'the import is not one plain binding of the whole module';
  else if (ctx.usage.dynamicScope) why = 'the file uses eval or with';
  else if (ctx.usage.shadowed.has(binding.local)) why = `'${binding.local}' is declared again elsewhere in this file`;
  else {
    const refs = ctx.usage.refs.get(binding.local) ?? [];
    const other = refs.find((r) => r.type || r.problem || !r.callee);
    if (other) why = `'${binding.local}' is used other than by calling it (line ${ctx.sf.getLineAndCharacterOfPosition(other.id.getStart(ctx.sf)).line + 1}): the package's other members (shim, getPolyfill...) have no built-in`;
    else if (site.syntax === 'import' && refs.some((r) => r.eager && r.id.getStart(ctx.sf) < site.statement.getStart(ctx.sf))) why = `'${binding.local}' is called while the module evaluates, above the import`;
    else if (native.nodeMin && !versionAtLeast(ctx.project.enginesNode?.(ctx.file), native.nodeMin)) why = `${native.builtin} needs Node ${native.nodeMin} (the data), and the package's engines.node allows older versions`;
  }
  const verified = !why && check?.form ? check : undefined;
  if (!verified && !why && !check) {
    why = `not checked yet: \`hotpath fixes --kind replace-dependency\` checks in fresh processes that '${pkg}' hands out ${native!.builtin} on this Node, and measures both`;
  }
  // Advice from the preferred list (another package) only where the package was measured heavy, or when asked.
  if (!verified && data.manifest === 'preferred' && !(heavy?.measured) && !explain) return undefined;
  const load = check ? summarizeMs(check.loadMs) : undefined;
  const repl = check ? summarizeMs(check.replacementMs) : undefined;
  const measured = load && repl ? `require('${pkg}') ${fmt(load.median)} ms (${fmt(load.min)}-${fmt(load.max)}, ${load.n} fresh processes), the built-in ${fmt(repl.median)} ms` : undefined;
  const fix: Fix = {
    file: ctx.file, ...lineColumn(ctx, site.statement), kind: 'replace-dependency', module: pkg,
    title: verified
      ? `Replace '${pkg}' with the built-in ${native!.builtin}${load && repl ? ` (load ${fmt(load.median)} ms -> ${fmt(repl.median)} ms, measured)` : ''}`
      : `Replace '${pkg}': ${adviceOf(data)}`,
    safe: !!verified, reason: verified ? undefined : `advice, not a fix: ${why}`, preferred: !!verified, moduleKind: ctx.moduleKind,
    explanation: verified
      ? `'${pkg}'${verified.version ? ` ${verified.version}` : ''} hands out ${native!.builtin} itself on Node ${verified.nodeVersion} (${verified.form === 'identity' ? 'its export is the built-in' : 'an es-shims package whose getPolyfill() returns the built-in'}), `
        + `so ${binding!.local}(...) becomes ${verified.expression}(...) with the same results (a null or undefined receiver still throws a TypeError, with Node's message). `
        + `Measured: ${measured}. This file stops loading '${pkg}'; it stays loaded while other modules require it (measure with \`hotpath compare\`).`
      : `The e18e module-replacements data lists ${adviceOf(data)}. ${why}.${measured ? ` Measured: ${measured}.` : ''}`,
    ...(check ? { replacement: { builtin: check.builtin, expression: check.expression ?? null, form: check.form ?? null, version: check.version ?? null, nodeVersion: check.nodeVersion, loadMs: load ?? null, replacementMs: repl ?? null } } : {}),
  };
  return {
    fix,
    compute: () => {
      if (!verified) return [];
      if (site.syntax === 'require') {
        const init = site.declarator!.initializer!;
        return [{ file: ctx.file, start: init.getStart(ctx.sf), end: init.end, newText: verified.expression! }];
      }
      const st = site.statement;
      return [{ file: ctx.file, start: st.getStart(ctx.sf), end: st.end, newText: `const ${binding!.local} = ${verified.expression};` }];
    },
  };
}
