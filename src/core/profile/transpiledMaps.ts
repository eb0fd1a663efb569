// tsx compiles .ts files in memory with esbuild and registers their source maps in memory only:
// the CPU profile shows the .ts file's own URL with positions in code that exists nowhere on disk
// (whitespace-minified, so most of a module sits on one or two lines). Compiling the file again
// with the options tsx uses (tsx 4.x: dist/index-*.mjs) gives back the same code and its map.
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

/** The map of a tsx in-memory transpile of `file`; throws with a reason when it cannot be built. */
export function inMemoryTranspileMap(file: string, source: string): TraceMap {
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
  return new TraceMap(map as never);
}
