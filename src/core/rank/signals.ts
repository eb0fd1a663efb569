// Static signals of one parsed file: one walk over the syntax tree, no type-checking (the
// checker is 20 to 50x slower than the parser and the ranking needs no types).
// `import =` gives the module object itself: esbuild's ESM interop would wrap every `ts.x` access in a getter.
import ts = require('typescript');
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

function functionName(node: ts.Node, parent: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
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
  /** The enclosing function and its name, for memoization candidates. */
  fn: ts.Node | undefined;
  fnName: string;
  /** The variable a `require()` in this initializer is assigned to. */
  declName?: ts.BindingName;
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
  const addImport = (site: ImportSite) => {
    out.imports.push(site);
    for (const b of site.bindings) importNames.add(b);
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
    });
  };

  const uses: Record<string, { top: number; fn: number; type: number }> = Object.create(null);
  const visitCall = (node: ts.CallExpression, ctx: Ctx) => {
    const name = calleeName(node.expression);
    const arg0 = node.arguments[0];
    const line = lineOf(node);
    if ((name === 'require' || node.expression.kind === ts.SyntaxKind.ImportKeyword) && arg0 && ts.isStringLiteralLike(arg0)) {
      const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      addImport({
        specifier: arg0.text, pkg: packageOf(arg0.text), line, kind: isDynamic ? 'dynamic-import' : 'require',
        topLevel: ctx.fnDepth === 0 && !isDynamic, typeOnly: false, inLoop: ctx.loopDepth > 0, bindings: bindingNames(ctx.declName),
      });
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
      const fnName = ctx.fnName;
      const params = (ctx.fn as ts.SignatureDeclaration).parameters?.length ?? 0;
      if (fnName && name === fnName && !memoSeen.has(ctx.fn) && maxSelfCallsPerStatement(ctx.fn, fnName) >= 2) {
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
  /**
   * Naive recursion is two self-calls in one expression (`f(n - 1) + f(n - 2)`): the same
   * sub-results are recomputed. Self-calls in separate statements (a tree walk) are not counted.
   */
  const maxSelfCallsPerStatement = (fn: ts.Node, name: string): number => {
    const cached = selfCalls.get(fn);
    if (cached !== undefined) return cached;
    let best = 0;
    const countIn = (x: ts.Node): number => {
      if (isFunctionLike(x)) return 0;
      let n = ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === name ? 1 : 0;
      x.forEachChild((c) => {
        n += countIn(c);
      });
      return n;
    };
    const walk = (x: ts.Node) => {
      if (isFunctionLike(x)) return;
      if (ts.isReturnStatement(x) || ts.isExpressionStatement(x) || ts.isVariableStatement(x)) best = Math.max(best, countIn(x));
      else x.forEachChild(walk);
    };
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (body) {
      if (ts.isBlock(body)) body.forEachChild(walk);
      else best = countIn(body);
    }
    selfCalls.set(fn, best);
    return best;
  };
  const count = (name: string, where: 'top' | 'fn' | 'type') => {
    const u = (uses[name] ??= { top: 0, fn: 0, type: 0 });
    u[where]++;
  };
  // Parents are passed down instead of stored in the tree: setParentNodes costs most of a parse.
  let childCtx: Ctx;
  let childParent: ts.Node;
  const visitChild = (child: ts.Node): undefined => {
    visit(child, childCtx, childParent);
    return undefined;
  };
  const visit = (node: ts.Node, ctx: Ctx, parent: ts.Node): void => {
    const kind = node.kind;
    if (kind === ts.SyntaxKind.Identifier) {
      // Every name is counted (one pass): a require found later in the walk still sees earlier uses.
      const isPropName = (parent.kind === ts.SyntaxKind.PropertyAccessExpression && (parent as ts.PropertyAccessExpression).name === node) ||
        (parent.kind === ts.SyntaxKind.PropertyAssignment && (parent as ts.PropertyAssignment).name === node);
      if (isPropName) return;
      const inType = parent.kind === ts.SyntaxKind.TypeReference || parent.kind === ts.SyntaxKind.QualifiedName || parent.kind === ts.SyntaxKind.TypeQuery;
      count((node as ts.Identifier).text, inType ? 'type' : ctx.fnDepth > 0 ? 'fn' : 'top');
      return;
    }
    if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) {
      collectImportDeclaration(node);
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)) {
      const spec = node.moduleReference.expression.text;
      addImport({ specifier: spec, pkg: packageOf(spec), line: lineOf(node), kind: 'require', topLevel: ctx.fnDepth === 0,
        typeOnly: node.isTypeOnly, inLoop: false, bindings: [node.name.text] });
      return;
    }
    if (kind === ts.SyntaxKind.VariableDeclaration) {
      // The declared name is not a use; a require() in the initializer binds it.
      const decl = node as ts.VariableDeclaration;
      if (decl.type) visit(decl.type, ctx, node);
      if (decl.initializer) visit(decl.initializer, { ...ctx, declName: decl.name }, node);
      return;
    }
    if (kind === ts.SyntaxKind.HeritageClause && (node as ts.HeritageClause).token === ts.SyntaxKind.ImplementsKeyword) {
      for (const t of (node as ts.HeritageClause).types) if (ts.isIdentifier(t.expression)) count(t.expression.text, 'type');
      return;
    }
    let next = ctx;
    if (isFunctionLike(node)) {
      out.functions++;
      // A callback of .map/.forEach runs once per element: its body is a loop body.
      const loopCallback = ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) &&
        LOOP_CALLBACKS.has(parent.expression.name.text) && parent.arguments.includes(node as ts.Expression);
      next = { fnDepth: ctx.fnDepth + 1, loopDepth: loopCallback ? ctx.loopDepth + 1 : 0, fn: node, fnName: functionName(node, parent), inLiteral: false };
    } else if (isLoop(node)) {
      if (ctx.fnDepth === 0 && ctx.loopDepth === 0) out.topLevelWork.push({ kind: 'loop', line: lineOf(node), detail: 'loop runs while the module loads' });
      // The loop header is treated as part of the body: simple, and rarely different in practice.
      next = { ...ctx, loopDepth: ctx.loopDepth + 1, declName: undefined };
    } else if (kind === ts.SyntaxKind.CallExpression) {
      visitCall(node as ts.CallExpression, ctx);
    } else if (ts.isNewExpression(node)) {
      const name = calleeName(node.expression);
      if (ctx.loopDepth > 0 && !ctx.inLiteral) out.loopAllocations.push({ line: lineOf(node), depth: ctx.loopDepth, detail: `new ${name || 'object'}() on every pass` });
      else if (ctx.fnDepth === 0 && !CHEAP_NEW.has(name)) out.topLevelWork.push({ kind: 'instantiation', line: lineOf(node), detail: `new ${name || 'object'}() at load` });
      if (name === 'RegExp' && ctx.fnDepth > 0) out.memoCandidates.push({ line: lineOf(node), detail: 'new RegExp() rebuilt on every call' });
    } else if (kind === ts.SyntaxKind.ArrayLiteralExpression || kind === ts.SyntaxKind.ObjectLiteralExpression) {
      if (!ctx.inLiteral) {
        const what = kind === ts.SyntaxKind.ArrayLiteralExpression ? 'array' : 'object';
        if (ctx.loopDepth > 0) out.loopAllocations.push({ line: lineOf(node), depth: ctx.loopDepth, detail: `${what} literal allocated on every pass` });
        else if (ctx.fnDepth === 0 && literalSize(node) >= LARGE_LITERAL_ITEMS) {
          out.topLevelWork.push({ kind: 'large-literal', line: lineOf(node), detail: `${what} literal with ${literalSize(node)} entries built at load` });
        }
        next = { ...ctx, inLiteral: true };
      }
    } else if (ctx.fnDepth === 0 && ts.isStringLiteralLike(node) && node.text.length >= LARGE_STRING_CHARS) {
      out.topLevelWork.push({ kind: 'large-literal', line: lineOf(node), detail: `${Math.round(node.text.length / 1024)} KB string literal` });
    }
    // One shared callback instead of a closure per node: the walk visits every node of the file.
    const savedCtx = childCtx;
    const savedParent = childParent;
    childCtx = next;
    childParent = node;
    ts.forEachChild(node, visitChild);
    childCtx = savedCtx;
    childParent = savedParent;
  };
  const top: Ctx = { fnDepth: 0, loopDepth: 0, fn: undefined, fnName: '', inLiteral: false };
  for (const st of sf.statements) visit(st, top, sf);
  for (const name of importNames) if (uses[name]) out.bindingUses[name] = uses[name];
  return out;
}
