// Static signals of one parsed file: one walk over the syntax tree, no type-checking (the
// checker is 20 to 50x slower than the parser and the ranking needs no types).
import * as ts from 'typescript';
import { FileSignals, ImportSite } from './types';

const LOOP_CALLBACKS = new Set(['map', 'forEach', 'filter', 'reduce', 'flatMap', 'some', 'every', 'find']);
const CHEAP_NEW = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Error', 'TypeError', 'Symbol', 'EventEmitter', 'AbortController']);
// Module-system boilerplate emitted by tsc/esbuild/babel: not the module's own work.
const BOILERPLATE_CALLS = new Set([
  'require', 'Object.defineProperty', 'Object.freeze', '__exportStar', '__export', '__importStar', '__importDefault',
  '__setModuleDefault', '__createBinding', '__decorate', '__metadata', '__param', 'Symbol.for', 'Object.assign',
  'module.exports', 'exports', 'Object.setPrototypeOf', 'describe', 'it', 'test', 'jsii.rtti',
]);
const LARGE_LITERAL_ITEMS = 100;
const LARGE_STRING_CHARS = 10_000;

function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('#') || /^[a-z]+:/i.test(spec)) {
    return spec.startsWith('node:') ? spec : undefined;
  }
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function calleeName(expr: ts.Expression): string {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) {
    const left = calleeName(expr.expression);
    return left ? `${left}.${expr.name.text}` : expr.name.text;
  }
  if (ts.isParenthesizedExpression(expr)) return calleeName(expr.expression);
  return '';
}

function bindingNames(name: ts.BindingName | undefined): string[] {
  if (!name) return [];
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

function isFunctionLike(node: ts.Node): boolean {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node);
}

function isLoop(node: ts.Node): boolean {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) ||
    ts.isWhileStatement(node) || ts.isDoStatement(node);
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
  return '';
}

function literalSize(node: ts.Node): number {
  if (ts.isArrayLiteralExpression(node)) return node.elements.length;
  if (ts.isObjectLiteralExpression(node)) return node.properties.length;
  return 0;
}

interface Ctx {
  fnDepth: number;
  loopDepth: number;
  /** Name of the enclosing function, for memoization candidates. */
  fn: ts.Node | undefined;
  /** Inside an object/array literal already reported (report the outermost only). */
  inLiteral: boolean;
}

