// Dependency reduction, part 1: imports whose names are only used as types become
// `import type` (whole statement) or get inline `type` modifiers (mixed imports), so no
// compiler or bundler has to keep the module at runtime.
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
  const runtime = ctx.flags.verbatimModuleSyntax
    ? ` With verbatimModuleSyntax the import was kept at runtime; '${site.specifier}' is no longer loaded by this file.`
    : ' TypeScript already elided it at runtime; the import now says so and bundlers can drop it.';
  return {
    fix: {
      file: ctx.file, ...lineColumn(ctx, site.statement), kind: 'type-import', module: site.specifier,
      title: whole ? `Convert to 'import type' (only used as types): '${site.specifier}'` : `Mark ${names} as type-only in the import of '${site.specifier}'`,
      safe: !reason, reason, preferred: !reason, moduleKind: ctx.moduleKind,
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
