// compile-cache: a program's entry (a package.json `bin` file, or the `main` of a private
// package, i.e. an application) turns on V8's compile cache for the modules it loads next:
// `module.enableCompileCache()` (Node >= 22.1; the guard makes it a no-op before). Node keeps the
// cache in its default folder (`<os.tmpdir()>/node-compile-cache`, or `NODE_COMPILE_CACHE`),
// checks each entry against the source, and `NODE_DISABLE_COMPILE_CACHE=1` turns it off; the
// call does not reach child processes. What runs is unchanged: only compilation is skipped.
//
// Not offered for a library's `main` (a process-wide setting is not a library's to make), for an
// entry that is itself the big bundle (it is compiled before the call), or for an ES module with
// static imports of packages or files (the whole static graph is compiled before any code runs).
import * as ts from 'typescript';
import type { Builder } from './lazyImport';
import type { Fix, ModuleKind, ProjectLookup } from './types';
import { isBuiltin } from './project';

/** An entry larger than this is a bundle itself: it is compiled before the call can help. */
export const BUNDLED_ENTRY_BYTES = 256 * 1024;

/**
 * Measured gains of the same fix on real CLIs installed from npm (bench/levers.bench.ts,
 * `hotpath compare --ref HEAD` of the fixed entry against the original, interleaved). Quoted in
 * the explanation: the fix cannot measure the project's own gain before it is applied.
 */
export const COMPILE_CACHE_MEASURED = 'with Node 24.22, 20 interleaved runs per side (bench/LEVERS.md, load 27-39): `sass --version` wall 0.85x (95 % CI 0.68-0.96), '
  + '`mocha --version` 0.90x (0.82-0.99); no significant difference for `tsc --version`, markdownlint-cli, nodemon, knex, json-server and http-server (0.88x-0.99x, every interval reaching 1); '
  + 'on Node 20 nothing changes';

interface Ctx { file: string; text: string; sf: ts.SourceFile; moduleKind: ModuleKind; project: ProjectLookup }

export function compileCacheFix(ctx: Ctx): Builder | undefined {
  const entry = ctx.project.entryRole?.(ctx.file);
  if (!entry || /\.(c|m)?tsx?$/.test(ctx.file)) return undefined;
  if (/\benableCompileCache\b/.test(ctx.text)) return undefined;
  if (entry.role === 'main' && !entry.private) return undefined;
  const esm = ctx.moduleKind === 'esm' || ctx.file.endsWith('.mjs');
  let reason: string | undefined;
  if (Buffer.byteLength(ctx.text) > BUNDLED_ENTRY_BYTES) {
    reason = `the entry is itself a ${Math.round(Buffer.byteLength(ctx.text) / 1024)} KB bundle, compiled before the call could help: set NODE_COMPILE_CACHE for the command instead, or start it from a small entry that loads this file`;
  } else if (esm) {
    const statics = ctx.sf.statements.filter((s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && !s.importClause?.isTypeOnly)
      .map((s) => (s.moduleSpecifier as ts.StringLiteral).text).filter((m) => !isBuiltin(m));
    if (statics.length) reason = `an ES module's static imports (${statics.slice(0, 3).map((m) => `'${m}'`).join(', ')}${statics.length > 3 ? '...' : ''}) are compiled before its code runs, so the cache would cover only later import() calls: set NODE_COMPILE_CACHE for the command, or load the rest with import() after the call`;
  } else if (ctx.moduleKind !== 'cjs' && ctx.moduleKind !== 'bundled') {
    reason = `the file's module kind is ${ctx.moduleKind}: Hotpath cannot tell whether require() or import runs it`;
  }
  const who = entry.role === 'bin' ? `the '${entry.packageName}' command (package.json bin)` : `the '${entry.packageName}' application (package.json main, private)`;
  const fix: Fix = {
    file: ctx.file, line: 1, column: 1, kind: 'compile-cache', module: entry.packageName,
    title: `Turn on V8's compile cache for ${who} (Node >= 22.1; no-op before)`,
    // Optional, not preferred: it paid significantly on 2 of 8 real CLIs measured, so --apply writes it only when named.
    safe: !reason, reason, preferred: false, moduleKind: ctx.moduleKind,
    explanation: 'module.enableCompileCache() makes Node keep the compiled code of every module loaded after this line and reuse it on the next start '
      + '(in <os.tmpdir()>/node-compile-cache, or NODE_COMPILE_CACHE; checked against the source; NODE_DISABLE_COMPILE_CACHE=1 turns it off; child processes are not affected). '
      + `Nothing else changes. On Node older than 22.1 the guarded call does nothing. Measured on real CLIs: ${COMPILE_CACHE_MEASURED}. `
      + 'Not applied by default (--apply writes it when named: --kind compile-cache): measure this program with `hotpath compare --ref HEAD -- node <entry> ...` after applying it.',
  };
  return { fix, compute: () => [{ file: ctx.file, start: insertAt(ctx), end: insertAt(ctx), newText: snippet(esm, ctx.text) }] };
}

/** After a shebang line and the directive prologue ('use strict'), before anything that loads modules. */
function insertAt(ctx: Ctx): number {
  let pos = 0;
  if (ctx.text.startsWith('#!')) {
    const nl = ctx.text.indexOf('\n');
    pos = nl < 0 ? ctx.text.length : nl + 1;
  }
  for (const st of ctx.sf.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) break;
    const nl = ctx.text.indexOf('\n', st.end);
    pos = nl < 0 ? ctx.text.length : nl + 1;
  }
  return pos;
}

function snippet(esm: boolean, text: string): string {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const note = '// V8 compile cache for the modules loaded after this line (Node >= 22.1; a no-op before). Added by Hotpath.';
  const lines = esm
    ? [note, "import _hotpathModule from 'node:module';", "if (typeof _hotpathModule.enableCompileCache === 'function') _hotpathModule.enableCompileCache();"]
    : [note, "{ const m = require('module'); if (typeof m.enableCompileCache === 'function') m.enableCompileCache(); }"];
  return lines.join(nl) + nl;
}