export function extractSignals(sf: ts.SourceFile, filePath: string, bytes: number): FileSignals {
  const lineOf = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const out: FileSignals = {
    path: filePath, lines: sf.getLineStarts().length, bytes, imports: [], topLevelWork: [], loopAllocations: [],
    memoCandidates: [], bindingUses: {}, functions: 0,
  };
  const importNames = new Set<string>();
  const declNodes = new Set<ts.Node>();
  const addImport = (site: ImportSite, nameNodes: ts.Node[]) => {
    out.imports.push(site);
    for (const b of site.bindings) importNames.add(b);
    for (const n of nameNodes) declNodes.add(n);
  };
  // Identifier nodes of a binding pattern, to not count the declaration as a use.
  const nameNodesOf = (name: ts.BindingName | undefined): ts.Node[] => {
    if (!name) return [];
    if (ts.isIdentifier(name)) return [name];
    return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : nameNodesOf(el.name)));
  };

  const collectImportDeclaration = (node: ts.ImportDeclaration | ts.ExportDeclaration) => {
    if (!node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) return;
    const spec = node.moduleSpecifier.text;
    const names: ts.Identifier[] = [];
    let typeOnly = false;
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      typeOnly = !!clause?.isTypeOnly;
      if (clause?.name) names.push(clause.name);
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) names.push(nb.name);
      if (nb && ts.isNamedImports(nb)) {
        const value = nb.elements.filter((e) => !e.isTypeOnly);
        if (!clause?.name && nb.elements.length > 0 && value.length === 0) typeOnly = true;
        names.push(...value.map((e) => e.name));
      }
    } else {
      typeOnly = node.isTypeOnly;
    }
    addImport({
      specifier: spec, pkg: packageOf(spec), line: lineOf(node),
      kind: ts.isImportDeclaration(node) ? 'import' : 'export-from',
      topLevel: true, typeOnly, inLoop: false, bindings: names.map((n) => n.text),
    }, names);
  };

  const uses: Record<string, { top: number; fn: number; type: number }> = Object.create(null);
  const visitCall = (node: ts.CallExpression, ctx: Ctx) => {
    const name = calleeName(node.expression);
    const arg0 = node.arguments[0];
    const line = lineOf(node);
    if ((name === 'require' || node.expression.kind === ts.SyntaxKind.ImportKeyword) && arg0 && ts.isStringLiteralLike(arg0)) {
      const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      let decl: ts.BindingName | undefined;
      let p: ts.Node = node.parent;
      while (p && (ts.isPropertyAccessExpression(p) || ts.isParenthesizedExpression(p) || ts.isCallExpression(p))) p = p.parent;
      if (p && ts.isVariableDeclaration(p)) decl = p.name;
      addImport({
        specifier: arg0.text, pkg: packageOf(arg0.text), line, kind: isDynamic ? 'dynamic-import' : 'require',
        topLevel: ctx.fnDepth === 0 && !isDynamic, typeOnly: false, inLoop: ctx.loopDepth > 0, bindings: bindingNames(decl),
      }, nameNodesOf(decl));
      // The declared name was visited (and counted as a use) before its initializer.
      for (const n of bindingNames(decl)) {
        const u = uses[n];
        if (u) ctx.fnDepth > 0 ? u.fn-- : u.top--;
      }
      if (name === 'require' && ctx.loopDepth > 0) {
        out.topLevelWork.push({ kind: 'require-in-loop', line, detail: `require('${arg0.text}') inside a loop` });
      }
      return;
    }
    if (ctx.fnDepth === 0 && ctx.loopDepth === 0) {
      if (/Sync$/.test(name)) out.topLevelWork.push({ kind: 'sync-io', line, detail: `${name}() runs while the module loads` });
      else if (name === 'JSON.parse') {
        const big = arg0 && ts.isStringLiteralLike(arg0) && arg0.text.length > 1000;
        out.topLevelWork.push({ kind: 'json-parse', line, detail: big ? `JSON.parse of a ${Math.round(arg0.text.length / 1024)} KB literal at load` : 'JSON.parse at load' });
      } else if (name && !BOILERPLATE_CALLS.has(name) && !name.startsWith('exports.') && !name.startsWith('module.')) {
        out.topLevelWork.push({ kind: 'call', line, detail: `${name}() called at load` });
      }
    }
    if (ctx.fn && ctx.fnDepth > 0) {
      const fnName = functionName(ctx.fn);
      const params = (ctx.fn as ts.SignatureDeclaration).parameters?.length ?? 0;
      if (fnName && name === fnName && countSelfCalls(ctx.fn, fnName) >= 2 && !memoSeen.has(ctx.fn)) {
        memoSeen.add(ctx.fn);
        out.memoCandidates.push({ line: lineOf(ctx.fn), detail: `${fnName}() calls itself more than once per call: repeated pure work` });
      } else if (params === 0 && fnName && (/Sync$/.test(name) || name === 'JSON.parse') && !memoSeen.has(ctx.fn)) {
        memoSeen.add(ctx.fn);
        out.memoCandidates.push({ line: lineOf(ctx.fn), detail: `${fnName}() redoes ${name}() on every call with no arguments: cache the result` });
      } else if (name === 'RegExp' || (ctx.loopDepth > 0 && name === 'JSON.parse')) {
        out.memoCandidates.push({ line, detail: `${name}() rebuilt on every call` });
      }
    }
  };
  const memoSeen = new Set<ts.Node>();
  const selfCalls = new Map<ts.Node, number>();
  const countSelfCalls = (fn: ts.Node, name: string): number => {
    const cached = selfCalls.get(fn);
    if (cached !== undefined) return cached;
    let n = 0;
    const walk = (x: ts.Node) => {
      if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === name) n++;
      x.forEachChild(walk);
    };
    fn.forEachChild(walk);
    selfCalls.set(fn, n);
    return n;
  };

  const visit = (node: ts.Node, ctx: Ctx): void => {
    if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) {
      collectImportDeclaration(node);
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)) {
      const spec = node.moduleReference.expression.text;
      addImport({ specifier: spec, pkg: packageOf(spec), line: lineOf(node), kind: 'require', topLevel: ctx.fnDepth === 0,
        typeOnly: node.isTypeOnly, inLoop: false, bindings: [node.name.text] }, [node.name]);
      return;
    }
    if (ts.isIdentifier(node)) {
      // Every name is counted (one pass): a require found later in the walk still sees earlier uses.
      if (!declNodes.has(node)) {
        const parent = node.parent;
        const isPropName = (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
          (ts.isPropertyAssignment(parent) && parent.name === node);
        if (!isPropName) {
          const u = (uses[node.text] ??= { top: 0, fn: 0, type: 0 });
          const inType = ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isTypeQueryNode(parent) ||
            (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent) && parent.parent.token === ts.SyntaxKind.ImplementsKeyword);
          if (inType) u.type++;
          else if (ctx.fnDepth > 0) u.fn++;
          else u.top++;
        }
      }
      return;
    }
    let next = ctx;
    if (isFunctionLike(node)) {
      out.functions++;
      // A callback of .map/.forEach runs once per element: its body is a loop body.
      const call = node.parent;
      const loopCallback = ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) &&
        LOOP_CALLBACKS.has(call.expression.name.text) && call.arguments.includes(node as ts.Expression);
      next = { fnDepth: ctx.fnDepth + 1, loopDepth: loopCallback ? ctx.loopDepth + 1 : 0, fn: node, inLiteral: false };
    } else if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      // Class bodies are evaluated at load only for static members and heritage; treat members as functions.
    } else if (isLoop(node)) {
      if (ctx.fnDepth === 0 && ctx.loopDepth === 0) out.topLevelWork.push({ kind: 'loop', line: lineOf(node), detail: 'loop runs while the module loads' });
      next = { ...ctx, loopDepth: ctx.loopDepth + 1 };
      // The loop header runs once (for-of expression) or per pass: keep it simple and treat all as body.
    } else if (ts.isCallExpression(node)) {
      visitCall(node, ctx);
    } else if (ts.isNewExpression(node)) {
      const name = calleeName(node.expression);
      if (ctx.loopDepth > 0 && !ctx.inLiteral) out.loopAllocations.push({ line: lineOf(node), detail: `new ${name || 'object'}() on every pass` });
      else if (ctx.fnDepth === 0 && !CHEAP_NEW.has(name)) out.topLevelWork.push({ kind: 'instantiation', line: lineOf(node), detail: `new ${name || 'object'}() at load` });
      if (name === 'RegExp' && ctx.fnDepth > 0) out.memoCandidates.push({ line: lineOf(node), detail: 'new RegExp() rebuilt on every call' });
    } else if (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) {
      if (!ctx.inLiteral) {
        const what = ts.isArrayLiteralExpression(node) ? 'array' : 'object';
        if (ctx.loopDepth > 0) out.loopAllocations.push({ line: lineOf(node), detail: `${what} literal allocated on every pass` });
        else if (ctx.fnDepth === 0 && literalSize(node) >= LARGE_LITERAL_ITEMS) {
          out.topLevelWork.push({ kind: 'large-literal', line: lineOf(node), detail: `${what} literal with ${literalSize(node)} entries built at load` });
        }
      }
      next = { ...ctx, inLiteral: true };
    } else if (ts.isStringLiteralLike(node) && ctx.fnDepth === 0 && node.text.length >= LARGE_STRING_CHARS) {
      out.topLevelWork.push({ kind: 'large-literal', line: lineOf(node), detail: `${Math.round(node.text.length / 1024)} KB string literal` });
    }
    node.forEachChild((child) => visit(child, next));
  };
  // Imports first, so later uses of their names are recognised wherever they appear.
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isImportEqualsDeclaration(st)) visit(st, { fnDepth: 0, loopDepth: 0, fn: undefined, inLiteral: false });
  }
  for (const st of sf.statements) {
    if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isImportEqualsDeclaration(st))) visit(st, { fnDepth: 0, loopDepth: 0, fn: undefined, inLiteral: false });
  }
  for (const name of importNames) if (uses[name]) out.bindingUses[name] = uses[name];
  return out;
}
