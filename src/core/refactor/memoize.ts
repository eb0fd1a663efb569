// memoize: a top-level function declaration that is pure by construction (reads only its
// parameters, its locals, module-level constant primitives and other pure functions; calls only
// known-pure builtins; no this/arguments/await/yield/new/closures; writes only locals) and returns
// only primitives gets a bounded cache keyed by its primitive arguments. Object, function and -0
// arguments call straight through; exceptions are never cached. Never preferred: it pays only
// when the function is called repeatedly with the same arguments, which the text cannot show.
import { createHash } from 'crypto';
import * as path from 'path';
import * as ts from 'typescript';
import type { CallEvidence, Fix } from './types';
import type { Builder, TakenNames } from './lazyImport';
import { freshName } from './names';
import { isAssignmentTarget, isDeclarationName, isFunctionLike, isNonReference, skipParensUp } from './usage';
import { type HotContext, isConstList, isPrimitiveLiteral, lineNo, lineOf, hotLabel, markHot, unparen } from './hotSyntax';

export const MEMO_MAX = 1000;
const MARK = 'Memoized by Hotpath';

const PURE_GLOBAL_FUNCS = new Set(['Number', 'String', 'Boolean', 'parseInt', 'parseFloat', 'isNaN', 'isFinite']);
const GLOBAL_VALUES = new Set(['undefined', 'NaN', 'Infinity']);
const ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError']);
const NAMESPACES: Record<string, Set<string> | 'all'> = {
  Math: 'all', // except random, below
  Number: new Set(['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseFloat', 'parseInt']),
  String: new Set(['fromCharCode', 'fromCodePoint']),
  Object: new Set(['is']),
};
/** Builtin methods that are pure on primitive receivers and on arrays/regexes created locally. */
const PURE_METHODS = new Set(['charAt', 'charCodeAt', 'codePointAt', 'at', 'concat', 'endsWith', 'includes', 'indexOf', 'lastIndexOf',
  'localeCompare', 'match', 'normalize', 'padEnd', 'padStart', 'repeat', 'replace', 'replaceAll', 'search', 'slice', 'split', 'startsWith',
  'substring', 'substr', 'toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'toString', 'valueOf', 'toFixed', 'toPrecision',
  'toExponential', 'join', 'push', 'pop', 'shift', 'unshift', 'reverse', 'sort', 'splice', 'fill', 'test', 'exec']);
