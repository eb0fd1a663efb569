// Reads and parses one file, or says why it was skipped. Never throws for bad input.
import * as fs from 'fs';
import * as path from 'path';
// `import =` gives the module object itself: esbuild's ESM interop would wrap every `ts.x` access in a getter.
import ts = require('typescript');
import { extractSignals } from './signals';
import { FileSignals, Skipped } from './types';

export const MAX_FILE_BYTES = 1024 * 1024;
/** A line this long is not written by hand. */
const MINIFIED_LINE = 2000;
/** Minified when such lines hold more than this share of the file's characters (one long data line among short ones is not). */
const MINIFIED_SHARE = 0.5;
/** Mean line length above this (on files over 4 KB) means generated/minified code. */
const MINIFIED_MEAN = 300;

export type Analysis = { signals: FileSignals } | { skipped: Skipped };

function scriptKind(file: string): ts.ScriptKind {
  switch (path.extname(file)) {
    case '.ts': case '.mts': case '.cts': return ts.ScriptKind.TS;
    case '.tsx': return ts.ScriptKind.TSX;
    case '.jsx': return ts.ScriptKind.JSX;
    default: return ts.ScriptKind.JS;
  }
}

function minifiedReason(text: string): string | undefined {
  let longest = 0;
  let inLong = 0;
  let start = 0;
  let lines = 1;
  const line = (len: number) => {
    longest = Math.max(longest, len);
    if (len > MINIFIED_LINE) inLong += len;
  };
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    line(i - start);
    start = i + 1;
    lines++;
  }
  line(text.length - start);
  // One long line among thousands of short ones is a data literal (acorn's dist/acorn.js: a table
  // of 4,320 characters in 6,000 lines written by hand); minified code is mostly long lines.
  if (inLong > MINIFIED_SHARE * text.length) return `minified or generated (a line of ${longest} characters)`;
  if (text.length > 4096 && text.length / lines > MINIFIED_MEAN) return `minified or generated (mean line length ${Math.round(text.length / lines)})`;
  return undefined;
}

/** `rel` is the display name used in skip notes. `text` replaces the file's content (unsaved editor). */
export function analyzeFile(file: string, rel: string, text?: string): Analysis {
  let content = text;
  let bytes: number;
  if (content === undefined) {
    let buf: Buffer;
    try {
      const st = fs.statSync(file);
      if (st.size > MAX_FILE_BYTES) return { skipped: { file: rel, reason: `larger than 1 MB (${(st.size / 1048576).toFixed(1)} MB)` } };
      buf = fs.readFileSync(file);
    } catch (err) {
      return { skipped: { file: rel, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? err})` } };
    }
    if (buf.subarray(0, 8192).includes(0)) return { skipped: { file: rel, reason: 'binary file (contains NUL bytes)' } };
    bytes = buf.length;
    content = buf.toString('utf8');
  } else {
    bytes = Buffer.byteLength(content);
    if (bytes > MAX_FILE_BYTES) return { skipped: { file: rel, reason: `larger than 1 MB (${(bytes / 1048576).toFixed(1)} MB)` } };
    if (content.slice(0, 8192).includes('\0')) return { skipped: { file: rel, reason: 'binary file (contains NUL bytes)' } };
  }
  const minified = minifiedReason(content);
  if (minified) return { skipped: { file: rel, reason: minified } };
  let sf: ts.SourceFile;
  try {
    // No parent pointers: the signal walk passes parents down, which is much cheaper. No JSDoc:
    // no signal reads it, and scanning every comment for tags was ~10 % of the parse here.
    sf = ts.createSourceFile(file, content, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKind(file));
  } catch (err) {
    return { skipped: { file: rel, reason: `parser failed: ${err instanceof Error ? err.message : err}` } };
  }
  // parseDiagnostics is internal but stable since TS 2; it holds syntax errors only.
  const diags = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diags.length > 0) {
    const d = diags[0];
    const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return { skipped: { file: rel, reason: `syntax error at line ${line}: ${msg}` } };
  }
  return { signals: extractSignals(sf, file, bytes) };
}
