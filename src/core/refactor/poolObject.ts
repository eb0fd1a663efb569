// pool-object: a temporary made on every loop pass and dropped at its end (`const p = { x: a, y: b }`,
// `const buf = new Float64Array(16)`) becomes one scratch object per run of the loop, reset on
// every pass before it is bound: every property reassigned in the literal's order (same shape,
// same evaluation order), typed arrays `.fill(0)` (zero-initialised, as new). Offered only when
// the object cannot outlive its pass: never returned, stored, captured, compared, passed to
// anything but a pure builtin reader, and no await/yield in the loop body.
import * as ts from 'typescript';
import type { Fix } from './types';
import type { Builder, TakenNames } from './lazyImport';
import { freshName } from './names';
import { isAssignmentTarget, isFunctionLike, skipParensUp } from './usage';
import {
  CALLBACK_METHODS, type HotContext, declarationOf, describeUse, enclosingLoop, indentAt, isConstList, isConstantNumber,
  isLoop, isPrimitiveLiteral, isPureReaderCall, isSafeCallback, isStatementList, lineNo, lineOf, localRefs, markHot, propName, unparen,
} from './hotSyntax';

const TYPED_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']);
const TYPED_READS = new Set(['length', 'byteLength', 'byteOffset', 'BYTES_PER_ELEMENT']);
const TYPED_METHODS = new Set(['indexOf', 'lastIndexOf', 'includes', 'join', 'at', 'slice', 'toString', 'set', 'fill', 'reverse', 'sort', 'copyWithin']);
/** Methods that return the array itself: their result must be dropped, or it would alias the pooled one. */
const RETURNS_SELF = new Set(['fill', 'reverse', 'sort', 'copyWithin']);

interface Shape { kind: 'object'; keys: { key: string; value: string }[] } // value: the expression text to assign
interface TypedShape { kind: 'typed'; ctor: string }

function hasFunction(n: ts.Node): boolean {
  let found = false;
  const visit = (c: ts.Node): void => {
    if (found) return;
    if (isFunctionLike(c) || ts.isClassLike(c)) { found = true; return; }
    ts.forEachChild(c, visit);
  };
  visit(n);
  return found;
}

function containsSuspend(body: ts.Node): boolean {
  let found = false;
  const visit = (c: ts.Node): void => {
    if (found || isFunctionLike(c)) return;
    if (ts.isAwaitExpression(c) || ts.isYieldExpression(c) || (ts.isForOfStatement(c) && c.awaitModifier)) { found = true; return; }
    ts.forEachChild(c, visit);
  };
  visit(body);
  return found;
}

function objectShape(ctx: HotContext, lit: ts.ObjectLiteralExpression): Shape | string {
  const keys: Shape['keys'] = [];
  const seen = new Set<string>();
  if (lit.properties.length === 0) return 'the object is empty: properties added later could not be reset';
  for (const p of lit.properties) {
    if (ts.isShorthandPropertyAssignment(p)) {
      if (p.objectAssignmentInitializer) return 'the object literal has a default initialiser';
      keys.push({ key: p.name.text, value: p.name.text });
    } else if (ts.isPropertyAssignment(p)) {
      const key = propName(p.name);
      if (key === undefined) return `the property ${p.name.getText(ctx.sf)} is computed or numeric: the reset could not name it`;
      if (hasFunction(p.initializer)) return `the property '${key}' creates a function on every pass`;
      keys.push({ key, value: p.initializer.getText(ctx.sf) });
    } else {
      return `the object literal has ${ts.isSpreadAssignment(p) ? 'a spread' : 'a method or accessor'}: its shape could vary between passes`;
    }
    const key = keys[keys.length - 1].key;
    if (key === '__proto__') return "the object literal sets '__proto__'";
    if (seen.has(key)) return `the property '${key}' is written twice`;
    seen.add(key);
  }
  return { kind: 'object', keys };
}

/** An index expression that is a number (so a write stays an element write, never a new property). */
function isNumericIndex(ctx: HotContext, e: ts.Expression, depth = 0): boolean {
  if (depth > 6) return false;
  e = unparen(e);
  if (ts.isNumericLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e)) return [ts.SyntaxKind.MinusToken, ts.SyntaxKind.PlusToken, ts.SyntaxKind.TildeToken].includes(e.operator);
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'length') return true;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken) return isNumericIndex(ctx, e.left, depth + 1) && isNumericIndex(ctx, e.right, depth + 1);
    return [ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken, ts.SyntaxKind.BarToken,
      ts.SyntaxKind.AmpersandToken, ts.SyntaxKind.CaretToken, ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.GreaterThanGreaterThanToken,
      ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, ts.SyntaxKind.AsteriskAsteriskToken].includes(op);
  }
  if (ts.isIdentifier(e)) {
    const decl = declarationOf(e);
    if (!decl) return false;
    if (ts.isParameter(decl)) return ctx.isTs && decl.type?.kind === ts.SyntaxKind.NumberKeyword;
    if (ctx.isTs && decl.type?.kind === ts.SyntaxKind.NumberKeyword) return true;
    // A loop counter: `for (let i = 0; ...; i++)`, only ever changed by ++/--/+= n/-= n.
    const list = decl.parent;
    if (!ts.isVariableDeclarationList(list) || !ts.isForStatement(list.parent) || !decl.initializer || !isNumericIndex(ctx, decl.initializer, depth + 1)) return false;
    const { refs, redeclared } = localRefs(list.parent, decl.name as ts.Identifier);
    if (redeclared) return false;
    return refs.every((r) => {
      if (!isAssignmentTarget(r.id)) return true;
      const p = skipParensUp(r.id).parent;
      if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) return true;
      return ts.isBinaryExpression(p) && [ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.EqualsToken].includes(p.operatorToken.kind)
        && isNumericIndex(ctx, p.right, depth + 1);
    });
  }
  return false;
}