/** Of those, the ones that change their receiver (only allowed on arrays the function created). */
const MUTATING = new Set(['push', 'pop', 'shift', 'unshift', 'reverse', 'sort', 'splice', 'fill']);
/** Methods and properties no string or number has: calling them on a parameter means it takes objects. */
const OBJECT_ONLY = new Set(['join', 'push', 'pop', 'shift', 'unshift', 'reverse', 'sort', 'splice', 'fill', 'test', 'exec']);
/** Properties of strings and numbers (anything else read from a parameter is an object's property). */
const PRIMITIVE_PROPS = new Set(['length', ...PURE_METHODS].filter((m) => !OBJECT_ONLY.has(m)));
/** Of those, the ones whose result is a primitive whatever the receiver. */
const PRIMITIVE_RESULT = new Set(['charAt', 'charCodeAt', 'codePointAt', 'endsWith', 'includes', 'indexOf', 'lastIndexOf', 'localeCompare',
  'normalize', 'padEnd', 'padStart', 'repeat', 'replace', 'replaceAll', 'search', 'startsWith', 'substring', 'substr', 'toLowerCase',
  'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'toFixed', 'toPrecision', 'toExponential', 'join', 'test']);

interface FnFacts {
  decl: ts.FunctionDeclaration;
  name: string;
  problem?: string;
  deps: Set<string>;
  locals: Map<string, ts.Expression[] | 'object'>;
  returns: (ts.Expression | undefined)[];
  typedPrimitive: boolean;
  /** Why it takes objects (which always call through the cache), when the text shows it. */
  takesObjects?: string;
}

function isPrimitiveType(t: ts.TypeNode | undefined): boolean {
  if (!t) return false;
  if (ts.isParenthesizedTypeNode(t)) return isPrimitiveType(t.type);
  if (ts.isUnionTypeNode(t)) return t.types.every(isPrimitiveType);
  if (ts.isLiteralTypeNode(t) || ts.isTemplateLiteralTypeNode(t)) return true;
  return [ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.BigIntKeyword,
    ts.SyntaxKind.UndefinedKeyword, ts.SyntaxKind.VoidKeyword, ts.SyntaxKind.SymbolKeyword, ts.SyntaxKind.NeverKeyword].includes(t.kind);
}

interface ModuleFacts { constPrims: Set<string>; fns: Map<string, ts.FunctionDeclaration>; duplicate: Set<string>; assigned: Set<string> }

function moduleFacts(ctx: HotContext): ModuleFacts {
  const constPrims = new Set<string>();
  const fns = new Map<string, ts.FunctionDeclaration>();
  const duplicate = new Set<string>();
  const counts = new Map<string, number>();
  for (const st of ctx.sf.statements) {
    if (ts.isVariableStatement(st) && isConstList(st.declarationList)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && isPrimitiveLiteral(d.initializer)) constPrims.add(d.name.text);
    }
    if (ts.isFunctionDeclaration(st) && st.name) {
      counts.set(st.name.text, (counts.get(st.name.text) ?? 0) + 1);
      if (st.body) fns.set(st.name.text, st);
    }
  }
  for (const [n, c] of counts) if (c > 1) duplicate.add(n);
  const assigned = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) { if (!isDeclarationName(n) && isAssignmentTarget(n)) assigned.add(n.text); return; }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return { constPrims, fns, duplicate, assigned };
}

