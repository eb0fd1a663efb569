// Lazy-loading of one import: the safety checks (cheap, for the code action list) and the
// edits (computed on demand). The import becomes a cached loader function and every use of
// its names reads through the loader, which keeps `this`, interop and identity (see README).
import * as ts from 'typescript';
import type { Fix, HeavyModule, LazyVariant, TextEdit } from './types';
import type { ImportBinding, ImportSite } from './imports';
import type { Reference } from './usage';
import { type FileContext, isEsmKind, lineColumn } from './context';
import { isBuiltin } from './project';
import { baseName, freshName, isIdentifierName } from './names';

/** Names already handed out to other fixes applied in the same batch (see apply.ts). */
export type TakenNames = Set<string>;
export interface Builder { fix: Fix; compute: (taken?: TakenNames) => TextEdit[] }

const MOVED = 'errors from a missing or broken module move to the first use';

function heavyLabel(heavy: HeavyModule | undefined): string {
  if (!heavy) return '';
  if (heavy.measured && heavy.ms !== undefined) return ` (load time measured ${heavy.ms.toFixed(1)} ms in one run)`;
  return ' (known heavy: estimate)';
}

/** Member-only use of a namespace binding: `ns.prop`, never `ns` alone or `ns.default`. */
function memberOnly(ref: Reference): boolean {
  const p = ref.id.parent;
  return ts.isPropertyAccessExpression(p) && p.expression === ref.id && p.name.text !== 'default';
}

function whyUnsafe(ctx: FileContext, site: ImportSite, variant: LazyVariant | undefined): string | undefined {
  if (site.sideEffectOnly) return 'it is a side-effect-only import: there is no use to defer it to';
  if (site.blocker) return site.blocker;
  if (ctx.moduleKind === 'unknown') return 'the module kind of this file is unknown (no tsconfig/package.json settles it); tell Hotpath with --module-kind';
  if (site.exported) return 'it is re-exported';
  if (ctx.usage.dynamicScope) return 'the file uses eval() or with, which can reach any name';
  if (!variant) return 'the package cannot be loaded with require() (ES module only): only the async variant applies';
  const interop = isEsmKind(ctx.moduleKind) || (site.syntax === 'import' && ctx.flags.esModuleInterop);
  for (const b of site.bindings) {
    if (b.typeOnly) continue;
    if (ctx.usage.shadowed.has(b.local)) return `'${b.local}' is declared again elsewhere in this file; rename one first`;
    for (const ref of ctx.usage.refs.get(b.local) ?? []) {
      if (ref.type) continue;
      const line = ctx.sf.getLineAndCharacterOfPosition(ref.id.getStart(ctx.sf)).line + 1;
      if (ref.problem) return `'${b.local}' ${ref.problem} (line ${line})`;
      if (ref.eager) return `'${b.local}' is used while the module evaluates, in ${ref.eager} (line ${line}): loading it lazily would gain nothing and reorder side effects`;
      if (b.form === 'namespace' && interop && !memberOnly(ref)) {
        return `the namespace '${b.local}' is used as a whole object (line ${line}); its identity under module interop would change`;
      }
    }
  }
  return undefined;
}

function chooseVariant(ctx: FileContext, site: ImportSite): LazyVariant | undefined {
  if (!isEsmKind(ctx.moduleKind)) return 'require';
  if (isBuiltin(site.specifier)) return ctx.project.hasGetBuiltinModule(ctx.file) ? 'builtin' : 'createRequire';
  return ctx.project.canRequire(ctx.file, site.specifier) !== 'no' ? 'createRequire' : undefined;
}

/**
 * The lazy-load fix of one module in one file. `group` holds every top-level import of that
 * specifier in the file (usually one): they share one loader, and the fix is safe only when
 * all of them can be deferred; a file that still loads the module eagerly gets no loader.
 */
