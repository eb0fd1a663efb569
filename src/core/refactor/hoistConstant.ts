// hoist-constant: a value rebuilt on every call or loop pass that is made only of literals and
// is only ever read (a regex without g/y, `new RegExp('lit')`, an array or object literal of
// primitives) becomes one module-level `const`; a `require('x')` in a loop reads a cached
// module-level variable. Offered only when the value provably cannot be changed, kept, compared
// or handed to unknown code, since all calls then share one instance.
import * as ts from 'typescript';
import type { Fix, TextEdit } from './types';
import type { Builder, TakenNames } from './lazyImport';
import { asiHazard } from './lazyImport';
import { baseName, freshName } from './names';
import { isAssignmentTarget, skipParensUp } from './usage';
import {
  CALLBACK_METHODS, type HotContext, cycleHazard, describeUse, enclosingLoop, inFunction, isConstList, isKnownString,
  isPrimitiveLiteral, isPureReaderCall, isSafeCallback, lineNo, lineOf, localRefs, markHot, moduleInsertPos, propName, unparen,
} from './hotSyntax';

type ValueKind = 'regex' | 'array' | 'object';

const REGEX_METHODS = new Set(['test', 'exec', 'toString']);
const ARRAY_METHODS = new Set(['includes', 'indexOf', 'lastIndexOf', 'join', 'at', 'slice', 'concat', 'toString']);
const OBJECT_METHODS = new Set(['hasOwnProperty', 'propertyIsEnumerable', 'toString']);
/** String methods that take a regex as their first argument and only read it (non-g/y regex). */
const STRING_REGEX_METHODS = new Set(['replace', 'replaceAll', 'match', 'matchAll', 'search', 'split']);

function regexFlags(lit: ts.RegularExpressionLiteral): string {
  return lit.text.slice(lit.text.lastIndexOf('/') + 1);
}

/** What the initializer is, and the refusal when it is of a hoistable shape but not hoistable. */
function classify(ctx: HotContext, init: ts.Expression): { kind: ValueKind; problem?: string } | undefined {
  let e = unparen(init);
  // `[...] as const`, `{...} satisfies T`: the value is the literal inside.
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) {
    if (ts.isAsExpression(e) && !(ts.isTypeReferenceNode(e.type) && e.type.getText(ctx.sf) === 'const')) return undefined;
    e = unparen(e.expression);
  }
  if (ts.isRegularExpressionLiteral(e)) {
    const flags = regexFlags(e);
    return { kind: 'regex', problem: /[gy]/.test(flags) ? `the regex has the '${flags.match(/[gy]/)![0]}' flag: it keeps lastIndex state between uses, so one shared instance would behave differently` : undefined };
  }
  if ((ts.isNewExpression(e) || ts.isCallExpression(e)) && ts.isIdentifier(e.expression) && e.expression.text === 'RegExp') {
    if (ctx.declared.has('RegExp')) return undefined;
    const args = e.arguments ?? [];
    if (args.length === 0 || args.length > 2 || !args.every((a) => ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a))) {
      return { kind: 'regex', problem: 'the RegExp is built from values that are not string literals: it may differ between calls' };
    }
    const [pattern, flags = ''] = args.map((a) => (a as ts.StringLiteral).text);
    if (/[gy]/.test(flags)) return { kind: 'regex', problem: `the regex has the '${flags.match(/[gy]/)![0]}' flag: it keeps lastIndex state between uses, so one shared instance would behave differently` };
    try { new RegExp(pattern, flags); } catch (err) {
      return { kind: 'regex', problem: `the pattern does not compile (${(err as Error).message}): hoisting would move the error to module load` };
    }
    return { kind: 'regex' };
  }
  if (ts.isArrayLiteralExpression(e)) {
    if (e.elements.length === 0) return undefined; // an empty array is filled later: not a constant, not a candidate
    return e.elements.every((x) => isPrimitiveLiteral(x)) ? { kind: 'array' } : undefined;
  }
  if (ts.isObjectLiteralExpression(e)) {
    if (e.properties.length === 0) return undefined;
    const keys = new Set<string>();
    for (const p of e.properties) {
      if (!ts.isPropertyAssignment(p) || !isPrimitiveLiteral(p.initializer)) return undefined;
      const key = propName(p.name);
      if (key === undefined || key === '__proto__' || keys.has(key)) return undefined;
      keys.add(key);
    }
    return { kind: 'object' };
  }
  return undefined;
}

