// tsx and ts-node compile .ts files in memory and keep their source maps in memory only: the CPU
// profile shows the .ts file's own URL with positions in code that exists nowhere on disk.
// Compiling the file again the way each tool does gives back the same code and its map:
// - tsx 4.x (dist/index-*.mjs): esbuild, whitespace-minified (a module sits on one or two lines),
//   with the nearest tsconfig as tsconfigRaw and, for CommonJS, a `__filename=...;(()=>{` banner;
// - ts-node 10: TypeScript's own emit with the tsconfig's compiler options.
// Which tool ran is not in the profile: the caller picks the candidate whose code has the
// frame's function name just before the frame's position (V8 points at the parameter list).
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { TraceMap } from '@jridgewell/trace-mapping';

interface EsbuildLike {
  transformSync(code: string, options: Record<string, unknown>): { code: string; map: string };
}

function loadEsbuild(): EsbuildLike | undefined {
  try {
    // createRequire keeps bundlers from inlining esbuild (it ships a native binary).
    return createRequire(__filename)('esbuild') as EsbuildLike;
  } catch {
    return undefined;
  }
}

/** The nearest tsconfig.json's text: tsx hands it to esbuild (`strict` adds "use strict", etc.). */
function nearestTsconfig(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const config = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(config)) return fs.readFileSync(config, 'utf8');
    if (path.dirname(dir) === dir || fs.existsSync(path.join(dir, 'package.json'))) return undefined;
  }
}

/** 'esm' or 'cjs', decided like Node does for the file (extension, then package.json type). */
function moduleFormat(file: string): 'esm' | 'cjs' {
  if (file.endsWith('.mts')) return 'esm';
  if (file.endsWith('.cts')) return 'cjs';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (path.dirname(dir) === dir) return 'cjs';
  }
}

export interface TranspileCandidate {
  tool: 'tsx' | 'ts-node';
  lines: string[];
  map: TraceMap;
}

/** Every in-memory transpile that can be reproduced here (missing compilers are skipped). */
export function transpileCandidates(file: string, source: string): TranspileCandidate[] {
  const out: TranspileCandidate[] = [];
  for (const [tool, build] of [['tsx', tsxTranspile], ['ts-node', tsNodeTranspile]] as const) {
    try {
      const r = build(file, source);
      if (r) out.push({ tool, lines: r.code.split('\n'), map: r.map });
    } catch {
      // A compiler that fails on this file cannot be what ran it.
    }
  }
  return out;
}

interface TypeScriptLike {
  transpileModule(input: string, options: { compilerOptions?: Record<string, unknown>; fileName?: string }): { outputText: string; sourceMapText?: string };
  parseConfigFileTextToJson(fileName: string, text: string): { config?: { compilerOptions?: Record<string, unknown> } };
  convertCompilerOptionsFromJson(options: unknown, basePath: string): { options: Record<string, unknown> };
}

function tsNodeTranspile(file: string, source: string): { code: string; map: TraceMap } | undefined {
  let ts: TypeScriptLike;
  try {
    ts = createRequire(__filename)('typescript') as TypeScriptLike;
  } catch {
    return undefined;
  }
  const configText = nearestTsconfig(file);
  const json = configText ? ts.parseConfigFileTextToJson('tsconfig.json', configText).config?.compilerOptions ?? {} : {};
  const { options } = ts.convertCompilerOptionsFromJson(json, path.dirname(file));
  // ts-node's overrides (ts-node/dist/configuration.js): CommonJS unless told, maps on.
  const compilerOptions = { ...options, sourceMap: true, inlineSourceMap: false, inlineSources: true, declaration: false, noEmit: false, outDir: '.ts-node' };
  const out = ts.transpileModule(source, { compilerOptions, fileName: file });
  if (!out.sourceMapText) return undefined;
  const map = JSON.parse(out.sourceMapText) as { sources: string[] };
  map.sources = [file];
  return { code: out.outputText, map: new TraceMap(map as never) };
}

function tsxTranspile(file: string, source: string): { code: string; map: TraceMap } {
  const esbuild = loadEsbuild();
  if (!esbuild) throw new Error('esbuild is not installed, so the tsx transpile cannot be reproduced');
  const format = moduleFormat(file);
  const options: Record<string, unknown> = {
    target: `node${process.versions.node}`,
    loader: file.endsWith('x') ? 'tsx' : 'ts',
    sourcemap: true,
    minifyWhitespace: true,
    keepNames: true,
    format,
    sourcefile: file,
  };
  const tsconfig = nearestTsconfig(file);
  if (tsconfig) options.tsconfigRaw = tsconfig;
  if (format === 'cjs') {
    Object.assign(options, { banner: `__filename=${JSON.stringify(file)};(()=>{`, footer: '})()', platform: 'node' });
  }
  const out = esbuild.transformSync(source, options);
  const map = JSON.parse(out.map) as { sources: string[] };
  map.sources = [file];
  return { code: out.code, map: new TraceMap(map as never) };
}
