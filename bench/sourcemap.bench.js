// Source-map lookups per second (issue 3): Hotpath's SourceMapper (per-file TraceMap cache,
// greatest-lower-bound then least-upper-bound lookup, paths resolved) against a bare
// @jridgewell/trace-mapping originalPositionFor on the same map, measured in the same run.
// The map is real: esbuild's map of a bundle of Hotpath's own src/core (many sources).
//   node bench/sourcemap.bench.js [--lookups 200000]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const LOOKUPS = args.includes('--lookups') ? Number(args[args.indexOf('--lookups') + 1]) : 200_000;
const root = path.join(__dirname, '..');
const cache = path.join(__dirname, '.cache', 'sourcemap');

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function timeIt(fn, minMs = 300) {
  // Repeat until at least minMs so short runs are not all timer noise; report the best of 3.
  const runs = [];
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let ms = 0;
    do { fn(); n++; ms = Number(process.hrtime.bigint() - t0) / 1e6; } while (ms < minMs);
    runs.push(ms / n);
  }
  return Math.min(...runs);
}

async function main() {
  fs.mkdirSync(cache, { recursive: true });
  const bundle = path.join(cache, 'core.js');
  await esbuild.build({ entryPoints: [path.join(root, 'src/core/profile/index.ts')], bundle: true, platform: 'node', format: 'cjs', sourcemap: true, outfile: bundle, logLevel: 'error', external: ['esbuild'] });
  const lib = path.join(cache, 'sourceMaps-lib.js');
  await esbuild.build({ entryPoints: [path.join(root, 'src/core/profile/sourceMaps.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: lib, logLevel: 'error', external: ['esbuild'] });
  const { SourceMapper } = require(lib);
  const tm = require('@jridgewell/trace-mapping');

  const mapText = fs.readFileSync(`${bundle}.map`, 'utf8');
  const setupMs = timeIt(() => new tm.TraceMap(mapText, `file://${bundle}.map`), 100);
  const map = new tm.TraceMap(mapText, `file://${bundle}.map`);
  // Lookups at real generated positions (plus a column offset, as profile frames rarely hit a
  // segment start exactly).
  const segments = [];
  tm.decodedMappings(map).forEach((line, i) => line.forEach((seg) => segments.push([i + 1, seg[0]])));
  const rand = rng(7);
  const needles = Array.from({ length: LOOKUPS }, () => {
    const [line, col] = segments[Math.floor(rand() * segments.length)];
    return { line, column: col + Math.floor(rand() * 3) };
  });

  let sink = 0;
  const bareMs = timeIt(() => {
    for (const n of needles) sink += tm.originalPositionFor(map, n).line ?? 0;
  });
  const mapper = new SourceMapper(() => {});
  const oursMs = timeIt(() => {
    for (const n of needles) sink += mapper.map(bundle, n.line, n.column + 1)?.line ?? 0;
  });
  const mb = (mapText.length / 2 ** 20).toFixed(1);
  const result = {
    map: { mb: +mb, sources: map.sources.length, segments: segments.length },
    traceMapSetupMs: +setupMs.toFixed(2),
    bareTraceMapping: { lookupsPerS: Math.round(LOOKUPS / (bareMs / 1000)) },
    hotpathSourceMapper: { lookupsPerS: Math.round(LOOKUPS / (oursMs / 1000)) },
    overheadVsBare: +(oursMs / bareMs).toFixed(2),
    sink: sink > 0,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`${(result.hotpathSourceMapper.lookupsPerS / 1e6).toFixed(2)} M lookups/s through SourceMapper, ${(result.bareTraceMapping.lookupsPerS / 1e6).toFixed(2)} M/s bare trace-mapping (${result.overheadVsBare}x the time); TraceMap set-up ${result.traceMapSetupMs} ms for a ${mb} MB map with ${result.map.sources} sources.`);
}

main().catch((err) => { console.error(err); process.exit(1); });