/** The syntactic purity check of one function: the first problem, the pure functions it calls, its locals. */
function facts(ctx: HotContext, mod: ModuleFacts, decl: ts.FunctionDeclaration): FnFacts {
  const name = decl.name!.text;
  const f: FnFacts = { decl, name, deps: new Set(), locals: new Map(), returns: [], typedPrimitive: ctx.isTs && isPrimitiveType(decl.type) };
  const fail = (why: string, at?: ts.Node) => { f.problem ??= at ? `${why} (line ${lineNo(ctx, at)})` : why; };
  if (decl.asteriskToken) fail('it is a generator');
  if (decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) fail('it is async: it returns a new promise on each call');
  if (mod.duplicate.has(name)) fail(`'${name}' has several declarations (overloads)`);
  if (mod.assigned.has(name)) fail(`'${name}' is reassigned in this file`);
  if (ctx.isTs && decl.typeParameters && !decl.type) fail('it is generic without a return type annotation');
  const addLocal = (n: string, value: ts.Expression | 'object' | undefined) => {
    const cur = f.locals.get(n) ?? [];
    if (value === 'object' || cur === 'object') { f.locals.set(n, 'object'); return; }
    f.locals.set(n, value ? [...cur, value] : cur);
  };
  for (const p of decl.parameters) {
    if (!ts.isIdentifier(p.name)) { fail('a parameter is destructured'); continue; }
    if (p.name.text === 'this') { fail("it declares a 'this' parameter"); continue; }
    if (p.dotDotDotToken) fail('it has a rest parameter (an array)');
    addLocal(p.name.text, p.initializer);
  }
  // Locals first (any position in the body: var hoisting).
  const collect = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n)) {
      if (ts.isIdentifier(n.name)) {
        const list = n.parent;
        const loop = ts.isVariableDeclarationList(list) ? list.parent : undefined;
        if (loop && ts.isForInStatement(loop)) addLocal(n.name.text, undefined); // keys: strings
        else if (loop && ts.isForOfStatement(loop)) addLocal(n.name.text, loop.expression); // primitive iff iterating a string
        else addLocal(n.name.text, n.initializer);
      } else {
        const names = (b: ts.BindingName): void => { if (ts.isIdentifier(b)) addLocal(b.text, 'object'); else b.elements.forEach((e) => { if (!ts.isOmittedExpression(e)) names(e.name); }); };
        names(n.name);
      }
    } else if (ts.isReturnStatement(n)) {
      f.returns.push(n.expression);
    } else if (ts.isCatchClause(n) && n.variableDeclaration) {
      const b = n.variableDeclaration.name;
      if (ts.isIdentifier(b)) addLocal(b.text, 'object'); else fail('a catch clause destructures');
      ts.forEachChild(n.block, collect);
      return;
    }
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, collect);
  };
  collect(decl.body!);
  const isLocal = (n: string) => f.locals.has(n);
  const params = new Set(decl.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const objectUse = (why: string, at: ts.Node) => { f.takesObjects ??= `${why} (line ${lineNo(ctx, at)})`; };
  if (ctx.isTs) {
    for (const p of decl.parameters) {
      if (ts.isIdentifier(p.name) && p.type && !isPrimitiveType(p.type) && isObjectType(p.type)) objectUse(`its parameter '${p.name.text}' is typed ${p.type.getText(ctx.sf)}`, p);
    }
  }
  const freshArrays = freshLocalArrays(f, params);

  const visit = (n: ts.Node): void => {
    if (f.problem) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword) return fail("it uses 'this'", n);
    if (n.kind === ts.SyntaxKind.SuperKeyword) return fail("it uses 'super'", n);
    if (isFunctionLike(n) || ts.isClassLike(n)) return fail('it creates a function or class (a closure)', n);
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) return fail('it awaits or yields', n);
    if (ts.isNewExpression(n)) {
      // `throw new TypeError(...)`: exceptions are never cached, so a fresh error per call is kept.
      const thrown = ts.isThrowStatement(skipParensUp(n).parent) && ts.isIdentifier(n.expression) && ERRORS.has(n.expression.text) && !ctx.declared.has(n.expression.text);
      if (!thrown) return fail(`it creates objects with new ${n.expression.getText(ctx.sf)}()`, n);
      n.arguments?.forEach(visit);
      return;
    }
    if (ts.isTaggedTemplateExpression(n)) return fail('it calls a template tag', n);
    if (ts.isMetaProperty(n) || n.kind === ts.SyntaxKind.ImportKeyword) return fail('it uses import', n);
    if (ts.isDeleteExpression(n)) return fail('it deletes a property', n);
    if (ts.isCallExpression(n)) {
      const callee = unparen(n.expression);
      if (ts.isIdentifier(callee)) {
        if (isLocal(callee.text)) return fail(`it calls the local '${callee.text}'`, n);
        if (mod.fns.has(callee.text)) f.deps.add(callee.text);
        else if (!(PURE_GLOBAL_FUNCS.has(callee.text) && !ctx.declared.has(callee.text))) return fail(`it calls ${callee.text}(), which is not known to be pure`, n);
        n.arguments.forEach(visit);
        return;
      }
      if (ts.isPropertyAccessExpression(callee)) {
        const m = callee.name.text;
        const ns = ts.isIdentifier(callee.expression) && !isLocal(callee.expression.text) ? callee.expression.text : undefined;
        if (ns && ns in NAMESPACES && !ctx.declared.has(ns)) {
          const allowed = NAMESPACES[ns];
          if ((ns === 'Math' && m === 'random') || (allowed !== 'all' && !allowed.has(m))) return fail(`it calls ${ns}.${m}(), which is not pure`, n);
          n.arguments.forEach(visit);
          return;
        }
        if (!PURE_METHODS.has(m)) return fail(`it calls .${m}(), which is not a known pure builtin method`, n);
        const root = rootName(callee.expression);
        if (MUTATING.has(m) && !isFreshArray(callee.expression, freshArrays)) {
          const shown = callee.expression.getText(ctx.sf);
          if (root && params.has(root)) return fail(`it changes its argument '${root}' (${shown}.${m}(), line ${lineNo(ctx, n)}): a cache would skip that change`);
          return fail(`it calls ${shown}.${m}(), which changes an array it did not create (an argument or a value it received; line ${lineNo(ctx, n)})`);
        }
        if (root && params.has(root) && OBJECT_ONLY.has(m)) objectUse(`it calls ${callee.expression.getText(ctx.sf)}.${m}(), a method of objects, on its argument '${root}'`, n);
        visit(callee.expression);
        n.arguments.forEach(visit);
        return;
      }
      return fail('it calls a computed function', n);
    }
    if (ts.isIdentifier(n)) {
      if (isDeclarationName(n) || isNonReference(n)) return;
      const t = n.text;
      if (t === 'arguments') return fail("it uses 'arguments'", n);
      if (isLocal(t)) return;
      if (isAssignmentTarget(n)) return fail(`it assigns to '${t}', which is not local`, n);
      if (mod.constPrims.has(t) || (GLOBAL_VALUES.has(t) && !ctx.declared.has(t))) return;
      if (mod.fns.has(t)) return fail(`it uses the function '${t}' as a value`, n);
      const p = skipParensUp(n).parent;
      if (t in NAMESPACES && !ctx.declared.has(t) && ts.isPropertyAccessExpression(p) && p.expression === n) {
        if (isAssignmentTarget(p)) return fail(`it assigns to ${p.getText(ctx.sf)}`, n);
        return; // a read such as Math.PI or Number.MAX_SAFE_INTEGER
      }
      return fail(`it reads '${t}', which is not a parameter, a local or a module-level constant primitive`, n);
    }
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(unparen(n.expression)) && params.has((unparen(n.expression) as ts.Identifier).text)
      && !PRIMITIVE_PROPS.has(n.name.text) && !OBJECT_ONLY.has(n.name.text)) {
      objectUse(`it reads ${n.getText(ctx.sf)}, a property of its argument '${(unparen(n.expression) as ts.Identifier).text}' that no string or number has`, n);
    }
    if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && isAssignmentTarget(n)) {
      let root: ts.Expression = n;
      while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isParenthesizedExpression(root)) root = root.expression;
      if (!ts.isIdentifier(root) || !isLocal(root.text)) return fail(`it writes to ${n.getText(ctx.sf)}, which is not local`, n);
      if (decl.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === root.text)) return fail(`it writes to ${n.getText(ctx.sf)}, a property of a parameter (it works on objects)`, n);
    }
    ts.forEachChild(n, visit);
  };
  for (const p of decl.parameters) if (p.initializer) visit(p.initializer);
  ts.forEachChild(decl.body!, visit);
  return f;
}

