// Dependency reduction, part 2: imports whose names are never used are removed. Removing a
// whole import can stop loading a module; where that could drop side effects (own files,
// polyfills, register hooks) the fix is shown disabled with the reason.
import * as ts from 'typescript';
import type { Builder } from './lazyImport';
import type { ImportSite } from './imports';
import type { TextEdit } from './types';
import { type FileContext, lineColumn } from './context';
import { importStatements, quoteOf, removeStatement } from './importText';
import { isBuiltin } from './project';

const SIDE_EFFECT_HINT = /polyfill|register|shim|reflect-metadata|dotenv|colors|setup|env|global|init|patch|zone\.js|source-map-support/i;

export function unusedImportFix(ctx: FileContext, site: ImportSite): Builder | undefined {
  if (site.sideEffectOnly || site.exported || site.bindings.length === 0) return undefined;
  const unused = site.bindings.filter((b) => (ctx.usage.refs.get(b.local) ?? []).length === 0);
  if (unused.length === 0) return undefined;
  const whole = unused.length === site.bindings.length;
  // TypeScript drops an import with no value uses unless verbatimModuleSyntax keeps it.
  const elided = ctx.isTs && site.syntax !== 'require' && !ctx.flags.verbatimModuleSyntax;
  let reason: string | undefined;
  if (site.blocker) reason = site.blocker;
  else if (ctx.usage.hasJsx) reason = 'the file has JSX, which can use imported names implicitly';
  else if (ctx.usage.dynamicScope) reason = 'the file uses eval() or with, which can reach any name';
  else if (whole && !elided && !isBuiltin(site.specifier) && (site.specifier.startsWith('.') || SIDE_EFFECT_HINT.test(site.specifier))) {
    reason = `removing it would stop loading '${site.specifier}', which may have side effects; keep it as a side-effect import if they matter`;
  }
  const names = unused.map((b) => b.local).join(', ');
  return {
    fix: {
      file: ctx.file, ...lineColumn(ctx, site.declarator ?? site.statement), kind: 'unused-import', module: site.specifier,
      title: whole ? `Remove unused import of '${site.specifier}'` : `Remove unused ${names} from the import of '${site.specifier}'`,
      safe: !reason, reason, preferred: !reason, moduleKind: ctx.moduleKind,
      explanation: whole && !elided ? `${names} ${unused.length > 1 ? 'are' : 'is'} never used; '${site.specifier}' is no longer loaded by this file.`
        : `${names} ${unused.length > 1 ? 'are' : 'is'} never used.`,
    },
    compute: () => [unusedEdit(ctx, site, unused.map((b) => b.local), whole)],
  };
}

function unusedEdit(ctx: FileContext, site: ImportSite, unused: string[], whole: boolean): TextEdit {
  const st = site.statement;
  const d = site.declarator;
  if (d && ts.isVariableStatement(st) && st.declarationList.declarations.length > 1 && whole) {
    const list = st.declarationList.declarations;
    const i = list.indexOf(d);
    // Take the comma on one side with the declarator.
    const start = i > 0 ? list[i - 1].end : d.getStart(ctx.sf);
    const end = i > 0 ? d.end : list[i + 1].getStart(ctx.sf);
    return { file: ctx.file, start, end, newText: '' };
  }
  if (whole) return removeStatement(ctx, st);
  if (d && ts.isObjectBindingPattern(d.name)) {
    const kept = d.name.elements.filter((el) => !(ts.isIdentifier(el.name) && unused.includes(el.name.text)));
    return { file: ctx.file, start: d.name.getStart(ctx.sf), end: d.name.end, newText: `{ ${kept.map((el) => el.getText(ctx.sf)).join(', ')} }` };
  }
  const kept = site.bindings.filter((b) => !unused.includes(b.local)).map((b) => ({ binding: b, asType: b.typeOnly }));
  return { file: ctx.file, start: st.getStart(ctx.sf), end: st.end, newText: importStatements(site, kept, quoteOf(ctx, site)).join('\n') };
}
