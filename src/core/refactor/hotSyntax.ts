// Syntax helpers shared by the hot-code fixes (hoist-constant, pool-object, memoize): the
// context they need, references of one local binding, the builtins they trust, where module
// level code may be inserted. Everything is syntactic and conservative: when a question cannot
// be answered from the text (is this receiver a string?), the answer is "no".
import * as ts from 'typescript';
import type { CallCounts, Fix, ModuleKind } from './types';
import { isDeclarationName, isFunctionLike, isNonReference, skipParensUp } from './usage';

export interface HotContext {
  file: string;
  text: string;
  sf: ts.SourceFile;
  isTs: boolean;
  moduleKind: ModuleKind;
  /** Names declared anywhere in the file (any scope): a builtin with such a name is not trusted. */
  declared: Set<string>;
  /** Top-level functions the profile measured as hot: declaration line -> label. */
  hot: Map<number, string>;
  /** List every unsafe memoize candidate with its reason, not only hot ones. */
  explainUnsafe?: boolean;
  /** Counted calls of a measured run (memoize evidence). */
  calls?: CallCounts;
}

export function collectDeclared(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) { if (isDeclarationName(n)) out.add(n.text); return; }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

export function lineOf(ctx: HotContext, node: ts.Node): { line: number; column: number } {
  const lc = ctx.sf.getLineAndCharacterOfPosition(node.getStart(ctx.sf));
  return { line: lc.line + 1, column: lc.character + 1 };
}

export function lineNo(ctx: HotContext, node: ts.Node): number {
  return ctx.sf.getLineAndCharacterOfPosition(node.getStart(ctx.sf)).line + 1;
}

/** The measured label when `node` sits in a function the profile marks hot. */
export function hotLabel(ctx: HotContext, node: ts.Node): string | undefined {
  if (ctx.hot.size === 0) return undefined;
  for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
    const label = ctx.hot.get(lineNo(ctx, n));
    if (label && (isFunctionLike(n) || n === node)) return label;
  }
  return undefined;
}

/** Adds the hot label to a fix (title and field) when the site is in a measured hot function. */
export function markHot(ctx: HotContext, fix: Fix, node: ts.Node): Fix {
  const label = hotLabel(ctx, node);
  if (label) { fix.hot = label; fix.title += ` [hot: ${label}]`; }
  return fix;
}

export interface LocalRef {
  id: ts.Identifier;
  /** The reference is inside a function nested in the declaration's scope. */
  captured: boolean;
}

/**
 * References of the binding declared by `decl` within `scope` (the block that declares it).
 * `redeclared`: the same name is declared again inside the scope (a shadowing binding makes
 * the purely textual reference search unreliable, so callers refuse).
 */
export function localRefs(scope: ts.Node, decl: ts.Identifier): { refs: LocalRef[]; redeclared: boolean } {
  const refs: LocalRef[] = [];
  let redeclared = false;
  const visit = (n: ts.Node, fnDepth: number): void => {
    if (ts.isIdentifier(n)) {
      if (n.text !== decl.text || n === decl) return;
      if (isDeclarationName(n)) redeclared = true;
      else if (!isNonReference(n)) refs.push({ id: n, captured: fnDepth > 0 });
      return;
    }
    if (ts.isShorthandPropertyAssignment(n)) { // `{ x }` reads x: visit its name as a reference
      if (n.name.text === decl.text) refs.push({ id: n.name, captured: fnDepth > 0 });
      if (n.objectAssignmentInitializer) visit(n.objectAssignmentInitializer, fnDepth);
      return;
    }
    const inner = isFunctionLike(n) || ts.isClassLike(n) ? fnDepth + 1 : fnDepth;
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(scope, 0);
  return { refs, redeclared };
}

export function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}

/** True when `child` is part of what a loop runs on every pass (body, condition, incrementor). */
export function repeatsIn(loop: ts.IterationStatement, child: ts.Node): boolean {
  if (ts.isForStatement(loop)) return child !== loop.initializer;
  if (ts.isForInStatement(loop) || ts.isForOfStatement(loop)) return child === loop.statement;
  return true;
}

/** Walks from `node` up to the nearest function or source file: is it inside a loop pass? */
export function enclosingLoop(node: ts.Node): ts.IterationStatement | undefined {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (isFunctionLike(p) || ts.isSourceFile(p) || ts.isClassStaticBlockDeclaration(p)) return undefined;
    if (isLoop(p) && repeatsIn(p, child)) return p;
  }
  return undefined;
}

/** Inside a function body (any depth), not in top-level code. */
export function inFunction(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (isFunctionLike(p)) return true;
  return false;
}

/** `const` declaration list (not let/var, not `using`). */
export function isConstList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.Const;
}

