// The engine's entry points: `analyzeFile` lists fixes cheaply (one parse, one walk), and
// `computeEdits` produces a fix's text edits only when asked (resolveCodeAction, --apply).
import * as path from 'path';
import * as ts from 'typescript';
import { HOT_KINDS, type AnalyzeOptions, type Fix, type FixKind, type HeavyModule, type ModuleKind, type TextEdit } from './types';
import { collectDeclared, type HotContext } from './hotSyntax';
import { hoistFixes } from './hoistConstant';
import { poolFixes } from './poolObject';
import { memoizeFixes, memoTargets, type MemoTarget } from './memoize';
import { collectImports, type ImportSite } from './imports';
import { analyzeUsage } from './usage';
import { type Builder, lazyFix } from './lazyImport';
import { typeImportFix } from './typeImport';
import { unusedImportFix } from './unusedImport';
import { type FileContext, isEsmKind } from './context';
import { asyncLazyFix } from './lazyAsync';
import { createProjectLookup, packageName } from './project';
import { knownHeavy } from './heavy';
import { isNodeScript } from '../rank/walk';
import { compileCacheFix } from './compileCache';
import { replaceDependencyFix } from './replaceDependency';

const IMPORT_KINDS: FixKind[] = ['lazy-import', 'type-import', 'unused-import'];
const ALL_KINDS: FixKind[] = [...IMPORT_KINDS, 'replace-dependency', ...HOT_KINDS, 'compile-cache'];
const SOURCE = /\.(c|m)?[jt]sx?$/;

// Edits are computed on demand from the analysis that produced the fix.
const pending = new WeakMap<Fix, (taken?: Set<string>) => TextEdit[]>();