/** A TypeScript type that is certainly an object: references to non-primitive types, arrays, tuples, object literal and function types. */
function isObjectType(t: ts.TypeNode): boolean {
  if (ts.isParenthesizedTypeNode(t)) return isObjectType(t.type);
  if (ts.isUnionTypeNode(t) || ts.isIntersectionTypeNode(t)) return t.types.every((x) => isPrimitiveType(x) || isObjectType(x)) && t.types.some(isObjectType);
  if (ts.isArrayTypeNode(t) || ts.isTupleTypeNode(t) || ts.isTypeLiteralNode(t) || ts.isFunctionTypeNode(t) || ts.isConstructorTypeNode(t)) return true;
  if (ts.isTypeReferenceNode(t)) {
    // Type parameters and aliases may stand for primitives: only well-known object types and qualified names (ns.Node).
    const name = t.typeName.getText();
    return ts.isQualifiedName(t.typeName) || ['Array', 'ReadonlyArray', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Record', 'Date', 'RegExp', 'Promise', 'Function', 'Object'].includes(name)
      || /^[A-Z]\w*(Node|Element|Options|Config|Context|Map|Set|List|Array)$/.test(name);
  }
  return t.kind === ts.SyntaxKind.ObjectKeyword;
}

/** The identifier an access chain starts from (`a` of `a.b[0]`). */
function rootName(e: ts.Expression): string | undefined {
  let root = unparen(e);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isParenthesizedExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
  return ts.isIdentifier(root) ? root.text : undefined;
}

const FRESH_ARRAY_METHODS = new Set(['split', 'slice', 'concat', 'map', 'filter', 'flat', 'toSorted', 'toReversed', 'match']);

/** An array the function created itself: a literal, a new array from split/slice/concat/map/filter..., or a local always holding one. */
function isFreshArray(e: ts.Expression, freshLocals: Set<string>): boolean {
  e = unparen(e);
  if (ts.isIdentifier(e)) return freshLocals.has(e.text);
  if (ts.isArrayLiteralExpression(e)) return true;
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && FRESH_ARRAY_METHODS.has(e.expression.name.text);
}

/** Locals that always hold an array the function created itself. */
function freshLocalArrays(f: FnFacts, params: Set<string>): Set<string> {
  const fresh = (e: ts.Expression) => isFreshArray(e, new Set());
  const values = new Map<string, ts.Expression[]>();
  for (const [n, v] of f.locals) if (v !== 'object' && !params.has(n)) values.set(n, [...v]);
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) values.get(n.left.text)?.push(n.right);
    ts.forEachChild(n, visit);
  };
  visit(f.decl.body!);
  return new Set([...values].filter(([, vs]) => vs.length > 0 && vs.every(fresh)).map(([n]) => n));
}

