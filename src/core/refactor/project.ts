// Finds what a file compiles to: the nearest tsconfig (with `extends`), package.json `type`,
// bundler configs and the declared Node engine. One instance per scan; it caches per folder.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { builtinModules } from 'module';
import type { CompilerFlags, EntryRole, ModuleKind, ProjectLookup } from './types';

const BUNDLER_FILES = ['esbuild.js', 'esbuild.mjs', 'esbuild.cjs', 'esbuild.config.js', 'esbuild.config.mjs',
  'webpack.config.js', 'webpack.config.cjs', 'webpack.config.mjs', 'webpack.config.ts'];

interface PackageInfo { dir: string; json: Record<string, unknown> }

export function isBuiltin(specifier: string): boolean {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return builtinModules.includes(name.split('/')[0]) || builtinModules.includes(name);
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`; relative -> undefined. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function readJson(file: string): Record<string, unknown> | undefined {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; }
}

export function createProjectLookup(): ProjectLookup {
  const pkgCache = new Map<string, PackageInfo | null>();
  const tsCache = new Map<string, ts.CompilerOptions | null>();
  const tsconfigDirCache = new Map<string, string | null>();

  function nearestPackage(dir: string): PackageInfo | null {
    const hit = pkgCache.get(dir);
    if (hit !== undefined) return hit;
    const json = readJson(path.join(dir, 'package.json'));
    const parent = path.dirname(dir);
    const found = json ? { dir, json } : parent === dir ? null : nearestPackage(parent);
    pkgCache.set(dir, found);
    return found;
  }

  function nearestTsconfig(dir: string): string | null {
    const hit = tsconfigDirCache.get(dir);
    if (hit !== undefined) return hit;
    const candidate = path.join(dir, 'tsconfig.json');
    const parent = path.dirname(dir);
    const found = fs.existsSync(candidate) ? candidate
      : fs.existsSync(path.join(dir, 'package.json')) || parent === dir ? null : nearestTsconfig(parent);
    tsconfigDirCache.set(dir, found);
    return found;
  }

  function compilerOptions(file: string): ts.CompilerOptions | null {
    const config = nearestTsconfig(path.dirname(file));
    if (!config) return null;
    const hit = tsCache.get(config);
    if (hit !== undefined) return hit;
    const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, {
      ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined,
    });
    const options = parsed ? parsed.options : null;
    tsCache.set(config, options);
    return options;
  }

  const bundlerCache = new Map<string, boolean>();
  function hasBundler(pkg: PackageInfo | null): boolean {
    if (!pkg) return false;
    const hit = bundlerCache.get(pkg.dir);
    if (hit !== undefined) return hit;
    const scripts = pkg.json.scripts as Record<string, string> | undefined;
    const found = BUNDLER_FILES.some((f) => fs.existsSync(path.join(pkg.dir, f)))
      || (!!scripts && Object.values(scripts).some((s) => /\b(esbuild|webpack)\b/.test(String(s))));
    bundlerCache.set(pkg.dir, found);
    return found;
  }

  function moduleKind(file: string): ModuleKind {
    const ext = path.extname(file);
    if (ext === '.mjs') return 'esm';
    if (ext === '.cjs') return 'cjs';
    if (ext === '.mts') return 'ts-esm';
    if (ext === '.cts') return 'ts-cjs';
    const pkg = nearestPackage(path.dirname(file));
    const typeModule = pkg?.json.type === 'module';
    if (ext === '.ts' || ext === '.tsx') {
      const options = compilerOptions(file);
      if (hasBundler(pkg)) return 'bundled';
      const mod = options?.module;
      // No tsconfig: what the file compiles to is a guess (tsx? a bundler?), so say unknown.
      if (!options) return 'unknown';
      if (mod === ts.ModuleKind.CommonJS) return 'ts-cjs';
      if (mod === ts.ModuleKind.Node16 || mod === ts.ModuleKind.NodeNext || (mod as number) === 101 /* Node18 */) {
        return typeModule ? 'ts-esm' : 'ts-cjs';
      }
      if (options.moduleResolution === ts.ModuleResolutionKind.Bundler) return 'bundled';
      return typeModule ? 'ts-esm' : 'unknown';
    }
    // A Node script without an extension (a `bin` entry) loads as a .js file in its place would.
    if (ext === '.js' || ext === '.jsx' || ext === '') {
      if (typeModule) return 'esm';
      return hasBundler(pkg) ? 'bundled' : 'cjs';
    }
    return 'unknown';
  }

  const keptCache = new Map<string, string | null>();
  /** A transpiler set up to keep value imports (swc, Babel) or Node's own type stripping, from the package's files. */
  function transpilerKeepsImports(pkg: PackageInfo | null): string | undefined {
    if (!pkg) return undefined;
    const hit = keptCache.get(pkg.dir);
    if (hit !== undefined) return hit ?? undefined;
    let found: string | undefined;
    const swc = readJson(path.join(pkg.dir, '.swcrc')) as { jsc?: { transform?: { verbatimModuleSyntax?: boolean } } } | undefined;
    if (swc?.jsc?.transform?.verbatimModuleSyntax) found = 'jsc.transform.verbatimModuleSyntax in .swcrc (swc)';
    for (const name of ['babel.config.json', '.babelrc', '.babelrc.json']) {
      if (found) break;
      const text = (() => { try { return fs.readFileSync(path.join(pkg.dir, name), 'utf8'); } catch { return ''; } })();
      if (/"onlyRemoveTypeImports"\s*:\s*true/.test(text)) found = `onlyRemoveTypeImports in ${name} (Babel)`;
    }
    if (!found && /"onlyRemoveTypeImports"\s*:\s*true/.test(JSON.stringify(pkg.json.babel ?? ''))) found = 'onlyRemoveTypeImports in package.json "babel" (Babel)';
    const scripts = (pkg.json.scripts ?? {}) as Record<string, string>;
    for (const [name, cmd] of Object.entries(scripts)) {
      if (found) break;
      // `node file.ts` without a loader (tsx, ts-node: they elide like tsc) runs Node's own type stripping.
      const c = String(cmd);
      const loader = /--(import|loader|experimental-loader|require)\b|\s-r\s/.test(c);
      if (/--experimental-(strip|transform)-types\b/.test(c) || (!loader && /\bnode\s+(?:--?[\w-]+(?:=\S+)?\s+)*\S+\.[cm]?ts\b/.test(c))) found = `Node's type stripping (package.json script '${name}': ${c})`;
    }
    keptCache.set(pkg.dir, found ?? null);
    return found;
  }

  function compilerFlags(file: string): CompilerFlags {
    const o = compilerOptions(file) ?? {};
    const tsconfig = nearestTsconfig(path.dirname(file));
    const where = tsconfig ? ` in ${path.basename(tsconfig)}` : '';
    const optionKept = o.verbatimModuleSyntax ? `verbatimModuleSyntax${where}`
      : (o as { preserveValueImports?: boolean }).preserveValueImports ? `preserveValueImports${where}`
        : o.importsNotUsedAsValues === ts.ImportsNotUsedAsValues.Preserve || o.importsNotUsedAsValues === ts.ImportsNotUsedAsValues.Error
          ? `importsNotUsedAsValues: ${o.importsNotUsedAsValues === ts.ImportsNotUsedAsValues.Preserve ? 'preserve' : 'error'}${where} (keeps the import for its side effects)` : undefined;
    return {
      esModuleInterop: !!o.esModuleInterop,
      verbatimModuleSyntax: !!o.verbatimModuleSyntax,
      isolatedModules: !!o.isolatedModules,
      emitDecoratorMetadata: !!o.emitDecoratorMetadata,
      jsxPragma: o.jsx !== undefined && o.jsx !== ts.JsxEmit.ReactJSX && o.jsx !== ts.JsxEmit.ReactJSXDev,
      valueImportsKept: optionKept ?? transpilerKeepsImports(nearestPackage(path.dirname(file))),
    };
  }

  function canRequire(file: string, specifier: string): 'yes' | 'dual' | 'no' {
    if (isBuiltin(specifier)) return 'yes';
    const name = packageName(specifier);
    if (!name) {
      // Own files: `.cjs` always, `.js` unless the package around it is `type: module`.
      if (/\.(cjs|json)$/.test(specifier)) return 'yes';
      if (!/\.js$/.test(specifier)) return 'no';
      return nearestPackage(path.dirname(path.resolve(path.dirname(file), specifier)))?.json.type !== 'module' ? 'yes' : 'no';
    }
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const json = readJson(path.join(dir, 'node_modules', name, 'package.json'));
      if (json) {
        if (!packageAllowsRequire(json, specifier.slice(name.length) || '.')) return 'no';
        return JSON.stringify(json.exports ?? '').includes('"import"') ? 'dual' : 'yes';
      }
      if (path.dirname(dir) === dir) return 'no';
    }
  }

  function hasGetBuiltinModule(file: string): boolean {
    const engines = nearestPackage(path.dirname(file))?.json.engines as Record<string, string> | undefined;
    const m = /(\d+)\.(\d+)/.exec(engines?.node ?? '') ?? /(\d+)/.exec(engines?.node ?? '');
    if (!m) return false;
    const major = Number(m[1]);
    const minor = Number(m[2] ?? 0);
    return major > 22 || major === 22 && minor >= 3 || major === 20 && minor >= 16 || major === 21;
  }

  function entryRole(file: string): EntryRole | undefined {
    const abs = path.resolve(file);
    const roleIn = (pkg: PackageInfo, role: 'bin' | 'main'): EntryRole | undefined => {
      const at = (rel: unknown) => typeof rel === 'string' && rel !== '' ? path.resolve(pkg.dir, rel) : undefined;
      const base = { packageDir: pkg.dir, packageName: String(pkg.json.name ?? path.basename(pkg.dir)), private: pkg.json.private === true,
        enginesNode: (pkg.json.engines as Record<string, string> | undefined)?.node };
      if (role === 'bin') {
        const bin = pkg.json.bin;
        const bins = typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values(bin as Record<string, unknown>) : [];
        return bins.some((b) => at(b) === abs) ? { role, ...base } : undefined;
      }
      const main = at(pkg.json.main ?? 'index.js');
      return main && [main, `${main}.js`, path.join(main, 'index.js')].includes(abs) ? { role, ...base } : undefined;
    };
    // A bin may be declared by a package.json above a nested one (terser's bin/package.json).
    const nearest = nearestPackage(path.dirname(file));
    for (let pkg = nearest, depth = 0; pkg && depth < 3; pkg = nearestPackage(path.dirname(pkg.dir)), depth++) {
      const bin = roleIn(pkg, 'bin');
      if (bin) return bin;
      if (path.dirname(pkg.dir) === pkg.dir) break;
    }
    return nearest ? roleIn(nearest, 'main') : undefined;
  }

  const enginesNode = (file: string) => (nearestPackage(path.dirname(file))?.json.engines as Record<string, string> | undefined)?.node;

  return { moduleKind, compilerFlags, canRequire, hasGetBuiltinModule, entryRole, enginesNode };
}

