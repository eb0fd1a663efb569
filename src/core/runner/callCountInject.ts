// The text edit of a call-counting run (`hotpath fixes --calls`): one statement at the start of a
// candidate function's body that hands its id and `arguments` to the counter. It keeps every
// line where it was (nothing is inserted but on the body's first line), so stack traces and
// source maps keep their lines.
//
// `instrumentSource` is self-contained (no outer names, no require): the ES module load hook of
// the counting preload is built from its source text and runs on the loader thread.

export interface InjectTarget {
  id: number;
  name: string;
  /** Offset in the analysed text where the statement goes (after the body's directives). */
  offset: number;
  /** sha1 of the whole analysed file: the offset holds only for that exact text. */
  fileHash: string;
}

export interface InjectResult { code: string; done: { id: number; how: 'offset' | 'search' }[]; missed: { id: number; reason: string }[] }

/** The global the counting preload defines; the inserted statement checks it exists first. */
export const COUNTER = '__hotpathCountCall__';

/** `exact`: the code is the analysed text itself (same sha1), so the targets' offsets hold; otherwise each function is searched by name. */
export function instrumentSource(code: string, exact: boolean, targets: InjectTarget[], counter: string): InjectResult {
  const call = (id: number) => `typeof ${counter} === 'function' && ${counter}(${id}, arguments);`;
  const done: { id: number; how: 'offset' | 'search' }[] = [];
  const missed: { id: number; reason: string }[] = [];
  const inserts: { at: number; text: string }[] = [];

  // Skips whitespace and comments from i; returns the next significant offset.
  const skipTrivia = (i: number): number => {
    for (;;) {
      while (i < code.length && /\s/.test(code[i])) i++;
      if (code.startsWith('//', i)) { const e = code.indexOf('\n', i); i = e < 0 ? code.length : e; continue; }
      if (code.startsWith('/*', i)) { const e = code.indexOf('*/', i + 2); if (e < 0) return -1; i = e + 2; continue; }
      return i;
    }
  };
  // From an opening bracket, the offset after its matching close (strings, templates and comments skipped); -1 if unsure.
  const matchClose = (i: number): number => {
    const stack: string[] = [];
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    for (; i < code.length; i++) {
      const c = code[i];
      if (c === '"' || c === "'") {
        for (i++; i < code.length && code[i] !== c; i++) { if (code[i] === '\\') i++; else if (code[i] === '\n') return -1; }
      } else if (c === '`') {
        // A template with ${...}: give up rather than parse nested expressions.
        for (i++; i < code.length && code[i] !== '`'; i++) { if (code[i] === '\\') i++; else if (code[i] === '$' && code[i + 1] === '{') return -1; }
      } else if (c === '/' && (code[i + 1] === '/' || code[i + 1] === '*')) {
        const j = skipTrivia(i);
        if (j < 0) return -1;
        i = j - 1;
      } else if (c === '/') {
        return -1; // a regex or a division: not in simple parameter lists
      } else if (pairs[c]) {
        stack.push(pairs[c]);
      } else if (c === ')' || c === ']' || c === '}') {
        if (stack.pop() !== c) return -1;
        if (stack.length === 0) return i + 1;
      }
    }
    return -1;
  };
  // After a body's `{`, the offset past its directive prologue ('use strict';).
  const afterDirectives = (i: number): number => {
    for (;;) {
      const j = skipTrivia(i);
      if (j < 0 || (code[j] !== '"' && code[j] !== "'")) return i;
      const q = code[j];
      let k = j + 1;
      while (k < code.length && code[k] !== q && code[k] !== '\n') k += code[k] === '\\' ? 2 : 1;
      if (code[k] !== q) return i;
      const after = skipTrivia(k + 1);
      if (after < 0) return i;
      if (code[after] === ';') { i = after + 1; continue; }
      // A directive ends at a newline too (ASI); anything else means it was an expression.
      if (/\n/.test(code.slice(k + 1, after)) || code[after] === '}') { i = k + 1; continue; }
      return i;
    }
  };
  // The code with comments and string contents blanked (same length): declarations are searched there.
  let masked: string | undefined;
  const mask = (): string => {
    const out = code.split('');
    const blank = (from: number, to: number) => { for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' '; };
    for (let i = 0; i < code.length; i++) {
      const c = code[i];
      if (c === '/' && code[i + 1] === '/') { const e = code.indexOf('\n', i); blank(i, e < 0 ? code.length : e); i = e < 0 ? code.length : e; }
      else if (c === '/' && code[i + 1] === '*') { const e = code.indexOf('*/', i + 2); const end = e < 0 ? code.length : e + 2; blank(i, end); i = end - 1; }
      else if (c === '"' || c === "'" || c === '`') {
        let k = i + 1;
        while (k < code.length && code[k] !== c && (c === '`' || code[k] !== '\n')) k += code[k] === '\\' ? 2 : 1;
        blank(i + 1, k);
        i = k;
      }
    }
    return out.join('');
  };
  // The offset after the `{` of `function NAME(...) {` when the code has exactly one such declaration.
  const search = (name: string): number | string => {
    const escaped = name.replace(/[$]/g, '\\$');
    const re = new RegExp(`(^|[^\\w$.])function\\s+${escaped}\\s*\\(`, 'g');
    const found: number[] = [];
    masked ??= mask();
    for (let m = re.exec(masked); m; m = re.exec(masked)) found.push(m.index + m[0].length - 1);
    if (found.length === 0) return `no 'function ${name}(' in the code that ran (renamed or rewritten by a build step)`;
    if (found.length > 1) return `${found.length} declarations named '${name}' in the code that ran`;
    const close = matchClose(found[0]);
    if (close < 0) return `the parameters of ${name} could not be read in the code that ran`;
    const brace = skipTrivia(close);
    if (brace < 0 || code[brace] !== '{') return `no body after the parameters of ${name} in the code that ran`;
    return afterDirectives(brace + 1);
  };

  for (const t of targets) {
    if (exact && t.offset >= 0 && t.offset <= code.length) {
      inserts.push({ at: t.offset, text: call(t.id) });
      done.push({ id: t.id, how: 'offset' });
      continue;
    }
    const at = search(t.name);
    if (typeof at === 'string') { missed.push({ id: t.id, reason: at }); continue; }
    inserts.push({ at, text: call(t.id) });
    done.push({ id: t.id, how: 'search' });
  }
  inserts.sort((a, b) => b.at - a.at);
  let out = code;
  for (const ins of inserts) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  return { code: out, done, missed };
}