/** Syntactically a primitive, given which locals are primitive and which functions return primitives. */
function isPrim(e: ts.Expression | undefined, f: FnFacts, primLocals: Set<string>, primFns: Set<string>, constPrims: Set<string>, depth = 0): boolean {
  if (!e) return true; // undefined
  if (depth > 50) return false;
  const rec = (x: ts.Expression) => isPrim(x, f, primLocals, primFns, constPrims, depth + 1);
  e = unparen(e);
  if (ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) return rec(e.expression);
  if (isPrimitiveLiteral(e) || ts.isTemplateExpression(e) || ts.isTypeOfExpression(e) || ts.isVoidExpression(e)) return true;
  if (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) return true;
  if (ts.isIdentifier(e)) return f.locals.has(e.text) ? primLocals.has(e.text) : constPrims.has(e.text) || GLOBAL_VALUES.has(e.text);
  if (ts.isConditionalExpression(e)) return rec(e.whenTrue) && rec(e.whenFalse);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken
      || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) return rec(e.right) && (op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken || rec(e.left));
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return rec(e.left) && rec(e.right);
    return true; // arithmetic, comparison, equality, in, instanceof, compound arithmetic assignment
  }
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'length' || (ts.isIdentifier(e.expression) && e.expression.text in NAMESPACES && !f.locals.has(e.expression.text));
  if (ts.isElementAccessExpression(e)) return rec(e.expression); // a character of a string
  if (ts.isCallExpression(e)) {
    const callee = unparen(e.expression);
    if (ts.isIdentifier(callee)) return primFns.has(callee.text) || PURE_GLOBAL_FUNCS.has(callee.text);
    if (ts.isPropertyAccessExpression(callee)) {
      if (ts.isIdentifier(callee.expression) && callee.expression.text in NAMESPACES && !f.locals.has(callee.expression.text)) return true;
      return PRIMITIVE_RESULT.has(callee.name.text) || ((callee.name.text === 'at' || callee.name.text === 'slice' || callee.name.text === 'concat' || callee.name.text === 'toString') && rec(callee.expression));
    }
  }
  return false;
}

function returnsPrimitive(f: FnFacts, primFns: Set<string>, constPrims: Set<string>): boolean {
  if (f.typedPrimitive) return true;
  const primLocals = new Set([...f.locals].filter(([, v]) => v !== 'object').map(([k]) => k));
  for (let changed = true; changed;) {
    changed = false;
    for (const n of [...primLocals]) {
      const values = f.locals.get(n) as ts.Expression[];
      if (!values.every((v) => isPrim(v, f, primLocals, primFns, constPrims))) { primLocals.delete(n); changed = true; }
    }
  }
  // Assignments to locals count as values too.
  const assigned = new Map<string, ts.Expression[]>();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken,
      ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken].includes(n.operatorToken.kind)) {
      assigned.set(n.left.text, [...(assigned.get(n.left.text) ?? []), n.right]);
    }
    ts.forEachChild(n, visit);
  };
  visit(f.decl.body!);
  for (let changed = true; changed;) {
    changed = false;
    for (const [n, values] of assigned) {
      if (primLocals.has(n) && !values.every((v) => isPrim(v, f, primLocals, primFns, constPrims))) { primLocals.delete(n); changed = true; }
    }
  }
  return f.returns.every((r) => isPrim(r, f, primLocals, primFns, constPrims));
}

