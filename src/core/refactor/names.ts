// Fresh identifiers for generated code: readable, derived from the module name, never
// colliding with a name already in the file.
const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await']);

export function baseName(specifier: string): string {
  const parts = specifier.replace(/^node:/, '').replace(/\.(c|m)?[jt]sx?$|\.json$/, '').split('/')
    .filter((p) => p !== '' && p !== '.' && p !== '..' && p !== 'index');
  const raw = (parts.length ? parts.join('_') : 'module').replace(/^@/, '').replace(/[^A-Za-z0-9_$]+/g, '_').replace(/_+/g, '_');
  return /^[0-9]/.test(raw) ? `m${raw}` : raw;
}

/** A name not used as a word anywhere in `text` (identifiers, comments, strings: conservative). */
export function freshName(text: string, wanted: string, taken: Set<string> = new Set()): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? wanted : `${wanted}${i}`;
    if (!taken.has(name) && !RESERVED.has(name) && !new RegExp(`(^|[^A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}($|[^A-Za-z0-9_$])`).test(text)) return name;
  }
}

export function isIdentifierName(s: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) && !RESERVED.has(s);
}