export function isSourceFile(file: string): boolean {
  return (SOURCE.test(file) && !/\.d\.(c|m)?ts$/.test(file)) || isNodeScript(file);
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.(c|m)?ts$/.test(file)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Parse errors of a source text, for callers that must refuse broken files. */
export function syntaxErrors(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diags.map((d) => {
    const lc = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${file}:${lc.line + 1}:${lc.character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

function heavyFor(file: string, specifier: string, opts: AnalyzeOptions): HeavyModule | undefined {
  const pkg = packageName(specifier);
  const heavy = opts.heavy;
  if (heavy) {
    if (heavy.has(specifier)) return heavy.get(specifier);
    if (pkg && heavy.has(pkg)) return heavy.get(pkg);
    if (specifier.startsWith('.')) {
      const abs = path.resolve(path.dirname(file), specifier);
      for (const candidate of [abs, ...['.js', '.ts', '.mjs', '.cjs', '/index.js', '/index.ts'].map((e) => abs + e)]) {
        if (heavy.has(candidate)) return heavy.get(candidate);
      }
    }
  }
  return opts.knownHeavy === false ? undefined : knownHeavy(specifier);
}

/**
 * Lists the fixes for one file. Never throws on bad source: a file with syntax errors gets
 * no fixes (editing code that does not parse is not safe).
 */
export function analyzeFile(file: string, text: string, opts: AnalyzeOptions = {}): Fix[] {
  if (!isSourceFile(file)) return [];
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  if (((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0) return [];
  const project = opts.project ?? createProjectLookup();
  const kinds = new Set(opts.kinds ?? ALL_KINDS);
  const moduleKind = opts.moduleKind ?? project.moduleKind(file);
  const builders: Builder[] = [];
  const sites = IMPORT_KINDS.some((k) => kinds.has(k)) || kinds.has('replace-dependency') ? collectImports(sf) : [];
  if (sites.length > 0) {
    const names = new Set(sites.flatMap((s) => s.bindings.map((b) => b.local)));
    const decls = new Set(sites.flatMap((s) => s.bindings.map((b) => b.declaration)));
    const ctx: FileContext = {
      file, text, sf, isTs: /\.(c|m)?tsx?$/.test(file), sites, project, moduleKind,
      flags: project.compilerFlags(file),
      usage: analyzeUsage(sf, names, decls),
    };
    // Every top-level import of one specifier is one lazy-load fix with one loader.
    const bySpecifier = new Map<string, ImportSite[]>();
    for (const site of sites) {
      const key = site.specifier || `\0${site.specText}`;
      bySpecifier.set(key, [...(bySpecifier.get(key) ?? []), site]);
    }
    for (const site of sites) {
      const group = bySpecifier.get(site.specifier || `\0${site.specText}`)!;
      // `module` provides createRequire to the lazy loaders themselves; never defer it.
      if (kinds.has('lazy-import') && group[0] === site && site.specifier !== 'module' && site.specifier !== 'node:module') {
        const heavy = heavyFor(file, site.specifier, opts);
        if (heavy || (opts.lazyAll && group.some((g) => !g.sideEffectOnly))) {
          const b = lazyFix(ctx, group, heavy, opts.executed);
          if (b) builders.push(b);
          const asyncVariant = b && group.length === 1 && isEsmKind(ctx.moduleKind) ? asyncLazyFix(ctx, site, b.fix) : undefined;
          if (asyncVariant) builders.push(asyncVariant);
        }
      }
      if (kinds.has('type-import')) { const b = typeImportFix(ctx, site); if (b) builders.push(b); }
      if (kinds.has('unused-import')) { const b = unusedImportFix(ctx, site); if (b) builders.push(b); }
      if (kinds.has('replace-dependency')) {
        const b = replaceDependencyFix(ctx, site, opts.replacementChecks, heavyFor(file, site.specifier, opts), !!opts.explainUnsafe);
        if (b) builders.push(b);
      }
    }
  }
  if (HOT_KINDS.some((k) => kinds.has(k))) builders.push(...hotBuilders(file, text, sf, moduleKind, kinds, opts));
  if (kinds.has('compile-cache')) { const b = compileCacheFix({ file, text, sf, moduleKind, project }); if (b) builders.push(b); }
  if (opts.startup) for (const b of builders) if (b.fix.kind === 'lazy-import') labelStartup(b.fix, opts.startup);
  // Generated code follows the file's line endings.
  const crlf = text.includes('\r\n');
  for (const b of builders) {
    pending.set(b.fix, crlf ? (taken) => b.compute(taken).map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) : b.compute);
  }
  return builders.map((b) => b.fix);
}

function hotContext(file: string, text: string, sf: ts.SourceFile, moduleKind: ModuleKind, opts: AnalyzeOptions): HotContext {
  return {
    file, text, sf, isTs: /\.(c|m)?tsx?$/.test(file), moduleKind, declared: collectDeclared(sf),
    hot: new Map((opts.hotFunctions ?? []).map((h) => [h.line, h.label])), explainUnsafe: opts.explainUnsafe, calls: opts.calls,
  };
}

/** The memoize candidates of a file worth counting in a measured run (safe, not taking objects), with where to count. */
export function memoCallTargets(file: string, text: string, opts: AnalyzeOptions = {}): { moduleKind: ModuleKind; targets: MemoTarget[] } {
  if (!isSourceFile(file)) return { moduleKind: 'unknown', targets: [] };
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  if (((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0) return { moduleKind: 'unknown', targets: [] };
  const moduleKind = opts.moduleKind ?? (opts.project ?? createProjectLookup()).moduleKind(file);
  return { moduleKind, targets: memoTargets(hotContext(file, text, sf, moduleKind, opts)) };
}

/** A lazy-load the startup plan says defers only is not a speed fix: not preferred, and it says why. */
function labelStartup(fix: Fix, startup: NonNullable<AnalyzeOptions['startup']>): void {
  const label = startup(fix.file, fix.module);
  if (!label) return;
  fix.startup = label.leaves ? 'leaves' : 'defers-only';
  fix.startupNote = label.note;
  if (label.leaves) return;
  fix.preferred = false;
  fix.title = `${fix.title} (defers only)`;
  fix.explanation = `${fix.explanation} Not a speed fix here: ${label.note.replace(/^defers only: /, '')}.`;
}

/** hoist-constant, pool-object and memoize builders (one walk each over the parsed file). */
function hotBuilders(file: string, text: string, sf: ts.SourceFile, moduleKind: ModuleKind, kinds: Set<FixKind>, opts: AnalyzeOptions): Builder[] {
  const ctx = hotContext(file, text, sf, moduleKind, opts);
  const hoist = kinds.has('hoist-constant') ? hoistFixes(ctx) : [];
  // A literal that can be hoisted safely is not also offered for pooling.
  const hoisted = new Set(hoist.filter((b) => b.fix.safe).map((b) => `${b.fix.line}:${b.fix.column}`));
  const pool = kinds.has('pool-object') ? poolFixes(ctx).filter((b) => !hoisted.has(`${b.fix.line}:${b.fix.column}`)) : [];
  const memo = kinds.has('memoize') ? memoizeFixes(ctx) : [];
  return [...hoist, ...pool, ...memo];
}

/**
 * The text edits of a fix from `analyzeFile` (computed once, then kept on the fix). `taken`
 * lets several fixes of one analysis be applied together without picking the same new names.
 */
export function computeEdits(fix: Fix, taken?: Set<string>): TextEdit[] {
  if (fix.edits) return fix.edits;
  const compute = pending.get(fix);
  if (!compute) throw new Error(`No edits for this fix: it did not come from analyzeFile in this process (${fix.file}:${fix.line}).`);
  fix.edits = compute(taken);
  return fix.edits;
}
