// Where each imported name is used: in a type or a value position, while the module evaluates
// or later, and in which syntactic role (call target, `new` target, shorthand property...).
// Scope analysis is deliberately conservative: a name declared a second time anywhere in the
// file counts as shadowed and blocks the fixes that would rewrite it.
import * as ts from 'typescript';

export interface Reference {
  id: ts.Identifier;
  type: boolean;
  /** Set when the use runs while the module evaluates: says where ("a top-level statement"). */
  eager?: string;
  /** Set when the use cannot be rewritten: re-export, assignment, JSX tag. */
  problem?: string;
  shorthand: boolean;
  /** `x(...)` or x`...`: a member read must keep `this` undefined: `(0, m.x)(...)`. */
  callee: boolean;
  /** The reference starts the callee of `new`: the replacement needs parentheses. */
  inNewCallee: boolean;
}

export interface Usage {
  refs: Map<string, Reference[]>;
  /** Names declared more than once in the file (any scope). */
  shadowed: Set<string>;
  /** `eval(...)` or `with` makes every binding reachable by name. */
  dynamicScope: boolean;
  hasJsx: boolean;
  hasDecorators: boolean;
}

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration
  | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

export function isFunctionLike(n: ts.Node): n is FunctionLike {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)
    || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);
}

export function skipParensUp(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && ts.isParenthesizedExpression(p)) { n = p; p = p.parent; }
  return n;
}

export function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)
    || ts.isFunctionExpression(p) || ts.isClassExpression(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p)
    || ts.isEnumDeclaration(p) || ts.isModuleDeclaration(p) || ts.isTypeParameterDeclaration(p) || ts.isImportClause(p)
    || ts.isNamespaceImport(p) || ts.isImportSpecifier(p) || ts.isImportEqualsDeclaration(p) || ts.isBindingElement(p))
    && (p as ts.NamedDeclaration).name === id;
}

/** Identifiers that are not references at all: property names, labels, member names. */
export function isNonReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && (ts.isPropertyAccessExpression(p) ? p.name : p.right) === id) return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)
    || ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)
    || ts.isJsxAttribute(p) || ts.isMetaProperty(p) || ts.isNamespaceExportDeclaration(p)) && (p as ts.NamedDeclaration).name === id) return true;
  if (ts.isBindingElement(p) && p.propertyName === id) return true;
  if ((ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === id) return ts.isImportSpecifier(p) || !!p.parent.parent.moduleSpecifier;
  if (ts.isExportSpecifier(p) && p.parent.parent.moduleSpecifier) return true;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  if (ts.isImportTypeNode(p) || ts.isTypePredicateNode(p) && p.parameterName === id) return true;
  return false;
}

function isTypePosition(id: ts.Node): boolean {
  for (let p = id.parent; p; p = p.parent) {
    if (ts.isExpressionWithTypeArguments(p)) {
      const clause = p.parent;
      return !(ts.isHeritageClause(clause) && clause.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(clause.parent));
    }
    if (ts.isTypeNode(p) || ts.isTypeQueryNode(p)) return true;
    if (ts.isTypeAliasDeclaration(p) || ts.isInterfaceDeclaration(p)) return true;
    if (ts.isExpression(p) && !ts.isIdentifier(p) && !ts.isPropertyAccessExpression(p)) return false;
    if (ts.isStatement(p) || isFunctionLike(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

export function isAssignmentTarget(id: ts.Node): boolean {
  let n: ts.Node = id;
  for (let p = n.parent; p; n = p, p = p.parent) {
    if (ts.isParenthesizedExpression(p) || ts.isShorthandPropertyAssignment(p) || ts.isArrayLiteralExpression(p)
      || ts.isObjectLiteralExpression(p) || ts.isSpreadElement(p) || ts.isSpreadAssignment(p)
      || (ts.isPropertyAssignment(p) && p.initializer === n)) continue;
    if (ts.isBinaryExpression(p)) return p.left === n && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
    if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && n === id) {
      return p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken;
    }
    if (ts.isForInStatement(p) || ts.isForOfStatement(p)) return p.initializer === n;
    return false;
  }
  return false;
}

/** The top-level name a function or class is bound to, when calls to it can be traced. */
function topLevelName(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isClassDeclaration(fn)) && ts.isSourceFile(fn.parent)) return fn.name?.text;
  const up = skipParensUp(fn).parent;
  if (up && ts.isVariableDeclaration(up) && ts.isIdentifier(up.name) && ts.isSourceFile(up.parent.parent.parent)) return up.name.text;
  return undefined;
}

/**
 * Whether code at `node` runs while the module evaluates. Function bodies are deferred unless
 * immediately invoked; default parameter values are eager when the function is called (or
 * `new`ed) during evaluation (`eagerNames`). Returns the reason when eager.
 */
export function evaluationTiming(node: ts.Node, eagerNames: Set<string>): string | undefined {
  let why: string | undefined;
  for (let child: ts.Node = node, p = node.parent; p; child = p, p = p.parent) {
    if (ts.isSourceFile(p)) return why ?? 'top-level code';
    const inParams = isFunctionLike(p) && (p.parameters as readonly ts.Node[]).includes(child);
    if (isFunctionLike(p) && (child === p.body || inParams)) {
      const outer = skipParensUp(p).parent;
      if ((ts.isCallExpression(outer) || ts.isNewExpression(outer)) && skipParensUp(p) === outer.expression) {
        why ??= 'an immediately invoked function';
        continue;
      }
      // The body of a function called at top level may use the import on a rarely taken
      // branch (a CLI's main): deferred. Its default parameter values run at that call.
      const owner = ts.isConstructorDeclaration(p) ? p.parent : p;
      const name = topLevelName(owner);
      if (inParams && name && eagerNames.has(name)) { why ??= `a default parameter value of ${name}(), which is called while the module evaluates`; continue; }
      return undefined;
    }
    if (ts.isPropertyDeclaration(p) && child === p.initializer) why ??= 'a class field initialiser';
    else if (ts.isClassStaticBlockDeclaration(p)) why ??= 'a class static block';
    else if (ts.isDecorator(p)) why ??= 'a decorator';
    else if (ts.isHeritageClause(p) && p.token === ts.SyntaxKind.ExtendsKeyword) why ??= "a class 'extends' clause";
  }
  return why;
}

function inNewCallee(id: ts.Node): boolean {
  let n: ts.Node = id;
  for (let p = n.parent; p; n = p, p = p.parent) {
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) continue;
    if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p)) return false;
    return ts.isNewExpression(p) && p.expression === n;
  }
  return false;
}

