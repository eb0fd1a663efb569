// Where a frame comes from: the user's code, a dependency (by npm package), Node itself, or one of
// V8's pseudo frames. Drives colours, the "my code only" filter and per-package totals.
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { CategoryKind } from '../../protocol/flame';

/** The absolute path behind a profile URL, or undefined for node:, wasm:, eval and empty URLs. */
export function urlToPath(url: string): string | undefined {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  if (path.isAbsolute(url)) return url;
  return undefined;
}

/** npm package name of a file inside node_modules (the innermost one, with its @scope). */
export function packageOf(file: string): string | undefined {
  const norm = file.replace(/\\/g, '/');
  const at = norm.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = norm.slice(at + '/node_modules/'.length).split('/');
  if (rest[0].startsWith('@') && rest.length > 1) return `${rest[0]}/${rest[1]}`;
  return rest[0] || undefined;
}

/** True when `file` is `root` or below it. */
export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The path users see: relative to the root (with /) when inside it, else absolute. */
export function displayPath(root: string, file: string): string {
  if (!isInside(root, file)) return file;
  return path.relative(root, file).split(path.sep).join('/');
}

export interface Classification {
  kind: CategoryKind;
  pkg?: string;
}

/** Packages outside the workspace that are not under node_modules (global tools, linked code). */
export const OUTSIDE_PACKAGE = '(outside workspace)';

export function classify(name: string, url: string, file: string | undefined, root: string): Classification {
  if (!url) {
    if (name === '(garbage collector)') return { kind: 'gc' };
    if (name === '(idle)') return { kind: 'idle' };
    if (name === '(program)' || name === '(root)') return { kind: 'program' };
  }
  if (url.startsWith('node:') || (!file && /^(internal\/|[a-z_]+(\.js)?$)/.test(url) && url !== '')) return { kind: 'node' };
  if (!file) return { kind: 'native' };
  const pkg = packageOf(file);
  if (pkg) return { kind: 'dependency', pkg };
  if (isInside(root, file)) return { kind: 'workspace' };
  return { kind: 'dependency', pkg: OUTSIDE_PACKAGE };
}
