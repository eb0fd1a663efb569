// The corpus check: install real packages outside the repo's dependencies (cached), copy each,
// apply every safe fix the engine offers (lazy-loading offered for every import), then prove
// nothing broke: changed files parse, TypeScript sources gain no type errors, and the package
// loads with the same exports and gives the same smoke-test output as the original.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { applySafeFixes, createProjectLookup, isSourceFile, syntaxErrors } from '../../src/core/refactor';
import { CORPUS, type CorpusPackage } from './packages';
import { sharingHost } from '../unit/refactor/goldenCases';
import type { FixKind } from '../../src/core/refactor';

const ALL_FIX_KINDS: FixKind[] = ['lazy-import', 'type-import', 'unused-import', 'hoist-constant', 'pool-object', 'memoize'];

export const CORPUS_DIR = process.env.HOTPATH_CORPUS_DIR ?? path.join(__dirname, '..', '..', 'bench', '.cache', 'corpus');

/** Installs the pinned packages once; later runs reuse the cache. */
export function ensureInstalled(): void {
  const missing = CORPUS.filter((p) => {
    try { return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'node_modules', p.name, 'package.json'), 'utf8')).version !== p.version; } catch { return true; }
  });
  if (missing.length === 0) return;
  fs.mkdirSync(CORPUS_DIR, { recursive: true });
  if (!fs.existsSync(path.join(CORPUS_DIR, 'package.json'))) fs.writeFileSync(path.join(CORPUS_DIR, 'package.json'), '{"name":"hotpath-corpus","private":true}\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', CORPUS_DIR, ...CORPUS.map((p) => `${p.name}@${p.version}`)], { stdio: 'inherit', timeout: 300000 });
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') out.push(...sourceFiles(full));
    else if (e.isFile() && isSourceFile(e.name)) out.push(full);
  }
  return out;
}

export interface FixReport { pkg: string; files: number; changedFiles: number; applied: Record<string, number>; parseErrors: string[] }

/** Copies the package to copies/node_modules/<name> and applies every safe fix there. */
export function copyAndFix(p: CorpusPackage): FixReport {
  const from = path.join(CORPUS_DIR, 'node_modules', p.name);
  const to = path.join(CORPUS_DIR, 'copies', 'node_modules', p.name);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  const project = createProjectLookup();
  const report: FixReport = { pkg: p.name, files: 0, changedFiles: 0, applied: {}, parseErrors: [] };
  for (const file of sourceFiles(to)) {
    if (p.only && !p.only.test(path.relative(to, file).split(path.sep).join('/'))) continue;
    report.files++;
    const text = fs.readFileSync(file, 'utf8');
    // Every kind, memoize included (named explicitly: it is never applied by default; here
    // without counted calls, since this checks that the transformation keeps behaviour).
    const result = applySafeFixes(file, text, { lazyAll: true, project, kinds: ALL_FIX_KINDS, requireCallEvidence: false });
    if (result.text === text) continue;
    report.changedFiles++;
    for (const f of result.applied) report.applied[f.kind] = (report.applied[f.kind] ?? 0) + 1;
    report.parseErrors.push(...syntaxErrors(file, result.text));
    fs.writeFileSync(file, result.text);
  }
  return report;
}

/** Loads the package from `side` (orig: the installed one, copies: the fixed one) and reports. */
export function loadReport(p: CorpusPackage, side: 'orig' | 'copies'): string {
  const dir = path.join(CORPUS_DIR, side);
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, `smoke-${p.name}.mjs`);
  const describe = `(m) => Object.keys(m).sort().map((k) => k + ':' + typeof m[k]).join(',')`;
  const loads = [];
  if (p.load !== 'import') loads.push(`['require', createRequire(import.meta.url)(${JSON.stringify(p.name)})]`);
  if (p.load !== 'require') loads.push(`['import', await import(${JSON.stringify(p.name)})]`);
  fs.writeFileSync(script, `import { createRequire } from 'module';
const describe = ${describe};
const out = {};
for (const [how, m] of [${loads.join(', ')}]) {
  out[how] = { exports: describe(m), smoke: await (${p.smoke}) };
}
console.log(JSON.stringify(out, null, 1));
`);
  return execFileSync(process.execPath, [script], { cwd: dir, encoding: 'utf8', timeout: 30000 });
}

/** Type errors of a package's TypeScript sources, paths relative to the package. */
export function typeErrors(p: CorpusPackage, side: 'orig' | 'copies'): string[] {
  const root = side === 'orig' ? path.join(CORPUS_DIR, 'node_modules', p.name) : path.join(CORPUS_DIR, 'copies', 'node_modules', p.name);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true, noEmit: true, skipLibCheck: true, lib: ['lib.es2020.d.ts', 'lib.dom.d.ts'], types: [],
  };
  const program = ts.createProgram({ rootNames: [path.join(root, p.tsEntry!)], options, host: sharingHost(options, root) });
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.startsWith(root))
    .map((d) => `${path.relative(root, d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
    .sort();
}