function useProblem(ctx: HotContext, id: ts.Identifier, shape: Shape | TypedShape): string | undefined {
  const up = skipParensUp(id);
  const p = up.parent;
  const line = lineNo(ctx, id);
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === up) {
    const outer = skipParensUp(p);
    const gp = outer.parent;
    const name = ts.isPropertyAccessExpression(p) ? p.name.text
      : ts.isStringLiteral(p.argumentExpression) ? p.argumentExpression.text : undefined;
    if (ts.isDeleteExpression(gp)) return `has a property deleted (line ${line})`;
    if (ts.isCallExpression(gp) && gp.expression === outer) {
      if (shape.kind === 'object' || !ts.isPropertyAccessExpression(p)) return `has a method called on it (line ${line}): the method would see the pooled object as 'this'`;
      const m = p.name.text;
      const cb = CALLBACK_METHODS.get(m);
      if (cb !== undefined && isSafeCallback(gp.arguments[0], cb)) return undefined;
      if (m === 'sort' && gp.arguments.length === 1 && isSafeCallback(gp.arguments[0], 2)) return undefined;
      if (!TYPED_METHODS.has(m) || (m === 'sort' && gp.arguments.length > 0)) return `calls .${m}() on it (line ${line}), which may keep it or hand it on`;
      if (RETURNS_SELF.has(m) && !ts.isExpressionStatement(skipParensUp(gp).parent)) return `keeps the result of .${m}() (line ${line}), which is the pooled array itself`;
      return undefined;
    }
    if (isAssignmentTarget(p) || ts.isPrefixUnaryExpression(gp) && (gp.operator === ts.SyntaxKind.PlusPlusToken || gp.operator === ts.SyntaxKind.MinusMinusToken)
      || ts.isPostfixUnaryExpression(gp)) {
      if (shape.kind === 'object') {
        return name !== undefined && shape.keys.some((k) => k.key === name) ? undefined
          : `gets property ${name ? `'${name}'` : p.getText(ctx.sf)} written (line ${line}), which the per-pass reset would not restore`;
      }
      return ts.isElementAccessExpression(p) && isNumericIndex(ctx, p.argumentExpression) ? undefined
        : `is written at ${ts.isElementAccessExpression(p) ? `[${p.argumentExpression.getText(ctx.sf)}], not known to be a number` : `'${name}'`} (line ${line}): that could add a property the reset would not remove`;
    }
    if (shape.kind === 'typed') {
      if (ts.isPropertyAccessExpression(p) && !TYPED_READS.has(p.name.text)) return `reads '.${p.name.text}' (line ${line}), which may expose the pooled array`;
      if (ts.isElementAccessExpression(p) && !isNumericIndex(ctx, p.argumentExpression) && !ts.isNumericLiteral(p.argumentExpression)) {
        return `is read at [${p.argumentExpression.getText(ctx.sf)}] (line ${line}), not known to be a number`;
      }
    }
    return undefined;
  }
  if (ts.isCallExpression(p) && p.arguments.includes(up as ts.Expression) && isPureReaderCall(ctx, p, up)) return undefined;
  if (ts.isSpreadElement(p) || ts.isSpreadAssignment(p)) return undefined;
  if ((ts.isForOfStatement(p) || ts.isForInStatement(p)) && p.expression === up) return undefined;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword && p.right === up) return undefined;
  if (ts.isTypeOfExpression(p)) return undefined;
  return describeUse(ctx, id);
}

/** Where the scratch variable goes: before the outermost loop of the function (above its labels). */
function anchorOf(loop: ts.IterationStatement): ts.Statement | undefined {
  let best: ts.Statement | undefined;
  for (let n: ts.Node = loop; n && !isFunctionLike(n) && !ts.isSourceFile(n); n = n.parent) {
    if (!isLoop(n)) continue;
    let st: ts.Node = n;
    while (ts.isLabeledStatement(st.parent)) st = st.parent;
    if (isStatementList(st.parent)) best = st as ts.Statement;
  }
  return best;
}

