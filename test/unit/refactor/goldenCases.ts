// Shared helpers of the golden tests: a case is a folder under test/fixtures/refactor/ with
// `case.json`, `before.<ext>` (the input) and the goldens `after.<ext>` and `fixes.json`.
// `HOTPATH_UPDATE_GOLDENS=1` rewrites the goldens from the current engine.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import type { AnalyzeOptions, FixKind, HeavyModule, ModuleKind } from '../../../src/core/refactor';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'refactor');
export const UPDATE = process.env.HOTPATH_UPDATE_GOLDENS === '1';

export interface CaseConfig {
  description: string;
  kinds?: FixKind[];
  lazyAll?: boolean;
  heavy?: string[];
  moduleKind?: ModuleKind;
  /** List every unsafe memoize candidate with its reason (refusal-reason goldens). */
  explainUnsafe?: boolean;
  /** Execute before and after (TypeScript transpiled with the case's tsconfig) and compare output. */
  run?: boolean;
  /** Type-check before and after with the case's tsconfig: after has no new errors. */
  typecheck?: boolean;
  /** Fake packages written to the case's (git-ignored) node_modules: name -> file -> text|json. */
  packages?: Record<string, Record<string, unknown>>;
}

export interface GoldenCase { name: string; dir: string; config: CaseConfig; before: string; ext: string }

export function listCases(): GoldenCase[] {
  return fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, 'case.json'))).sort().map((name) => {
    const dir = path.join(FIXTURES, name);
    const before = fs.readdirSync(dir).find((f) => /^before\.[a-z]+$/.test(f));
    if (!before) throw new Error(`${dir}: no before.<ext> file`);
    return { name, dir, config: JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')), before: path.join(dir, before), ext: path.extname(before) };
  });
}

export function materializePackages(c: GoldenCase): void {
  for (const [pkg, files] of Object.entries(c.config.packages ?? {})) {
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(c.dir, 'node_modules', pkg, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    }
  }
}

export function optionsOf(c: GoldenCase): AnalyzeOptions {
  const heavy = new Map<string, HeavyModule>((c.config.heavy ?? []).map((h) => [h, { ms: 120, measured: true }]));
  // The goldens test the transformation itself: memoize applies without counted calls here.
  return { kinds: c.config.kinds, lazyAll: c.config.lazyAll, heavy, knownHeavy: false, moduleKind: c.config.moduleKind, explainUnsafe: c.config.explainUnsafe, requireCallEvidence: false };
}

/** Compares with a golden file, or writes it when updating. Returns the golden text. */
export function golden(file: string, actual: string): string {
  if (UPDATE || !fs.existsSync(file)) fs.writeFileSync(file, actual);
  return fs.readFileSync(file, 'utf8');
}

function compilerOptions(dir: string): ts.CompilerOptions {
  const config = path.join(dir, 'tsconfig.json');
  if (!fs.existsSync(config)) return { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 };
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  return parsed?.options ?? {};
}

/**
 * A compiler host that parses each file outside `dir` (TypeScript's lib files, @types/node) once
 * per process: every type-check of the goldens (and the corpus) reads the same ones, and parsing
 * them took most of each check's 2-4 s. The files under `dir` are read fresh every time.
 */
const shared = new Map<string, ts.SourceFile>();
export function sharingHost(options: ts.CompilerOptions, dir: string): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const own = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (path.resolve(fileName).startsWith(dir + path.sep) || shouldCreate) return own(fileName, languageVersionOrOptions, onError, shouldCreate);
    const o = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const key = `${fileName}\0${o.languageVersion}\0${o.impliedNodeFormat}\0${o.jsDocParsingMode}`;
    let sf = shared.get(key);
    if (!sf) {
      sf = own(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (sf) shared.set(key, sf);
    }
    return sf;
  };
  return host;
}

/** Type errors of one file of the case, as `line: message` strings. */
export function typeErrors(dir: string, file: string): string[] {
  const options: ts.CompilerOptions = { ...compilerOptions(dir), noEmit: true };
  const program = ts.createProgram({ rootNames: [file], options, host: sharingHost(options, dir) });
  const sf = program.getSourceFile(file)!;
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) =>
    `${d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line + 1 : 0}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** A runnable path for a source file: JavaScript as is, TypeScript transpiled beside it. */
export function runnable(dir: string, file: string): { path: string; cleanup: () => void } {
  if (!/\.(c|m)?ts$/.test(file)) return { path: file, cleanup: () => undefined };
  const out = file.replace(/\.(c|m)?ts$/, (m) => `.run${m.replace('ts', 'js')}`);
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { ...compilerOptions(dir), sourceMap: false }, fileName: file }).outputText;
  fs.writeFileSync(out, js);
  return { path: out, cleanup: () => fs.rmSync(out, { force: true }) };
}