export function memoizeFixes(ctx: HotContext): Builder[] {
  const mod = moduleFacts(ctx);
  const all = new Map<string, FnFacts>();
  for (const [name, decl] of mod.fns) all.set(name, facts(ctx, mod, decl));
  // Fixpoint: a function calling an impure one is impure; returning primitives may depend on callees.
  for (let changed = true; changed;) {
    changed = false;
    for (const f of all.values()) {
      if (f.problem) continue;
      const bad = [...f.deps].find((d) => all.get(d)?.problem);
      if (bad) { f.problem = `it calls ${bad}(), which is not pure: ${all.get(bad)!.problem}`; changed = true; }
    }
  }
  const primFns = new Set([...all.values()].filter((f) => !f.problem).map((f) => f.name));
  for (let changed = true; changed;) {
    changed = false;
    for (const n of [...primFns]) {
      if (!returnsPrimitive(all.get(n)!, primFns, mod.constPrims)) { primFns.delete(n); changed = true; }
    }
  }
  // Already memoized: the wrapper (marked by its comment) and the implementation it calls.
  const done = new Set<string>();
  for (const f of all.values()) {
    if (!ctx.text.slice(f.decl.body!.pos, f.decl.body!.end).includes(MARK)) continue;
    done.add(f.name);
    for (const d of f.deps) done.add(d);
  }
  const out: Builder[] = [];
  for (const f of all.values()) {
    if (done.has(f.name)) continue;
    if (f.decl.parameters.length === 0 || !f.returns.some((r) => r !== undefined)) continue; // nothing to key or to cache
    let problem = f.problem;
    if (!problem && !primFns.has(f.name)) problem = 'it may return an object: a cached object would be shared between callers';
    // Semantically safe, but a cache keyed by primitives can never hit: not a speed fix.
    if (!problem && f.takesObjects) problem = `not a speed fix: it takes objects (object arguments always call through the cache): ${f.takesObjects}`;
    const counted = problem ? undefined : evidenceFor(ctx, f);
    const evidence = counted && 'calls' in counted ? counted : undefined;
    if (!problem && evidence && !memoPays(evidence)) problem = `not a speed fix: ${describeCalls(evidence)}`;
    // Every function is a memoize candidate: listing why each impure one cannot be memoized is
    // noise. The reason is shown where the profile measured the function as hot (or when asked).
    if (problem && !ctx.explainUnsafe && !hotLabel(ctx, f.decl) && !evidence) continue;
    const measured = evidence ? `measured: ${describeCalls(evidence)}`
      : `not measured${counted && 'notCounted' in counted ? ` (${counted.notCounted})` : ''}: \`hotpath fixes --calls -- <command>\` counts its calls and repeated arguments`;
    const fix: Fix = {
      file: ctx.file, ...lineOf(ctx, f.decl), kind: 'memoize', module: f.name,
      title: `Memoize ${f.name}() (cache of up to ${MEMO_MAX} results): ${evidence ? `measured hit rate ${hitRate(evidence)} (${count(evidence.hits)} of ${count(evidence.calls)} call${evidence.calls === 1 ? '' : 's'})` : 'not measured; pays only for repeated arguments'}`,
      safe: !problem, reason: problem, preferred: false, moduleKind: ctx.moduleKind,
      explanation: `${f.name}() returns a primitive computed only from its arguments, module-level constants and other such functions, `
        + 'and changes nothing outside itself, so a call with the same primitive arguments returns the same value. '
        + `Results are cached in a Map (cleared when it holds ${MEMO_MAX}); object, function and -0 arguments call through, `
        + 'exceptions are not cached. It costs a lookup per call, so it pays only where calls repeat their arguments: '
        + `${measured}.`
        + (f.deps.has(f.name) ? ' Recursive calls go through the cache: each level of recursion now takes two stack frames.' : ''),
      ...(evidence ? { calls: evidence } : {}),
    };
    markHot(ctx, fix, f.decl);
    out.push({ fix, compute: (taken?: TakenNames) => memoEdits(ctx, f, taken ?? new Set()) });
  }
  return out;
}