export function lazyFix(ctx: FileContext, group: ImportSite[], heavy: HeavyModule | undefined, executed?: ExecutedLookup): Builder | undefined {
  const site = group[0];
  const valueBindings = group.flatMap((g) => g.bindings).filter((b) => !b.typeOnly && (ctx.usage.refs.get(b.local) ?? []).some((r) => !r.type));
  if (!group.some((g) => g.sideEffectOnly || g.blocker) && valueBindings.length === 0) return undefined; // type-only or unused: other fixes
  const variant = chooseVariant(ctx, site);
  let reason: string | undefined;
  for (const g of group) {
    const why = whyUnsafe(ctx, g, variant);
    if (!why) continue;
    // The import this fix is listed at reads as before; another one of the same module says where it is.
    reason = g === site ? why : `${why} (the import at line ${lineColumn(ctx, g.declarator ?? g.statement).line}, which loads it too)`;
    break;
  }
  const ranUse = !reason && executed ? firstRanUse(ctx, group, executed) : undefined;
  const label = site.specifier || site.specText;
  const how = variant === 'createRequire' ? ' with createRequire' : variant === 'builtin' ? ' with process.getBuiltinModule' : '';
  // A dual package's require() build is a different instance than its import build.
  const dual = !reason && variant === 'createRequire' && ctx.project.canRequire(ctx.file, site.specifier) === 'dual';
  const fix: Fix = {
    file: ctx.file, ...lineColumn(ctx, site.declarator ?? site.statement), kind: 'lazy-import', module: label,
    title: `Lazy-load '${label}' on first use${how}${heavyLabel(heavy)}; ${MOVED}`,
    safe: !reason, reason, preferred: !reason && !dual, variant, heavyMs: heavy?.ms, heavyMeasured: heavy?.measured,
    moduleKind: ctx.moduleKind,
    explanation: `'${label}' is loaded the first time one of its names is used instead of when this file loads. `
      + `Startup no longer pays for it; ${MOVED}.`
      + (group.length > 1 ? ` Its ${group.length} imports in this file share one loader.` : '')
      + (dual ? ` It loads the package's CommonJS build, a separate instance from its ES module build: not applied automatically.` : ''),
    ...(ranUse ? { ranUse } : {}),
  };
  return { fix, compute: (taken) => lazyEdits(ctx, group, variant ?? 'require', taken ?? new Set()) };
}

/**
 * Which functions ran in a measured run, for one file: the innermost function around a source
 * offset that ran (its name and 1-based line), or undefined when that code did not run.
 */
export type ExecutedLookup = (offset: number) => { name: string; line: number } | undefined;

/** The first value use of the group's names inside a function that ran in the measured run. */
function firstRanUse(ctx: FileContext, group: ImportSite[], executed: ExecutedLookup): string | undefined {
  for (const b of group.flatMap((g) => g.bindings)) {
    if (b.typeOnly) continue;
    for (const ref of ctx.usage.refs.get(b.local) ?? []) {
      if (ref.type) continue;
      const ran = executed(ref.id.getStart(ctx.sf));
      if (!ran) continue;
      const line = ctx.sf.getLineAndCharacterOfPosition(ref.id.getStart(ctx.sf)).line + 1;
      return `'${b.local}' is used in ${ran.name ? `${ran.name}()` : 'a function'} (line ${line}), which ran in the measured run: the module would still load at that call`;
    }
  }
  return undefined;
}

