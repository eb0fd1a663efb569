// Adds a `<pid>-<threadId>.imports.json` (see runner/types.ts ImportsFile) to the model's import
// tree: who imported whom, with each module's inclusive and exclusive load time in µs.
import { displayPath, classify, packageOf } from './classify';
import type { ModelBuilder } from './builder';
import type { ImportsFile, ImportRecord } from '../runner/types';
import type { ModelProcess } from './types';

/** Display name of a module: its npm package (for dependencies) or its path relative to root. */
export function moduleName(root: string, file: string): string {
  if (file.startsWith('node:')) return file;
  return packageOf(file) ?? displayPath(root, file);
}

export function addImports(b: ModelBuilder, imports: ImportsFile, proc: ModelProcess): void {
  const tree = b.imports();
  const procNode = tree.child(0, b.processFrame(proc));
  proc.importsNode = procNode;
  // A module's node is the one created when it was first loaded; later importers reuse the cache
  // (no load time), so only the first load appears in the tree.
  const nodeOf = new Map<string, number>();
  const records = [...imports.modules].sort((x, y) => x.startUs - y.startUs);
  let unmeasured = 0;
  for (const r of records) {
    if (nodeOf.has(r.file)) continue;
    const parent = (r.parent ? nodeOf.get(r.parent) : undefined) ?? procNode;
    const measured = r.selfUs >= 0;
    const node = tree.child(parent, moduleFrame(b, r, measured));
    nodeOf.set(r.file, node);
    if (measured) tree.addSelf(node, r.selfUs);
    else unmeasured++;
  }
  if (imports.esmUntimed) {
    b.note(`Process ${proc.pid}${proc.threadId ? ` thread ${proc.threadId}` : ''} evaluated ES modules without load-time hooks (imported by code no CommonJS module's source shows, e.g. eval'd): their load times and importers are not in the import tree. Their evaluation time is in the CPU profile (the modules' top-level frames); profile with --esm-hooks always (setting hotpath.capture.esmHooks) to time them.`, proc);
  }
  if (unmeasured > 0) {
    b.note(`${unmeasured} module(s) in process ${proc.pid}${proc.threadId ? ` thread ${proc.threadId}` : ''} have no measured load time (an ES module whose evaluation threw, or that was still loading when the profile was written): they are marked "not measured", and their importers' times include only what was measured.`, proc);
  }
}

/** Suffix of the frame name of a module whose load time was not measured (a separate frame from the measured one). */
export const NOT_MEASURED = ' (not measured)';

function moduleFrame(b: ModelBuilder, r: ImportRecord, measured: boolean): number {
  const isBuiltin = r.kind === 'builtin' || r.file.startsWith('node:');
  const { kind, pkg } = isBuiltin ? { kind: 'node' as const, pkg: undefined } : classify('', r.file, r.file, b.root);
  const name = moduleName(b.root, r.file) + (measured ? '' : NOT_MEASURED);
  return b.frames.synthetic(name, kind, {
    ...(measured ? {} : { notMeasured: true }),
    path: isBuiltin ? undefined : r.file,
    file: isBuiltin ? r.file : displayPath(b.root, r.file),
    line: isBuiltin ? 0 : 1,
    column: isBuiltin ? 0 : 1,
    pkg,
    isModule: true,
  });
}
