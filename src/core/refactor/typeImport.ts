// Imports whose names are only used as types become `import type` (whole statement) or get
// inline `type` modifiers (mixed imports). Under TypeScript's default elision the emitted
// JavaScript does not change (hygiene: the fix says so and claims no speed); only where the build
// keeps value imports (verbatimModuleSyntax, preserveValueImports, importsNotUsedAsValues, swc or
// Babel set to keep them, Node's type stripping) does a whole-statement conversion stop this file
// from loading the module.
import type { Builder } from './lazyImport';
import type { ImportSite } from './imports';
import { type FileContext, lineColumn } from './context';
import { importStatements, quoteOf } from './importText';

export function typeImportFix(ctx: FileContext, site: ImportSite): Builder | undefined {
  if (!ctx.isTs || site.sideEffectOnly || site.blocker || site.exported || site.syntax === 'require') return undefined;
  const refsOf = (local: string) => ctx.usage.refs.get(local) ?? [];
  const typeOnly = site.bindings.filter((b) => !b.typeOnly && refsOf(b.local).length > 0 && refsOf(b.local).every((r) => r.type));
  if (typeOnly.length === 0) return undefined;
  const whole = site.bindings.every((b) => b.typeOnly || typeOnly.includes(b) || refsOf(b.local).length === 0);
  let reason: string | undefined;
  if (ctx.usage.hasJsx) reason = 'the file has JSX, which can use imported names implicitly';
  else if (ctx.flags.emitDecoratorMetadata && ctx.usage.hasDecorators) reason = 'emitDecoratorMetadata is on and the file has decorators: type annotations can be emitted as runtime values';
  else {
    const shadowed = typeOnly.find((b) => ctx.usage.shadowed.has(b.local));
    if (shadowed) reason = `'${shadowed.local}' is declared again elsewhere in this file`;
  }
  const names = typeOnly.map((b) => b.local).join(', ');
  const kept = ctx.flags.valueImportsKept;
  // Only a whole-statement conversion under a build that keeps value imports changes what runs.
  const hygiene = !(kept && whole);
  const runtime = !hygiene
    ? ` With ${kept}, the import is kept in the JavaScript: after the fix this file no longer loads '${site.specifier}' (another file may still load it; measure with \`hotpath compare\`).`
    : kept
      ? ` Hygiene, not speed: other names of this import are used as values, so '${site.specifier}' is still loaded.`
      : ` Hygiene, not speed: TypeScript's default elision already leaves this import out of the JavaScript (no emitted byte changes); the import now says so. It would stop a load only in builds that keep value imports (verbatimModuleSyntax, preserveValueImports, swc or Babel set to keep them, Node's type stripping), and none was found for this file.`;
  const label = hygiene ? ' (hygiene: no runtime change)' : ' (this file stops loading it)';
  return {
    fix: {
      file: ctx.file, ...lineColumn(ctx, site.statement), kind: 'type-import', module: site.specifier,
      title: (whole ? `Convert to 'import type' (only used as types): '${site.specifier}'` : `Mark ${names} as type-only in the import of '${site.specifier}'`) + label,
      safe: !reason, reason, preferred: !reason, moduleKind: ctx.moduleKind, hygiene,
      explanation: `${names} ${typeOnly.length > 1 ? 'are' : 'is'} only used in type positions.${runtime}`,
    },
    compute: () => {
      const st = site.statement;
      const start = st.getStart(ctx.sf);
      if (site.syntax === 'import-equals') {
        return [{ file: ctx.file, start, end: st.end, newText: st.getText(ctx.sf).replace(/^import\s+/, 'import type ') }];
      }
      // Unused names are kept as they were: removing them is the unused-import fix's job.
      const kept = site.bindings.map((b) => ({ binding: b, asType: b.typeOnly || typeOnly.includes(b) || (whole && refsOf(b.local).length === 0) }));
      return [{ file: ctx.file, start, end: st.end, newText: importStatements(site, kept, quoteOf(ctx, site)).join('\n') }];
    },
  };
}