function lazyEdits(ctx: FileContext, group: ImportSite[], variant: LazyVariant, taken: TakenNames): TextEdit[] {
  const site = group[0];
  const { text, isTs } = ctx;
  const base = baseName(site.specifier);
  const cache = freshName(text, `_${base}`, taken);
  taken.add(cache);
  const loader = freshName(text, `_load_${base}`, taken);
  taken.add(loader);
  const spec = site.specText;
  const fromImport = site.syntax === 'import';
  const esm = isEsmKind(ctx.moduleKind);
  const interopDefault = fromImport && !esm && ctx.flags.esModuleInterop;
  const modType = `typeof import(${spec})`;
  const out: string[] = [];

  // Types keep working: names used in type positions stay as a type-only import.
  const typeNamesOf = (g: ImportSite) => g.bindings.filter((b) => b.typeOnly || (ctx.usage.refs.get(b.local) ?? []).some((r) => r.type));
  const defaultOf = (g: ImportSite) => g.bindings.find((b) => b.form === 'default' && !b.typeOnly
    && (ctx.usage.refs.get(b.local) ?? []).some((r) => !r.type));
  const defaultBinding = defaultOf(site);
  let defaultTypeName: string | undefined;
  if (isTs) {
    const clause = typeOnlyClauses(site, typeNamesOf(site), defaultBinding);
    for (const c of clause.lines) out.push(c);
    defaultTypeName = clause.defaultName;
  }

  let requireExpr = `require(${spec})`;
  if (variant === 'createRequire') {
    const existing = existingCreateRequire(ctx);
    const cr = existing ?? freshName(text, '_createRequire', taken);
    taken.add(cr);
    if (!existing) out.push(`import { createRequire as ${cr} } from ${spec[0]}node:module${spec[0]};`);
    requireExpr = `${cr}(import.meta.url)(${spec})`;
  } else if (variant === 'builtin') {
    const q = spec[0];
    requireExpr = `process.getBuiltinModule(${q}${site.specifier.startsWith('node:') ? '' : 'node:'}${site.specifier}${q})`;
  }
  const decl = fromImport ? 'var' : 'let'; // `var`: imports were hoisted, so uses before this line must not hit a TDZ
  out.push(`// Loaded on first use (lazy-load): if ${spec} is missing or throws, the error now appears there.`);
  if (isTs) {
    out.push(`${decl} ${cache}: ${modType} | undefined;`);
    out.push(`function ${loader}(): ${modType} {`, `  return ${cache} ??= ${requireExpr};`, '}');
  } else {
    out.push(`${decl} ${cache};`);
    out.push(`function ${loader}() {`, `  return ${cache} || (${cache} = ${requireExpr});`, '}');
  }
  let defaultLoader: string | undefined;
  const anyDefault = group.map(defaultOf).find(Boolean);
  if (anyDefault && (interopDefault || (esm && isTs))) {
    defaultLoader = freshName(text, `${loader}_default`, taken);
    taken.add(defaultLoader);
    const body = esm ? `${loader}()` : `m && m.__esModule ? m.default : m`;
    if (isTs) {
      const ret = defaultTypeName ? `typeof ${defaultTypeName}` : 'any';
      out.push(`function ${defaultLoader}(): ${ret} {`);
      out.push(esm ? `  return ${body} as any;` : `  const m: any = ${loader}();`, ...(esm ? [] : [`  return ${body};`]), '}');
    } else {
      out.push(`function ${defaultLoader}() {`, ...(esm ? [] : [`  const m = ${loader}();`]), `  return ${body};`, '}');
    }
  }

  const edits: TextEdit[] = [replaceImport(ctx, site, out.join('\n'))];
  // The module's other imports in this file go through the same loader: only their type names stay.
  for (const g of group.slice(1)) edits.push(replaceImport(ctx, g, isTs ? typeOnlyClauses(g, typeNamesOf(g), undefined).lines.join('\n') : ''));
  for (const b of group.flatMap((g) => g.bindings)) {
    if (b.typeOnly) continue;
    const expr = bindingExpr(b, loader, defaultLoader, esm);
    const member = b.form === 'named' || (b.form === 'default' && !defaultLoader && !esm);
    for (const ref of ctx.usage.refs.get(b.local) ?? []) {
      if (ref.type) continue;
      edits.push(rewriteRef(ctx, ref, expr, member));
    }
  }
  return edits;
}

function bindingExpr(b: ImportBinding, loader: string, defaultLoader: string | undefined, esm: boolean): string {
  if (b.form === 'namespace') return `${loader}()`;
  // Native ESM importing CommonJS: the default export is `module.exports` itself.
  if (b.form === 'default') return defaultLoader ? `${defaultLoader}()` : esm ? `${loader}()` : `${loader}().default`;
  const name = b.imported ?? b.local;
  return isIdentifierName(name) ? `${loader}().${name}` : `${loader}()[${JSON.stringify(name)}]`;
}

function rewriteRef(ctx: FileContext, ref: Reference, expr: string, isMember: boolean): TextEdit {
  const start = ref.id.getStart(ctx.sf);
  let newText = expr;
  if (ref.callee && isMember) newText = `(0, ${expr})`; // a plain call: `this` stays undefined
  else if (ref.inNewCallee) newText = `(${expr})`;
  if (ref.shorthand) newText = `${ref.id.text}: ${newText}`;
  if (newText.startsWith('(') && asiHazard(ctx, ref.id)) newText = `;${newText}`;
  return { file: ctx.file, start, end: ref.id.end, newText };
}

