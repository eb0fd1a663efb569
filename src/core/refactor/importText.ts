// Rebuilds import statements from a list of bindings, for the fixes that drop or retype some
// of them. Formatting of the rebuilt statement is normalised; everything else is untouched.
import * as ts from 'typescript';
import type { ImportBinding, ImportSite } from './imports';
import type { FileContext } from './context';
import type { TextEdit } from './types';

export interface KeptBinding { binding: ImportBinding; asType: boolean }

function specifierText(b: ImportBinding, asType: boolean): string {
  const name = b.imported && b.imported !== b.local ? `${b.imported} as ${b.local}` : b.local;
  return asType ? `type ${name}` : name;
}

/** ESM `import` statement(s) for the kept bindings, in the original order of kinds. */
export function importStatements(site: ImportSite, kept: KeptBinding[], quote: string): string[] {
  const spec = `${quote}${site.specifier}${quote}`;
  const lines: string[] = [];
  const allType = kept.every((k) => k.asType);
  const def = kept.find((k) => k.binding.form === 'default' && !k.binding.imported);
  const ns = kept.find((k) => k.binding.form === 'namespace');
  const named = kept.filter((k) => k !== def && k !== ns);
  // `import type D, { A }` is not valid TypeScript: a type-only default gets its own line.
  const head = def && !def.asType ? `${def.binding.local}, ` : '';
  if (def && def.asType) lines.push(`import type ${def.binding.local} from ${spec};`);
  if (ns) lines.push(`import ${ns.asType ? 'type ' : ''}${named.length || ns.asType ? '' : head}* as ${ns.binding.local} from ${spec};`);
  if (named.length > 0) {
    const parts = named.map((k) => specifierText(k.binding, k.asType && !allType));
    lines.push(`import ${allType ? 'type ' : ''}${head}{ ${parts.join(', ')} } from ${spec};`);
  } else if (head && (!ns || ns.asType)) {
    lines.push(`import ${def!.binding.local} from ${spec};`);
  }
  return lines;
}

/** Deletes a whole statement and the line break after it when nothing else is on its line. */
export function removeStatement(ctx: FileContext, node: ts.Node): TextEdit {
  const start = node.getStart(ctx.sf);
  let end = node.end;
  const rest = /^[ \t]*\r?\n/.exec(ctx.text.slice(end));
  const lineStart = ctx.text.lastIndexOf('\n', start - 1) + 1;
  if (rest && ctx.text.slice(lineStart, start).trim() === '') return { file: ctx.file, start: lineStart, end: end + rest[0].length, newText: '' };
  return { file: ctx.file, start, end, newText: '' };
}

export function quoteOf(ctx: FileContext, site: ImportSite): string {
  const st = site.statement;
  const spec = ts.isImportDeclaration(st) ? st.moduleSpecifier.getText(ctx.sf) : '"';
  return spec.startsWith("'") ? "'" : '"';
}