/** CJS package, or an `exports` map that has a `require` (or `default` for a CJS package). */
function packageAllowsRequire(json: Record<string, unknown>, subpath: string): boolean {
  const cjs = json.type !== 'module';
  const exportsField = json.exports;
  if (exportsField === undefined) return cjs && !String(json.main ?? '').endsWith('.mjs');
  const key = subpath === '.' ? '.' : `.${subpath.startsWith('/') ? subpath : '/' + subpath}`;
  let entry: unknown = exportsField;
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry) && Object.keys(entry).some((k) => k.startsWith('.'))) {
    entry = (entry as Record<string, unknown>)[key];
  } else if (key !== '.') {
    return false;
  }
  return conditionAllowsRequire(entry, cjs);
}

function conditionAllowsRequire(entry: unknown, cjs: boolean): boolean {
  if (typeof entry === 'string') return entry.endsWith('.cjs') || (cjs && !entry.endsWith('.mjs'));
  if (Array.isArray(entry)) return entry.some((e) => conditionAllowsRequire(e, cjs));
  if (typeof entry !== 'object' || entry === null) return false;
  const map = entry as Record<string, unknown>;
  if ('require' in map) return conditionAllowsRequire(map.require, true);
  if ('node' in map) return conditionAllowsRequire(map.node, cjs);
  if ('default' in map) return conditionAllowsRequire(map.default, cjs);
  return false;
}