/**
 * A statement that now starts with `(` would continue the previous line in code without
 * semicolons (`a = b\n(0, f)()` calls `b`). True when the reference starts a statement in a
 * statement list and the previous token is not `;` or `{`.
 */
export function asiHazard(ctx: Pick<FileContext, 'sf' | 'text'>, id: ts.Node): boolean {
  let st: ts.Node = id;
  while (st.parent && !ts.isExpressionStatement(st) && st.parent.getStart(ctx.sf) === id.getStart(ctx.sf)) st = st.parent;
  if (!ts.isExpressionStatement(st) || st.getStart(ctx.sf) !== id.getStart(ctx.sf)) return false;
  const list = st.parent;
  if (!(ts.isBlock(list) || ts.isSourceFile(list) || ts.isModuleBlock(list) || ts.isCaseClause(list) || ts.isDefaultClause(list))) return false;
  const before = ctx.text.slice(0, st.getStart(ctx.sf)).replace(/(\/\/[^\n]*|\s)+$/g, '');
  return !/[;{]$/.test(before) && !before.endsWith(':');
}

/** `import type` lines for the names still used as types (default and named cannot share one). */
function typeOnlyClauses(site: ImportSite, typeNames: ImportBinding[], defaultBinding: ImportBinding | undefined): { lines: string[]; defaultName?: string } {
  const spec = site.specText;
  const lines: string[] = [];
  if (site.syntax !== 'import') {
    const ns = site.bindings.find((b) => b.form === 'namespace');
    if (site.syntax === 'import-equals' && ns && typeNames.includes(ns)) lines.push(`import type ${ns.local} = require(${spec});`);
    return { lines };
  }
  const names = new Set(typeNames);
  if (defaultBinding) names.add(defaultBinding);
  const def = [...names].find((b) => b.form === 'default' && !b.imported);
  const ns = [...names].find((b) => b.form === 'namespace');
  const named = [...names].filter((b) => b !== def && b !== ns);
  if (def) lines.push(`import type ${def.local} from ${spec};`);
  if (ns) lines.push(`import type * as ${ns.local} from ${spec};`);
  if (named.length) lines.push(`import type { ${named.map((b) => (b.imported && b.imported !== b.local ? `${b.imported} as ${b.local}` : b.local)).join(', ')} } from ${spec};`);
  return { lines, defaultName: defaultBinding?.local };
}

function existingCreateRequire(ctx: FileContext): string | undefined {
  for (const s of ctx.sites) {
    if (s.syntax !== 'import' || (s.specifier !== 'module' && s.specifier !== 'node:module')) continue;
    const b = s.bindings.find((x) => x.form === 'named' && x.imported === 'createRequire' && !x.typeOnly);
    if (b) return b.local;
  }
  return undefined;
}

/**
 * Replaces the import statement, or only its declarator inside `const a = ..., b = ...`. An
 * empty replacement of a statement alone on its line removes the line.
 */
function replaceImport(ctx: FileContext, site: ImportSite, code: string): TextEdit {
  const st = site.statement;
  const start = st.getStart(ctx.sf);
  if (site.declarator && ts.isVariableStatement(st) && st.declarationList.declarations.length > 1) {
    const list = st.declarationList;
    const keyword = ctx.text.slice(list.getStart(ctx.sf), list.declarations[0].getStart(ctx.sf)).trim();
    const others = list.declarations.filter((d) => d !== site.declarator).map((d) => d.getText(ctx.sf));
    return { file: ctx.file, start, end: st.end, newText: `${keyword} ${others.join(', ')};${code ? `\n${code}` : ''}` };
  }
  if (code === '') {
    const lineStart = ctx.text.lastIndexOf('\n', start - 1) + 1;
    const eol = /^[ \t]*(\r?\n)/.exec(ctx.text.slice(st.end));
    if (eol && /^[ \t]*$/.test(ctx.text.slice(lineStart, start))) return { file: ctx.file, start: lineStart, end: st.end + eol[0].length, newText: '' };
  }
  return { file: ctx.file, start, end: st.end, newText: code };
}