/** Why one use of the shared value could observe or change it; undefined when it only reads. */
function useProblem(ctx: HotContext, node: ts.Node, kind: ValueKind): string | undefined {
  const up = skipParensUp(node);
  const p = up.parent;
  const line = lineNo(ctx, node);
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === up) {
    const outer = skipParensUp(p);
    const gp = outer.parent;
    if (isAssignmentTarget(p) || ts.isDeleteExpression(gp)) return `is changed (line ${line})`;
    if (ts.isCallExpression(gp) && gp.expression === outer) {
      const name = ts.isPropertyAccessExpression(p) ? p.name.text : undefined;
      const allowed = kind === 'regex' ? REGEX_METHODS : kind === 'array' ? ARRAY_METHODS : OBJECT_METHODS;
      if (name && allowed.has(name)) return undefined;
      const params = name && kind === 'array' ? CALLBACK_METHODS.get(name) : undefined;
      if (params !== undefined && isSafeCallback(gp.arguments[0], params)) return undefined;
      return `calls .${name ?? '[...]'}() on it (line ${line}), which may change it or hand it on`;
    }
    if (ts.isTaggedTemplateExpression(gp) && gp.tag === outer) return `calls a member of it (line ${line})`;
    return undefined; // a read of a member: a primitive or a builtin method
  }
  if (ts.isCallExpression(p) && p.arguments.includes(up as ts.Expression)) {
    const callee = p.expression;
    if (kind === 'regex' && ts.isPropertyAccessExpression(callee) && STRING_REGEX_METHODS.has(callee.name.text) && p.arguments[0] === up) {
      if (isKnownString(ctx, callee.expression)) return undefined;
      return `is passed to .${callee.name.text}() on '${oneLine(callee.expression.getText(ctx.sf))}' (line ${line}), which is not known to be a string (another receiver's method could keep the regex)`;
    }
    if (kind !== 'regex' && isPureReaderCall(ctx, p, up)) return undefined;
  }
  if (kind !== 'regex') {
    if (ts.isSpreadElement(p) || ts.isSpreadAssignment(p)) return undefined; // copies the elements
    if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.expression === up) return undefined;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword && p.right === up) return undefined;
  }
  if (ts.isTypeOfExpression(p)) return undefined;
  return describeUse(ctx, node);
}

function hoistedDecl(ctx: HotContext, name: string, init: string, from: string): string {
  return `const ${name} = ${init}; // hoisted from ${from} by Hotpath: built once, only read\n`;
}

function whereFrom(ctx: HotContext, node: ts.Node): string {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if ((ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isFunctionExpression(p)) && p.name) return `${p.name.getText(ctx.sf)}()`;
  }
  return `line ${lineNo(ctx, node)}`;
}

function whatOf(kind: ValueKind): string {
  return kind === 'regex' ? 'regex' : kind === 'array' ? 'constant array' : 'constant object';
}