function poolFix(ctx: HotContext, decl: ts.VariableDeclaration): Builder | undefined {
  const list = decl.parent as ts.VariableDeclarationList;
  if (!ts.isIdentifier(decl.name) || !decl.initializer || !ts.isVariableStatement(list.parent)) return undefined;
  const statement = list.parent;
  const loop = enclosingLoop(statement);
  if (!loop) return undefined;
  const init = unparen(decl.initializer);
  const name = decl.name.text;
  let shape: Shape | TypedShape | undefined;
  let problem: string | undefined;
  let what: string;
  if (ts.isObjectLiteralExpression(init)) {
    const s = objectShape(ctx, init);
    if (typeof s === 'string') problem = s; else shape = s;
    what = 'object';
  } else if (ts.isNewExpression(init) && ts.isIdentifier(init.expression)) {
    const ctor = init.expression.text;
    what = `new ${ctor}()`;
    if (TYPED_ARRAYS.has(ctor) && !ctx.declared.has(ctor)) {
      if (init.arguments?.length === 1 && isConstantNumber(ctx, init.arguments[0])) shape = { kind: 'typed', ctor };
      else problem = `the length of the ${ctor} is not a constant: a pooled array would have the wrong length`;
    } else {
      problem = `only object literals and typed arrays of constant length are pooled: new ${ctor}() runs a constructor whose effects cannot be reset`;
    }
  } else if (ts.isArrayLiteralExpression(init)) {
    if (init.elements.length > 0 && init.elements.every((e) => isPrimitiveLiteral(e))) return undefined; // a hoist-constant case
    what = 'array';
    problem = 'arrays are not pooled (their length and holes would need resetting); an array of literals only read can be hoisted instead';
  } else return undefined;
  if (!problem && !isConstList(list)) problem = `'${name}' is not a const: it may be reassigned`;
  if (!problem && ctx.isTs && shape?.kind === 'object' && !decl.type) problem = `'${name}' has no type annotation, which the pooled variable needs in TypeScript (add one, e.g. ': Point')`;
  if (!problem && containsSuspend(loop.statement)) problem = 'the loop body awaits or yields: other code runs while the object is in use';
  const anchor = anchorOf(loop);
  if (!problem && !anchor) problem = 'the loop is not in a statement block (e.g. an if without braces) where the scratch variable could go';
  if (!problem) {
    const { refs, redeclared } = localRefs(statement.parent, decl.name);
    if (redeclared) problem = `'${name}' is declared again in the same scope; rename one first`;
    for (const r of refs) {
      if (problem) break;
      if (r.captured) problem = `'${name}' is captured by a closure (line ${lineNo(ctx, r.id)}), which could keep it past its pass`;
      else { const why = useProblem(ctx, r.id, shape!); if (why) problem = `'${name}' ${why}`; }
    }
  }
  const fix: Fix = {
    file: ctx.file, ...lineOf(ctx, decl), kind: 'pool-object', module: name,
    title: `Reuse one '${name}' ${what === 'object' ? 'object' : what} across loop passes (reset on each pass instead of allocated)`,
    safe: !problem, reason: problem, preferred: !problem, moduleKind: ctx.moduleKind,
    explanation: shape?.kind === 'typed'
      ? `'${name}' is created on the first pass and zero-filled (.fill(0)) on later ones, exactly as a new ${shape.ctor} starts; it never outlives its pass.`
      : `'${name}' is created on the first pass; later passes reassign every property in the same order before it is used, so it has the same shape and values as a new literal. It never outlives its pass.`,
  };
  markHot(ctx, fix, decl);
  return { fix, compute: (taken?: TakenNames) => poolEdits(ctx, decl, shape!, anchor!, taken ?? new Set()) };
}

function poolEdits(ctx: HotContext, decl: ts.VariableDeclaration, shape: Shape | TypedShape, anchor: ts.Statement, taken: TakenNames) {
  const name = (decl.name as ts.Identifier).text;
  const scratch = freshName(ctx.text, `_${name}Pooled`, taken);
  taken.add(scratch);
  const init = decl.initializer!;
  let expr: string;
  let type = '';
  if (shape.kind === 'typed') {
    const zero = shape.ctor.startsWith('Big') ? '0n' : '0';
    expr = `${scratch} ? ${scratch}.fill(${zero}) : (${scratch} = ${init.getText(ctx.sf)})`;
    if (ctx.isTs) type = `: ${shape.ctor} | undefined`;
  } else {
    const sets = shape.keys.map((k) => `${scratch}${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k.key) ? `.${k.key}` : `[${JSON.stringify(k.key)}]`} = ${k.value}`);
    expr = `${scratch} ? (${sets.join(', ')}, ${scratch}) : (${scratch} = ${init.getText(ctx.sf)})`;
    if (ctx.isTs) type = `: ${decl.type!.getText(ctx.sf)} | undefined`;
  }
  const pos = anchor.getStart(ctx.sf);
  const indent = indentAt(ctx.text, pos);
  return [
    { file: ctx.file, start: pos, end: pos, newText: `let ${scratch}${type}; // one '${name}' reused by the loop below (Hotpath pool-object)\n${indent}` },
    { file: ctx.file, start: init.getStart(ctx.sf), end: init.end, newText: expr },
  ];
}

/** All pool-object fixes of a file (one walk). */
export function poolFixes(ctx: HotContext): Builder[] {
  const out: Builder[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n)) { const b = poolFix(ctx, n); if (b) out.push(b); }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return out;
}
