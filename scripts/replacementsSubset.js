// esbuild plugin: bundles the part of the e18e `module-replacements` manifests (a devDependency)
// that the refactor engine reads, instead of the whole 450 KB: per mapping its package name and
// replacement ids, per replacement its type, id, description, url, replacement module, Node
// feature and the Node.js engine's minimum version (the other engines and web feature ids are
// dropped). Source runs (tsx, tests) read the full manifests; the engine reads only these fields.
const fs = require('fs');

function subset(manifest) {
  const mappings = {};
  for (const [name, m] of Object.entries(manifest.mappings ?? {})) mappings[name] = { moduleName: m.moduleName, replacements: m.replacements, ...(m.url ? { url: m.url } : {}) };
  const replacements = {};
  for (const [id, r] of Object.entries(manifest.replacements ?? {})) {
    const node = (r.engines ?? []).filter((e) => e.engine === 'nodejs');
    replacements[id] = {
      id: r.id, type: r.type,
      ...(r.description ? { description: r.description } : {}),
      ...(r.url ? { url: r.url } : {}),
      ...(r.replacementModule ? { replacementModule: r.replacementModule } : {}),
      ...(r.nodeFeatureId ? { nodeFeatureId: r.nodeFeatureId } : {}),
      ...(node.length ? { engines: node } : {}),
    };
  }
  return { mappings, replacements };
}

const plugin = {
  name: 'module-replacements-subset',
  setup(build) {
    build.onLoad({ filter: /[\\/]module-replacements[\\/]manifests[\\/][^\\/]+\.json$/ }, (args) => ({
      contents: JSON.stringify(subset(JSON.parse(fs.readFileSync(args.path, 'utf8')))),
      loader: 'json',
    }));
  },
};

module.exports = { plugin, subset };