export function unparen(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** A literal primitive: string, number (optionally negated), bigint, boolean, null, plain template. */
export function isPrimitiveLiteral(e: ts.Expression): boolean {
  e = unparen(e);
  if (ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  return ts.isPrefixUnaryExpression(e) && (e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken)
    && (ts.isNumericLiteral(e.operand) || ts.isBigIntLiteral(e.operand));
}

/** The name of a property (identifier or string key), undefined when computed or numeric. */
export function propName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

// String methods that return a string when called on a string.
const STRING_TO_STRING = new Set(['toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart',
  'trimEnd', 'normalize', 'padStart', 'padEnd', 'repeat', 'replace', 'replaceAll', 'substring', 'substr', 'charAt', 'slice', 'concat', 'at']);

/**
 * Whether an expression is syntactically known to be a string: literals, templates, `String(x)`,
 * `+` with a string side, string methods on a known string, and names declared `: string` in
 * TypeScript or `const`-initialised with a known string (never reassigned: `const`).
 */
export function isKnownString(ctx: HotContext, e: ts.Expression, depth = 0): boolean {
  if (depth > 8) return false;
  e = unparen(e);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return true;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return isKnownString(ctx, e.left, depth + 1) || isKnownString(ctx, e.right, depth + 1);
  }
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (ts.isIdentifier(callee) && callee.text === 'String' && !ctx.declared.has('String')) return true;
    if (ts.isPropertyAccessExpression(callee) && STRING_TO_STRING.has(callee.name.text)) return isKnownString(ctx, callee.expression, depth + 1);
    return false;
  }
  if (ts.isIdentifier(e)) {
    const decl = declarationOf(e);
    if (!decl) return false;
    if (ts.isParameter(decl)) return ctx.isTs && !!decl.type && decl.type.kind === ts.SyntaxKind.StringKeyword && !decl.dotDotDotToken && !decl.questionToken && !decl.initializer;
    if (ts.isVariableDeclaration(decl)) {
      const list = decl.parent;
      if (ctx.isTs && decl.type?.kind === ts.SyntaxKind.StringKeyword) return true;
      return ts.isVariableDeclarationList(list) && isConstList(list) && !!decl.initializer && isKnownString(ctx, decl.initializer, depth + 1);
    }
  }
  return false;
}

/**
 * The declaration an identifier refers to, found by walking the enclosing scopes; undefined
 * when the name is declared more than once on the way (ambiguous) or not at all.
 */
export function declarationOf(id: ts.Identifier): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!(ts.isBlock(scope) || ts.isSourceFile(scope) || isFunctionLike(scope) || ts.isForStatement(scope)
      || ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isCaseBlock(scope))) continue;
    const found: (ts.ParameterDeclaration | ts.VariableDeclaration)[] = [];
    let other = false;
    if (isFunctionLike(scope)) {
      for (const p of scope.parameters) if (ts.isIdentifier(p.name) && p.name.text === id.text) found.push(p);
    }
    const direct = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text) found.push(n);
      else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name?.text === id.text) other = true;
      if (n !== scope && (ts.isBlock(n) || isFunctionLike(n) || ts.isClassLike(n))) return;
      ts.forEachChild(n, direct);
    };
    if (isFunctionLike(scope)) { if (scope.body) ts.forEachChild(scope.body, direct); } else ts.forEachChild(scope, direct);
    if (found.length + Number(other) > 1 || other) return undefined;
    if (found.length === 1) return found[0];
    if (isFunctionLike(scope)) continue;
  }
  return undefined;
}

/** A `const NAME = <numeric literal>` at module level, or a numeric literal itself. */
export function isConstantNumber(ctx: HotContext, e: ts.Expression): boolean {
  e = unparen(e);
  if (ts.isNumericLiteral(e)) return true;
  if (!ts.isIdentifier(e)) return false;
  const decl = declarationOf(e);
  return !!decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && isConstList(decl.parent)
    && ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent)
    && !!decl.initializer && ts.isNumericLiteral(unparen(decl.initializer));
}

/**
 * Where module-level declarations go: before the first statement that is neither a directive
 * (`'use strict'`) nor a leading package import, and above the comment attached to it. Code
 * placed there runs before anything else in the module body (CommonJS requires included).
 */
export function moduleInsertPos(ctx: HotContext): number {
  const statements = ctx.sf.statements;
  let i = 0;
  const isDirective = (st: ts.Statement) => ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression);
  while (i < statements.length && isDirective(statements[i])) i++;
  let j = i;
  while (j < statements.length && (ts.isImportDeclaration(statements[j]) || ts.isImportEqualsDeclaration(statements[j]))) j++;
  // A relative import in TypeScript compiled to CommonJS is a require() in place: stay above it.
  if (statements.slice(i, j).some((s) => isRelativeImport(s))) j = i;
  const st = statements[j] ?? statements[statements.length - 1];
  if (!st) return 0;
  let pos = st.getStart(ctx.sf);
  const comments = ts.getLeadingCommentRanges(ctx.text, st.pos) ?? [];
  for (let k = comments.length - 1; k >= 0; k--) {
    if (/\n[ \t\r]*\n/.test(ctx.text.slice(comments[k].end, pos))) break;
    pos = comments[k].pos;
  }
  return pos;
}