/** `const NAME = <literal>` inside a function or loop. */
function constFix(ctx: HotContext, decl: ts.VariableDeclaration): Builder | undefined {
  const list = decl.parent as ts.VariableDeclarationList;
  if (!ts.isIdentifier(decl.name) || !decl.initializer || !isConstList(list) || !ts.isVariableStatement(list.parent)) return undefined;
  const statement = list.parent;
  const loop = enclosingLoop(statement);
  if (!loop && !inFunction(statement)) return undefined; // already module-level and evaluated once
  const shape = classify(ctx, decl.initializer);
  if (!shape) return undefined;
  const name = decl.name.text;
  let problem = shape.problem;
  if (!problem && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) problem = 'it is exported';
  if (!problem) {
    const { refs, redeclared } = localRefs(statement.parent, decl.name);
    if (redeclared) problem = `'${name}' is declared again in the same scope; rename one first`;
    for (const r of refs) {
      if (problem) break;
      if (r.captured) problem = `'${name}' is captured by a closure (line ${lineNo(ctx, r.id)})`;
      else { const why = useProblem(ctx, r.id, shape.kind); if (why) problem = `'${name}' ${why}`; }
    }
    if (!problem && refs.length === 0) problem = `'${name}' is never used`;
  }
  const cycle = !problem && cycleHazard(ctx);
  if (cycle) problem = `this ES module imports '${cycle}': an import cycle could call this code before a module-level constant is initialised`;
  const where = loop ? 'on every loop pass' : 'on every call';
  const fix: Fix = {
    file: ctx.file, ...lineOf(ctx, decl), kind: 'hoist-constant', module: name,
    title: `Hoist the ${whatOf(shape.kind)} '${name}' to module level (built once instead of ${where})`,
    safe: !problem, reason: problem, preferred: !problem, moduleKind: ctx.moduleKind,
    explanation: `'${name}' is made only of literals and is only read, so one instance created when the module loads `
      + `serves every ${loop ? 'pass' : 'call'}; nothing can tell the difference except the allocation it saves.`,
  };
  markHot(ctx, fix, decl);
  return {
    fix,
    compute: (taken?: TakenNames) => {
      const t = taken ?? new Set<string>();
      const hoisted = freshName(ctx.text, `_${name}`, t);
      t.add(hoisted);
      const init = decl.initializer!;
      const pos = moduleInsertPos(ctx);
      return [
        { file: ctx.file, start: pos, end: pos, newText: hoistedDecl(ctx, hoisted, init.getText(ctx.sf), whereFrom(ctx, decl)) },
        { file: ctx.file, start: init.getStart(ctx.sf), end: init.end, newText: hoisted },
      ];
    },
  };
}

/** A regex literal written inline where it is used (`/x/.test(s)`, `s.split(/,\s* /)`) in a function or loop. */
function inlineRegexFix(ctx: HotContext, lit: ts.RegularExpressionLiteral): Builder | undefined {
  const up = skipParensUp(lit);
  if (ts.isVariableDeclaration(up.parent)) return undefined; // handled as a const (or a let/var: not ours)
  const loop = enclosingLoop(lit);
  if (!loop && !inFunction(lit)) return undefined;
  // Only the two read-only shapes: receiver of .test/.exec, or first argument of a string method.
  const p = up.parent;
  const receiver = ts.isPropertyAccessExpression(p) && p.expression === up && REGEX_METHODS.has(p.name.text) && ts.isCallExpression(skipParensUp(p).parent);
  const argument = ts.isCallExpression(p) && p.arguments[0] === up && ts.isPropertyAccessExpression(p.expression) && STRING_REGEX_METHODS.has(p.expression.name.text);
  if (!receiver && !argument) return undefined;
  const flags = regexFlags(lit);
  let problem: string | undefined;
  if (/[gy]/.test(flags)) problem = `the regex has the '${flags.match(/[gy]/)![0]}' flag: it keeps lastIndex state between uses, so one shared instance would behave differently`;
  else problem = useProblem(ctx, lit, 'regex');
  if (problem && !/flag/.test(problem)) problem = `the regex ${problem}`;
  const cycle = !problem && cycleHazard(ctx);
  if (cycle) problem = `this ES module imports '${cycle}': an import cycle could call this code before a module-level constant is initialised`;
  const shown = lit.text.length > 30 ? `${lit.text.slice(0, 27)}...` : lit.text;
  const fix: Fix = {
    file: ctx.file, ...lineOf(ctx, lit), kind: 'hoist-constant', module: lit.text,
    title: `Hoist the regex ${shown} to module level (built once instead of ${loop ? 'on every loop pass' : 'on every call'})`,
    safe: !problem, reason: problem, preferred: !problem, moduleKind: ctx.moduleKind,
    explanation: 'A regex literal creates a new RegExp object each time it is evaluated. Without the g or y flag it keeps no state '
      + 'between uses, and it is only handed to builtin methods that read it, so one module-level instance behaves the same.',
  };
  markHot(ctx, fix, lit);
  return {
    fix,
    compute: (taken?: TakenNames) => {
      const t = taken ?? new Set<string>();
      const hoisted = freshName(ctx.text, '_re', t);
      t.add(hoisted);
      const pos = moduleInsertPos(ctx);
      return [
        { file: ctx.file, start: pos, end: pos, newText: hoistedDecl(ctx, hoisted, lit.text, whereFrom(ctx, lit)) },
        { file: ctx.file, start: lit.getStart(ctx.sf), end: lit.end, newText: hoisted },
      ];
    },
  };
}