function inComputedName(id: ts.Node): boolean {
  if (!/\.(c|m)?tsx?$/.test(id.getSourceFile().fileName)) return false;
  for (let p = id.parent; p && !ts.isStatement(p) && !ts.isClassElement(p); p = p.parent) if (ts.isComputedPropertyName(p)) return true;
  return false;
}

/** `Object.defineProperty(exports, 'x', { get: function () { return m.x; } })`, as TypeScript emits. */
function inExportsGetter(id: ts.Node): boolean {
  for (let p = id.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (!(ts.isFunctionExpression(p) || ts.isArrowFunction(p) || ts.isMethodDeclaration(p))) continue;
    const prop = ts.isMethodDeclaration(p) ? p : p.parent;
    if (!(ts.isPropertyAssignment(prop) || ts.isMethodDeclaration(prop)) || prop.name.getText() !== 'get') return false;
    const call = prop.parent.parent;
    return ts.isCallExpression(call) && /^Object\.defineProperty$/.test(call.expression.getText())
      && /^(module\.)?exports$/.test(call.arguments[0]?.getText() ?? '');
  }
  return false;
}

function isJsxTag(id: ts.Node): boolean {
  let n = id;
  while (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) n = n.parent;
  const p = n.parent;
  return (ts.isJsxOpeningElement(p) || ts.isJsxSelfClosingElement(p) || ts.isJsxClosingElement(p)) && p.tagName === n;
}

export function analyzeUsage(sf: ts.SourceFile, names: Set<string>, importDeclarations: Set<ts.Identifier>): Usage {
  const usage: Usage = { refs: new Map(), shadowed: new Set(), dynamicScope: false, hasJsx: false, hasDecorators: false };
  const found: ts.Identifier[] = [];
  const candidates = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    const name = topLevelName(st);
    if (name) candidates.set(name, st);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && ts.isParenthesizedExpression(d.initializer) ? d.initializer.expression : d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isFunctionExpression(init) || ts.isArrowFunction(init) || ts.isClassExpression(init))) candidates.set(d.name.text, init);
      }
    }
  }
  const candidateRefs: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      if (names.has(n.text) || candidates.has(n.text)) {
        if (isDeclarationName(n)) {
          if (names.has(n.text) && !importDeclarations.has(n)) usage.shadowed.add(n.text);
        } else if (!isNonReference(n)) {
          if (names.has(n.text)) found.push(n);
          if (candidates.has(n.text)) candidateRefs.push(n);
        }
      }
      if (n.text === 'eval' && ts.isCallExpression(n.parent) && n.parent.expression === n) usage.dynamicScope = true;
      return;
    }
    if (ts.isWithStatement(n)) usage.dynamicScope = true;
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n)) usage.hasJsx = true;
    if (ts.isDecorator(n)) usage.hasDecorators = true;
    ts.forEachChild(n, visit);
  };
  visit(sf);

  // Fixed point: a top-level function or class called (or `new`ed) while the module evaluates
  // makes its body evaluation-time code too.
  const eagerNames = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const id of candidateRefs) {
      if (eagerNames.has(id.text)) continue;
      const call = skipParensUp(id).parent;
      const invoked = (ts.isCallExpression(call) || ts.isNewExpression(call) || ts.isTaggedTemplateExpression(call))
        && (ts.isTaggedTemplateExpression(call) ? call.tag : call.expression) === skipParensUp(id);
      if (invoked && evaluationTiming(id, eagerNames) !== undefined) { eagerNames.add(id.text); changed = true; }
    }
  }

  for (const id of found) {
    const p = id.parent;
    const ref: Reference = { id, type: isTypePosition(id), shorthand: ts.isShorthandPropertyAssignment(p) && p.name === id, callee: false, inNewCallee: false };
    if (!ref.type) {
      ref.eager = evaluationTiming(id, eagerNames);
      const up = skipParensUp(id);
      const call = up.parent;
      ref.callee = (ts.isCallExpression(call) && call.expression === up) || (ts.isTaggedTemplateExpression(call) && call.tag === up);
      ref.inNewCallee = inNewCallee(id);
      if (ts.isExportSpecifier(p) || ts.isExportAssignment(p)) ref.problem = 'is re-exported';
      else if (isAssignmentTarget(id)) ref.problem = 'is assigned to';
      else if (isJsxTag(id)) ref.problem = 'is used as a JSX tag';
      else if (inExportsGetter(id)) ref.problem = "is re-exported through an exports getter (Node's ESM named-export detection reads that exact form)";
      else if (inComputedName(id)) ref.problem = 'is used in a computed member name (TypeScript needs the plain name there)';
    }
    const list = usage.refs.get(id.text) ?? [];
    list.push(ref);
    usage.refs.set(id.text, list);
  }
  return usage;
}