/** A cache pays from this many answered calls in the measured run, and this share of its calls. */
export const MEMO_MIN_HITS = 100;
export const MEMO_MIN_HIT_RATE = 0.5;

export function memoPays(e: CallEvidence): boolean {
  return e.hits >= MEMO_MIN_HITS && e.hitRate >= MEMO_MIN_HIT_RATE;
}

const count = (n: number) => n.toLocaleString('en-US');

function hitRate(e: CallEvidence): string {
  const pct = e.hitRate * 100;
  return `${pct >= 99.95 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

export function describeCalls(e: CallEvidence): string {
  if (e.calls === 0) return `the measured run (${e.run.command}) never called it`;
  const rate = hitRate(e);
  const parts = [`${count(e.calls)} call${e.calls === 1 ? '' : 's'} in ${e.processes} process${e.processes === 1 ? '' : 'es'}`,
    `${e.distinctCapped ? 'at least ' : ''}${count(e.distinct)} distinct argument${e.distinct === 1 ? '' : 's'}`];
  if (e.bypassed) parts.push(`${count(e.bypassed)} with object arguments (call through)`);
  const why = memoPays(e) ? '' : e.hits < MEMO_MIN_HITS
    ? ` (a cache pays from ${MEMO_MIN_HITS} hits and ${MEMO_MIN_HIT_RATE * 100} % of calls)`
    : ` (below the ${MEMO_MIN_HIT_RATE * 100} % a cache needs to pay)`;
  return `${parts.join(', ')}: hit rate ${rate} (${count(e.hits)} calls a ${MEMO_MAX}-entry cache would have answered)${why}`;
}

/** sha1 of a function declaration's text: counted calls apply while it is unchanged. */
export function declHash(ctx: HotContext, decl: ts.FunctionDeclaration): string {
  return createHash('sha1').update(decl.getText(ctx.sf)).digest('hex');
}

/** The counted calls of this function; undefined without a count (no run, or added or edited since), or why the run could not count it. */
function evidenceFor(ctx: HotContext, f: FnFacts): CallEvidence | { notCounted: string } | undefined {
  if (!ctx.calls) return undefined;
  const hash = declHash(ctx, f.decl);
  const rec = ctx.calls.functions.find((c) => c.name === f.name && c.hash === hash && samePath(c.file, ctx.file));
  if (!rec) return undefined;
  if (!rec.instrumented && rec.calls === 0) return { notCounted: `run ${ctx.calls.id} could not count it: ${rec.reason ?? 'its code was not found in what ran'}` };
  return {
    calls: rec.calls, bypassed: rec.bypassed, distinct: rec.distinct, distinctCapped: rec.distinctCapped, hits: rec.hits,
    hitRate: rec.calls ? rec.hits / rec.calls : 0, processes: rec.processes,
    run: { id: ctx.calls.id, command: ctx.calls.command, createdAt: ctx.calls.createdAt },
  };
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** Where a counting run inserts its call counter: the body's start, after its directives ('use strict'). */
export interface MemoTarget { name: string; hash: string; params: number; offset: number }

/** The candidates worth counting: safe, not taking objects, not memoized yet. */
export function memoTargets(ctx: HotContext): MemoTarget[] {
  const out: MemoTarget[] = [];
  for (const b of memoizeFixes({ ...ctx, calls: undefined, explainUnsafe: false, hot: new Map() })) {
    if (!b.fix.safe) continue;
    const decl = ctx.sf.statements.find((st): st is ts.FunctionDeclaration => ts.isFunctionDeclaration(st) && st.name?.text === b.fix.module && !!st.body);
    if (!decl) continue;
    const body = decl.body!;
    let offset = body.getStart(ctx.sf) + 1;
    for (const st of body.statements) {
      if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) break;
      offset = st.end;
    }
    out.push({ name: b.fix.module, hash: declHash(ctx, decl), params: decl.parameters.length, offset });
  }
  return out;
}

function memoEdits(ctx: HotContext, f: FnFacts, taken: TakenNames) {
  const impl = freshName(ctx.text, `_${f.name}_impl`, taken);
  taken.add(impl);
  const cache = freshName(ctx.text, `_${f.name}_cache`, taken);
  taken.add(cache);
  const decl = f.decl;
  const params = decl.parameters.map((p) => (p.name as ts.Identifier).text);
  const used = new Set(params);
  const local = (want: string) => { let n = want; for (let i = 2; used.has(n) || new RegExp(`\\b${n}\\b`).test(decl.getText(ctx.sf)); i++) n = `${want}${i}`; used.add(n); return n; };
  const c = local('cache');
  const key = local('key');
  const result = local('result');
  const unknown = ctx.isTs ? ': unknown' : '';
  const nl = '\n  ';
  const lines: string[] = [];
  const call = `${impl}(${params.join(', ')})`;
  // Aliases typed `unknown` in TypeScript so the checks compile whatever the parameter types are.
  const alias = params.map((p) => (ctx.isTs ? local(`${p}Key`) : p));
  if (ctx.isTs) params.forEach((p, i) => lines.push(`const ${alias[i]}${unknown} = ${p};`));
  const bypass = alias.map((a) => `(typeof ${a} === 'object' ? ${a} !== null : typeof ${a} === 'function'${params.length > 1 ? ` || typeof ${a} === 'symbol'` : ''} || (${a} === 0 && 1 / ${a} < 0))`);
  lines.push(`if (${bypass.join(' || ')}) return ${call};`);
  const keyExpr = params.length === 1 ? alias[0]
    : alias.map((a) => `(typeof ${a} === 'string' ? 's' + ${a}.length + ':' + ${a} : typeof ${a} + ':' + String(${a}))`).join(` + '|' + `);
  lines.push(`const ${key} = ${keyExpr};`);
  lines.push(`const ${c} = ${ctx.isTs ? `(${cache} ??= new Map())` : `${cache} || (${cache} = new Map())`};`);
  lines.push(`if (${c}.has(${key})) return ${c}.get(${key});`);
  lines.push(`const ${result} = ${call};`);
  lines.push(`if (${c}.size >= ${MEMO_MAX}) ${c}.clear();`);
  lines.push(`${c}.set(${key}, ${result});`);
  lines.push(`return ${result};`);
  const modifiers = (decl.modifiers ?? []).map((m) => m.getText(ctx.sf)).join(' ');
  const typeParams = decl.typeParameters ? `<${decl.typeParameters.map((t) => t.getText(ctx.sf)).join(', ')}>` : '';
  const paramText = decl.parameters.map((p) => p.getText(ctx.sf)).join(', ');
  const ret = ctx.isTs ? `: ${decl.type ? decl.type.getText(ctx.sf) : `ReturnType<typeof ${impl}>`}` : '';
  const wrapper = `${modifiers ? `${modifiers} ` : ''}function ${f.name}${typeParams}(${paramText})${ret} {${nl}`
    + `// ${MARK}: pays only for repeated calls with the same primitive arguments; objects, functions and -0 call through, exceptions are not cached.${nl}`
    + lines.join(nl) + '\n}\n'
    + `var ${cache}${ctx.isTs ? ': Map<unknown, any> | undefined' : ''};\n`
    + `function ${impl}`;
  return [{ file: ctx.file, start: decl.getStart(ctx.sf), end: decl.name!.end, newText: wrapper }];
}