function isRelativeImport(s: ts.Statement): boolean {
  let spec: ts.Expression | undefined;
  if (ts.isImportDeclaration(s)) { if (s.importClause?.isTypeOnly) return false; spec = s.moduleSpecifier; }
  else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference)) spec = s.moduleReference.expression;
  return !!spec && ts.isStringLiteral(spec) && /^\.{0,2}\//.test(spec.text);
}

/**
 * ES-module evaluation: static imports run before this module's body, so an import cycle can
 * call one of its hoisted function declarations before a module-level `const` is initialised.
 * Returns the first relative static import when that can happen.
 */
export function cycleHazard(ctx: HotContext): string | undefined {
  if (ctx.moduleKind === 'cjs' || ctx.moduleKind === 'ts-cjs') return undefined;
  for (const s of ctx.sf.statements) {
    if ((ts.isImportDeclaration(s) || (ts.isExportDeclaration(s) && !!s.moduleSpecifier && !s.isTypeOnly)) && !(ts.isImportDeclaration(s) && s.importClause?.isTypeOnly)) {
      const spec = s.moduleSpecifier;
      if (spec && ts.isStringLiteral(spec) && /^\.{0,2}\//.test(spec.text)) return spec.text;
    }
  }
  return undefined;
}

/** Statement lists a new statement can be inserted into. */
export function isStatementList(n: ts.Node): boolean {
  return ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n);
}

/** The indentation of the line `pos` is on. */
export function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, pos))![0];
}

/** How a use of a binding is described in a refusal, from the node that holds it. */
export function describeUse(ctx: HotContext, ref: ts.Node): string {
  const up = skipParensUp(ref);
  const p = up.parent;
  const line = lineNo(ctx, ref);
  if (ts.isReturnStatement(p) || ts.isArrowFunction(p)) return `is returned (line ${line})`;
  if (ts.isYieldExpression(p)) return `is yielded (line ${line})`;
  if (ts.isAwaitExpression(p)) return `is awaited (line ${line})`;
  if (ts.isThrowStatement(p)) return `is thrown (line ${line})`;
  if (ts.isVariableDeclaration(p)) return `is stored in '${p.name.getText(ctx.sf)}' (line ${line})`;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return p.right === up ? `is stored in ${p.left.getText(ctx.sf)} (line ${line})` : `is reassigned (line ${line})`;
  }
  if (ts.isBinaryExpression(p) && (p.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || p.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken
    || p.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken || p.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken)) return `its identity is compared (line ${line})`;
  if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) return `is stored in an object (line ${line})`;
  if (ts.isArrayLiteralExpression(p)) return `is stored in an array (line ${line})`;
  if (ts.isCallExpression(p) || ts.isNewExpression(p)) {
    if (p.expression === up) return `is called (line ${line})`;
    const callee = p.expression.getText(ctx.sf);
    return `is passed to ${callee.length > 40 ? 'a function' : callee + '()'} (line ${line}), which could keep or change it`;
  }
  return `is used as '${p.getText(ctx.sf).slice(0, 40).replace(/\s+/g, ' ')}' (line ${line}), which Hotpath cannot prove harmless`;
}

/** A callback literal that cannot reach the array it is called on (no 3rd/4th parameter, no `arguments`). */
export function isSafeCallback(e: ts.Expression | undefined, maxParams: number): boolean {
  if (!e) return false;
  e = unparen(e);
  if (!(ts.isArrowFunction(e) || ts.isFunctionExpression(e))) return false;
  if (e.parameters.length > maxParams || e.parameters.some((p) => p.dotDotDotToken)) return false;
  if (ts.isFunctionExpression(e)) {
    let usesArgs = false;
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n.text === 'arguments') usesArgs = true;
      else if (!(ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n))) ts.forEachChild(n, visit);
    };
    ts.forEachChild(e.body, visit);
    if (usesArgs) return false;
  }
  return true;
}

/** Array/typed-array methods taking a callback, with the parameter count that keeps the array out of reach. */
export const CALLBACK_METHODS = new Map<string, number>([['some', 2], ['every', 2], ['find', 2], ['findIndex', 2], ['findLast', 2],
  ['findLastIndex', 2], ['filter', 2], ['map', 2], ['forEach', 2], ['flatMap', 2], ['reduce', 3], ['reduceRight', 3]]);

/** Reads of a value's contents that neither keep nor change it: `Object.keys(x)`, `JSON.stringify(x)`... */
export function isPureReaderCall(ctx: HotContext, call: ts.CallExpression, arg: ts.Node): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const ns = callee.expression.text;
  const name = callee.name.text;
  if (ctx.declared.has(ns)) return false;
  const first = call.arguments[0] === arg;
  if (ns === 'Object') return first && ['keys', 'values', 'entries', 'hasOwn', 'isFrozen', 'isSealed'].includes(name);
  if (ns === 'JSON') return first && name === 'stringify' && call.arguments.length === 1;
  if (ns === 'Array') return first && (name === 'isArray' || (name === 'from' && call.arguments.length === 1));
  return false;
}
