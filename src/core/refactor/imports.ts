// Finds the top-level imports of a file in every form the fixes understand: ESM `import`,
// TypeScript `import x = require()`, and CommonJS `const x = require()` (plain, destructured,
// or `require('m').prop`). Anything else is left alone.
import * as ts from 'typescript';

/** One local name an import creates and what it stands for in the module. */
export interface ImportBinding {
  local: string;
  /** 'default' | 'namespace' (the whole module object) | 'named' (`imported` property). */
  form: 'default' | 'namespace' | 'named';
  imported?: string;
  /** Written `type A` inside a value import. */
  typeOnly: boolean;
  /** The identifier that declares it (excluded from reference search). */
  declaration: ts.Identifier;
}

export interface ImportSite {
  statement: ts.Statement;
  /** For multi-declarator `const a = require('a'), b = ...`: the declarator of this import. */
  declarator?: ts.VariableDeclaration;
  syntax: 'import' | 'import-equals' | 'require';
  specifier: string;
  /** The specifier literal as written (keeps the file's quote style). */
  specText: string;
  /** Problems that make every fix of this import unsafe (computed property, nested pattern...). */
  blocker?: string;
  bindings: ImportBinding[];
  sideEffectOnly: boolean;
  exported: boolean;
}

function isRequireCall(node: ts.Expression | undefined): node is ts.CallExpression {
  return !!node && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require'
    && node.arguments.length === 1;
}

function hasExportModifier(node: ts.Node): boolean {
  return !!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
}

export function collectImports(sf: ts.SourceFile): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      const site = fromImportDeclaration(statement);
      if (site) sites.push(site);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expr = statement.moduleReference.expression;
      if (statement.isTypeOnly) continue;
      sites.push({
        statement, syntax: 'import-equals', specifier: ts.isStringLiteral(expr) ? expr.text : '', specText: expr.getText(),
        blocker: ts.isStringLiteral(expr) ? undefined : 'the module specifier is not a static string',
        bindings: [{ local: statement.name.text, form: 'namespace', typeOnly: false, declaration: statement.name }],
        sideEffectOnly: false, exported: hasExportModifier(statement),
      });
    } else if (ts.isVariableStatement(statement)) {
      for (const declarator of statement.declarationList.declarations) {
        const site = fromRequireDeclarator(statement, declarator);
        if (site) sites.push(site);
      }
    } else if (ts.isExpressionStatement(statement) && isRequireCall(statement.expression)) {
      const arg = statement.expression.arguments[0];
      sites.push({ statement, syntax: 'require', specifier: ts.isStringLiteralLike(arg) ? arg.text : '', specText: arg.getText(), bindings: [], sideEffectOnly: true, exported: false });
    }
  }
  return sites;
}

function fromImportDeclaration(statement: ts.ImportDeclaration): ImportSite | undefined {
  if (!ts.isStringLiteral(statement.moduleSpecifier)) return undefined;
  const specifier = statement.moduleSpecifier.text;
  const specText = statement.moduleSpecifier.getText();
  const clause = statement.importClause;
  if (!clause) return { statement, syntax: 'import', specifier, specText, bindings: [], sideEffectOnly: true, exported: false };
  if (clause.isTypeOnly) return undefined;
  const bindings: ImportBinding[] = [];
  if (clause.name) bindings.push({ local: clause.name.text, form: 'default', typeOnly: false, declaration: clause.name });
  const nb = clause.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) bindings.push({ local: nb.name.text, form: 'namespace', typeOnly: false, declaration: nb.name });
  if (nb && ts.isNamedImports(nb)) {
    for (const el of nb.elements) {
      const imported = (el.propertyName ?? el.name).text;
      bindings.push({ local: el.name.text, form: imported === 'default' ? 'default' : 'named', imported, typeOnly: el.isTypeOnly, declaration: el.name });
    }
  }
  const blocker = statement.attributes ? 'the import has import attributes' : undefined;
  return { statement, syntax: 'import', specifier, specText, bindings, sideEffectOnly: false, exported: false, blocker };
}

function fromRequireDeclarator(statement: ts.VariableStatement, declarator: ts.VariableDeclaration): ImportSite | undefined {
  let init = declarator.initializer;
  let property: string | undefined;
  if (init && ts.isPropertyAccessExpression(init) && isRequireCall(init.expression)) {
    property = init.name.text;
    init = init.expression;
  }
  if (!isRequireCall(init)) return undefined;
  const arg = init.arguments[0];
  const base = {
    statement, declarator, syntax: 'require' as const, sideEffectOnly: false, exported: hasExportModifier(statement),
    specifier: ts.isStringLiteralLike(arg) ? arg.text : '', specText: arg.getText(),
  };
  const dynamic = ts.isStringLiteralLike(arg) ? undefined : 'the module specifier is not a static string';
  if (ts.isIdentifier(declarator.name)) {
    const binding: ImportBinding = property === undefined
      ? { local: declarator.name.text, form: 'namespace', typeOnly: false, declaration: declarator.name }
      : { local: declarator.name.text, form: 'named', imported: property, typeOnly: false, declaration: declarator.name };
    return { ...base, bindings: [binding], blocker: dynamic ?? (declarator.type ? 'the declaration has a type annotation' : undefined) };
  }
  if (ts.isObjectBindingPattern(declarator.name) && property === undefined) {
    const bindings: ImportBinding[] = [];
    let blocker = dynamic;
    for (const el of declarator.name.elements) {
      const name = el.name;
      const prop = el.propertyName;
      if (el.dotDotDotToken || el.initializer || !ts.isIdentifier(name) || (prop && !ts.isIdentifier(prop) && !ts.isStringLiteral(prop))) {
        blocker ??= 'the destructuring pattern is not a plain list of names';
        if (ts.isIdentifier(name)) bindings.push({ local: name.text, form: 'named', imported: name.text, typeOnly: false, declaration: name });
        continue;
      }
      bindings.push({ local: name.text, form: 'named', imported: prop ? (prop as ts.Identifier | ts.StringLiteral).text : name.text, typeOnly: false, declaration: name });
    }
    return { ...base, bindings, blocker };
  }
  return { ...base, bindings: [], blocker: 'the declaration pattern is not supported' };
}