/** `require('x')` on every loop pass: a module-level cache variable, filled on the first pass. */
function requireFix(ctx: HotContext, call: ts.CallExpression): Builder | undefined {
  if (!ts.isIdentifier(call.expression) || call.expression.text !== 'require' || call.arguments.length !== 1) return undefined;
  const arg = call.arguments[0];
  if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) return undefined;
  if (!enclosingLoop(call)) return undefined;
  // `_x || (_x = require('x'))`, `_x ??= require('x')`: already a cache fill.
  const up = skipParensUp(call).parent;
  if (ts.isBinaryExpression(up) && up.right === skipParensUp(call)
    && (up.operatorToken.kind === ts.SyntaxKind.EqualsToken || up.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken)) return undefined;
  let problem: string | undefined;
  if (ctx.declared.has('require')) problem = "'require' is declared in this file: it may not be Node's require";
  else if (/\brequire\s*\.\s*cache\b/.test(ctx.text)) problem = 'this file touches require.cache: a later require() may return a new instance';
  const spec = arg.text;
  const fix: Fix = {
    file: ctx.file, ...lineOf(ctx, call), kind: 'hoist-constant', module: spec,
    title: `Cache require('${spec}') outside the loop (resolved once instead of on every pass)`,
    safe: !problem, reason: problem, preferred: !problem, moduleKind: ctx.moduleKind,
    explanation: `require() returns the same cached module instance every time but resolves the path on every call. The first pass `
      + `still loads '${spec}' at the same point (errors included); later passes read a module-level variable.`,
  };
  markHot(ctx, fix, call);
  return {
    fix,
    compute: (taken?: TakenNames) => {
      const t = taken ?? new Set<string>();
      const cache = freshName(ctx.text, `_${baseName(spec)}`, t);
      t.add(cache);
      const req = call.getText(ctx.sf);
      let newText = ctx.isTs ? `(${cache} ??= ${req})` : `(${cache} || (${cache} = ${req}))`;
      if (asiHazard(ctx, call)) newText = `;${newText}`;
      const pos = moduleInsertPos(ctx);
      // `var`: hoisted, so code that runs before this line still finds it (undefined, then filled).
      const declText = ctx.isTs ? `var ${cache}: any; // require('${spec}') cached by Hotpath (same module instance)\n`
        : `var ${cache}; // require('${spec}') cached by Hotpath (same module instance)\n`;
      return [
        { file: ctx.file, start: pos, end: pos, newText: declText },
        { file: ctx.file, start: call.getStart(ctx.sf), end: call.end, newText },
      ];
    },
  };
}

/** All hoist-constant fixes of a file (one walk). */
export function hoistFixes(ctx: HotContext): Builder[] {
  const out: Builder[] = [];
  const visit = (n: ts.Node): void => {
    let b: Builder | undefined;
    if (ts.isVariableDeclaration(n)) b = constFix(ctx, n);
    else if (ts.isRegularExpressionLiteral(n)) b = inlineRegexFix(ctx, n);
    else if (ts.isCallExpression(n)) b = requireFix(ctx, n);
    if (b) out.push(b);
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return out;
}

export type { TextEdit };

/** Source text for a message: whitespace runs collapsed, cut at 30 characters. */
function oneLine(code: string): string {
  const flat = code.replace(/\s+/g, ' ').trim();
  return flat.length > 30 ? `${flat.slice(0, 29)}…` : flat;
}
