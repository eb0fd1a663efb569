// The explicit async variant for native ESM: `await import()` in a cached async loader. It
// turns every function that uses the import into an async function, so callers must await:
// never preferred and never applied by `--apply`; the user picks it knowingly.
import * as ts from 'typescript';
import type { Fix, TextEdit } from './types';
import type { ImportSite } from './imports';
import { asiHazard, type Builder } from './lazyImport';
import { type FileContext, lineColumn } from './context';
import { baseName, freshName, isIdentifierName } from './names';

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isArrowFunction(p) || ts.isMethodDeclaration(p)
      || ts.isConstructorDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) return p;
  }
  return undefined;
}

function isAsync(fn: ts.SignatureDeclaration): boolean {
  return !!ts.getModifiers(fn as ts.FunctionLikeDeclaration)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Where `async ` goes, or why this function cannot become async. */
function asyncInsertion(ctx: FileContext, fn: ts.SignatureDeclaration): number | string {
  if (ts.isConstructorDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) return 'it is used in a constructor or accessor, which cannot be async';
  if (ts.isArrowFunction(fn)) return fn.getStart(ctx.sf);
  if (ts.isMethodDeclaration(fn)) return fn.name.getStart(ctx.sf) - (fn.asteriskToken ? 1 : 0);
  const start = fn.getStart(ctx.sf);
  return ctx.text.indexOf('function', start);
}

export function asyncLazyFix(ctx: FileContext, site: ImportSite, base: Fix): Builder | undefined {
  if (site.syntax !== 'import') return undefined;
  const refs = site.bindings.flatMap((b) => (b.typeOnly ? [] : (ctx.usage.refs.get(b.local) ?? []).filter((r) => !r.type).map((r) => ({ b, r }))));
  let reason = base.reason && !base.reason.startsWith('the package cannot be loaded with require()') ? base.reason : undefined;
  const functions = new Map<ts.SignatureDeclaration, number>();
  for (const { r } of refs) {
    const fn = enclosingFunction(r.id);
    if (!fn) { reason ??= 'a use is outside any function'; continue; }
    const at = asyncInsertion(ctx, fn);
    if (typeof at === 'string') reason ??= at;
    else if (!isAsync(fn)) functions.set(fn, at);
  }
  const names = [...functions.keys()].map((f) => (f.name && ts.isIdentifier(f.name) ? f.name.text : 'an anonymous function'));
  const fix: Fix = {
    ...base, ...lineColumn(ctx, site.statement), variant: 'async', safe: !reason, reason, preferred: false, edits: undefined,
    title: `Lazy-load '${site.specifier}' with await import() (makes ${names.length ? names.join(', ') : 'no function'} async: callers must await); errors from a missing or broken module move to the first use`,
    explanation: `Loads '${site.specifier}' asynchronously on first use. Every function that uses it becomes async and returns a promise, `
      + 'so its callers change behaviour unless they await it. Never applied automatically.',
  };
  return { fix, compute: (taken) => asyncEdits(ctx, site, refs, [...functions.values()], taken ?? new Set()) };
}

function asyncEdits(ctx: FileContext, site: ImportSite, refs: { b: ImportSite['bindings'][number]; r: { id: ts.Identifier; callee: boolean; inNewCallee: boolean; shorthand: boolean } }[], asyncAt: number[], taken: Set<string>): TextEdit[] {
  const b = baseName(site.specifier);
  const cache = freshName(ctx.text, `_${b}`, taken);
  taken.add(cache);
  const loader = freshName(ctx.text, `_import_${b}`, taken);
  taken.add(loader);
  const code = ctx.isTs
    ? `var ${cache}: Promise<typeof import(${site.specText})> | undefined;\nfunction ${loader}(): Promise<typeof import(${site.specText})> {\n  return ${cache} ??= import(${site.specText});\n}`
    : `var ${cache};\nfunction ${loader}() {\n  return ${cache} || (${cache} = import(${site.specText}));\n}`;
  const edits: TextEdit[] = [{ file: ctx.file, start: site.statement.getStart(ctx.sf), end: site.statement.end,
    newText: `// Loaded on first use (lazy-load, async): if ${site.specText} is missing or throws, the error now appears there.\n${code}` }];
  for (const at of new Set(asyncAt)) edits.push({ file: ctx.file, start: at, end: at, newText: 'async ' });
  for (const { b: binding, r } of refs) {
    const ns = `(await ${loader}())`;
    const member = binding.form === 'namespace' ? undefined : binding.form === 'default' ? 'default' : binding.imported ?? binding.local;
    const expr = member === undefined ? ns : isIdentifierName(member) ? `${ns}.${member}` : `${ns}[${JSON.stringify(member)}]`;
    let text = r.callee && member !== undefined ? `(0, ${expr})` : r.inNewCallee ? `(${expr})` : expr;
    if (r.shorthand) text = `${r.id.text}: ${text}`;
    if (asiHazard(ctx, r.id)) text = `;${text}`;
    edits.push({ file: ctx.file, start: r.id.getStart(ctx.sf), end: r.id.end, newText: text });
  }
  return edits;
}
