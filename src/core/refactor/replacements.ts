// The community's replacement data (e18e `module-replacements`, a devDependency: its manifests
// are bundled at build time, slimmed by scripts/replacementsSubset.js): which packages have a
// native, micro-utility or preferred replacement. The data says what could replace a package,
// not that the replacement is a drop-in; that is checked per package (replacementCheck.ts).

export interface ReplacementEntry {
  id: string;
  type: 'native' | 'simple' | 'documented' | 'removal';
  description?: string;
  url?: string | { type: string; id: string };
  replacementModule?: string;
  nodeFeatureId?: { moduleName: string; exportName?: string };
  engines?: { engine: string; minVersion?: string }[];
}
interface Manifest { mappings: Record<string, { moduleName: string; replacements: string[] }>; replacements: Record<string, ReplacementEntry> }
export type ManifestName = 'native' | 'micro-utilities' | 'preferred';

let manifests: [ManifestName, Manifest][] | undefined;
function load(): [ManifestName, Manifest][] {
  // require(), not import: the JSON stays untyped data (and is slimmed when bundled).
  /* eslint-disable @typescript-eslint/no-require-imports */
  manifests ??= [
    ['native', require('module-replacements/manifests/native.json') as Manifest],
    ['micro-utilities', require('module-replacements/manifests/micro-utilities.json') as Manifest],
    ['preferred', require('module-replacements/manifests/preferred.json') as Manifest],
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
  return manifests;
}

export interface PackageReplacements { pkg: string; manifest: ManifestName; replacements: ReplacementEntry[] }

/** What the data says can replace a package (undefined when it lists none). */
export function replacementsOf(pkg: string): PackageReplacements | undefined {
  for (const [name, m] of load()) {
    const mapping = m.mappings[pkg];
    if (!mapping) continue;
    const replacements = mapping.replacements.map((id) => m.replacements[id] ?? load().map(([, o]) => o.replacements[id]).find(Boolean)).filter((r): r is ReplacementEntry => !!r);
    return { pkg, manifest: name, replacements };
  }
  return undefined;
}

/** A native replacement that is a JavaScript built-in Hotpath can write as an expression. */
const BUILTIN = /^(globalThis|[A-Z][A-Za-z0-9]*(\.prototype)?\.[A-Za-z][A-Za-z0-9]*)$/;

/** The built-in a package could be replaced with (`Array.prototype.includes`), if the data names one. */
export function builtinReplacement(pkg: string): { builtin: string; nodeMin?: string } | undefined {
  // A Node.js engine entry (not Bun's APIs) and no node:module export (Readable.unpipe is no global).
  const r = replacementsOf(pkg)?.replacements.find((x) => x.type === 'native' && BUILTIN.test(x.id) && !x.nodeFeatureId && !!x.engines?.some((e) => e.engine === 'nodejs'));
  if (!r) return undefined;
  return { builtin: r.id, nodeMin: r.engines?.find((e) => e.engine === 'nodejs')?.minVersion };
}

/** One line of advice from the data, for a replacement that is not a checked drop-in. */
export function adviceOf(p: PackageReplacements): string {
  const parts = p.replacements.map((r) => {
    if (r.type === 'native') return r.nodeFeatureId ? `node:${r.nodeFeatureId.moduleName}${r.nodeFeatureId.exportName ? ` ${r.nodeFeatureId.exportName}` : ''}` : `the built-in ${r.id}`;
    if (r.type === 'documented') return `'${r.replacementModule ?? r.id}'`;
    if (r.type === 'removal') return `removing it (${r.description ?? 'not needed'})`;
    return r.description ? r.description.replace(/\.$/, '') : r.id;
  });
  return `${p.manifest === 'preferred' ? 'a lighter or maintained alternative' : 'a replacement'}: ${parts.join('; or ')} (e18e module-replacements, ${p.manifest})`;
}
