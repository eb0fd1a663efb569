// Source mapping on real runs of a TypeScript fixture compiled by esbuild (inline map, bundle of
// several sources), tsc (external .map files) and run by tsx and ts-node (maps only in memory);
// missing and broken maps degrade to generated locations with a note.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as ts from 'typescript';
import { openProfileFile, summarize, hotspotsForFile, type ProfileModel } from '../../../src/core/profile';
import { findSourceMappingUrl } from '../../../src/core/profile/sourceMaps';
import { FIXTURES, recordCpu, tempDir } from './helpers';

const HOT_LINE = 13; // `export function tsHot` in ts/hot.ts
const AREA_LINE = 9; // `export function area`
const LOOP_LINES = [16, 17, 18, 19];

function frame(model: ProfileModel, name: string) {
  const f = model.frames.find((x) => x.name === name);
  assert.ok(f, `frame ${name} in ${model.frames.map((x) => x.name).join()}`);
  return f!;
}

describe('source maps on real TypeScript runs', function () {
  this.timeout(120_000);
  let dir: string;
  const profiles: Record<string, string> = {};

  before(async () => {
    dir = tempDir('ts');
    for (const f of ['hot.ts', 'main.ts', 'tsconfig.json']) fs.copyFileSync(path.join(FIXTURES, 'ts', f), path.join(dir, f));
    // esbuild: one bundle of both files, inline map.
    await esbuild.build({ entryPoints: [path.join(dir, 'main.ts')], bundle: true, platform: 'node', sourcemap: 'inline', outfile: path.join(dir, 'out-esbuild/main.js'), logLevel: 'error' });
    // tsc: one .js and one external .js.map per file.
    const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const emitted = ts.createProgram(config.fileNames, config.options).emit();
    assert.strictEqual(emitted.emitSkipped, false);
    // Same output, map files deleted or broken.
    for (const variant of ['out-nomap', 'out-badmap']) {
      fs.cpSync(path.join(dir, 'out-tsc'), path.join(dir, variant), { recursive: true });
      for (const m of fs.readdirSync(path.join(dir, variant)).filter((f) => f.endsWith('.map'))) {
        if (variant === 'out-nomap') fs.rmSync(path.join(dir, variant, m));
        else fs.writeFileSync(path.join(dir, variant, m), '{"version":3,"mappings":');
      }
    }
    profiles.esbuild = recordCpu(path.join(dir, 'out-esbuild/main.js'), ['400'], { cwd: dir })[0];
    profiles.tsc = recordCpu(path.join(dir, 'out-tsc/main.js'), ['400'], { cwd: dir })[0];
    profiles.nomap = recordCpu(path.join(dir, 'out-nomap/main.js'), ['300'], { cwd: dir })[0];
    profiles.badmap = recordCpu(path.join(dir, 'out-badmap/main.js'), ['300'], { cwd: dir })[0];
    profiles.tsx = recordCpu(path.join(dir, 'main.ts'), ['400'], { cwd: dir, nodeArgs: ['--import', pathToFileURL(require.resolve('tsx')).href] })[0];
    profiles['ts-node'] = recordCpu(path.join(dir, 'main.ts'), ['400'], { cwd: dir, nodeArgs: ['-r', require.resolve('ts-node/register/transpile-only')] })[0];
  });

  for (const tool of ['esbuild', 'tsc', 'tsx', 'ts-node']) {
    it(`maps ${tool} output back to the .ts lines, keeping function names`, async () => {
      const model = await openProfileFile(profiles[tool], { root: dir });
      const hot = frame(model, 'tsHot');
      assert.strictEqual(hot.path, path.join(dir, 'hot.ts'));
      assert.strictEqual(hot.file, 'hot.ts');
      assert.strictEqual(hot.line, HOT_LINE);
      assert.strictEqual(hot.kind, 'workspace');
      assert.ok(hot.generated, 'the generated location is kept');
      // Among the program's own functions, tsHot is one of the hottest. (Among all functions, a
      // busy machine's stops during start-up, e.g. ts-node reading files, can outweigh it.)
      const top = summarize(model, { top: 100 }).topFunctions.filter((f) => f.file === 'hot.ts' || f.file === 'main.ts').slice(0, 3).map((f) => `${f.name}@${f.file}:${f.line}`);
      assert.ok(top.includes(`tsHot@hot.ts:${HOT_LINE}`), top.join());
      // `area` may be inlined into tsHot by the optimizer; when it shows, it maps to its line.
      const area = model.frames.find((f) => f.name === 'area');
      if (area) assert.strictEqual(area.line, AREA_LINE);
      // No note about the mapping. (V8 itself now and then records a sample out of order; that note is true, and not about maps.)
      assert.deepStrictEqual(model.notes.filter((n) => !/negative time delta/.test(n)), []);
    });
  }

  it('maps line ticks through the map (esbuild bundle with two sources)', async () => {
    const model = await openProfileFile(profiles.esbuild, { root: dir });
    const h = hotspotsForFile(model, path.join(dir, 'hot.ts'));
    const fn = h.functions.find((f) => f.name === 'tsHot')!;
    assert.ok(fn.totalMs > 200, `tsHot total ${fn.totalMs}`);
    const inLoop = h.lines.filter((l) => LOOP_LINES.includes(l.line) || l.line === 10).reduce((t, l) => t + l.selfMs, 0);
    const all = h.lines.reduce((t, l) => t + l.selfMs, 0);
    assert.ok(inLoop > 0.8 * all, `loop lines ${inLoop} of ${all}: ${JSON.stringify(h.lines)}`);
    // main.ts is the bundle's other source.
    const main = frame(model, 'main');
    assert.deepStrictEqual([main.file, main.line], ['main.ts', 3]);
  });

  it('keeps generated locations when tsx output spans lines it cannot attribute', async () => {
    const model = await openProfileFile(profiles.tsx, { root: dir });
    const h = hotspotsForFile(model, path.join(dir, 'hot.ts'));
    // tsx's transpile puts each module on a line or two: no per-line guesses.
    for (const l of h.lines) assert.ok(l.line >= 1 && l.line <= 22);
    assert.ok(h.functions.some((f) => f.name === 'tsHot' && f.line === HOT_LINE));
  });

  it('maps ts-node line ticks to the .ts lines', async () => {
    const model = await openProfileFile(profiles['ts-node'], { root: dir });
    const h = hotspotsForFile(model, path.join(dir, 'hot.ts'));
    const all = h.lines.reduce((t, l) => t + l.selfMs, 0);
    // The loop (16-19) and area's body (10, often inlined into tsHot) hold the time.
    const inCode = h.lines.filter((l) => l.line === 10 || LOOP_LINES.includes(l.line)).reduce((t, l) => t + l.selfMs, 0);
    assert.ok(all > 100 && inCode > 0.8 * all, JSON.stringify(h.lines));
  });

  it('a missing .map file: generated locations and a note, no error', async () => {
    const model = await openProfileFile(profiles.nomap, { root: dir });
    const hot = frame(model, 'tsHot');
    assert.strictEqual(hot.file, 'out-nomap/hot.js');
    assert.strictEqual(hot.generated, undefined);
    const generatedLine = fs.readFileSync(path.join(dir, 'out-nomap/hot.js'), 'utf8').split('\n').findIndex((l) => l.includes('function tsHot')) + 1;
    assert.strictEqual(hot.line, generatedLine);
    assert.ok(model.notes.some((n) => n.includes('out-nomap') && n.includes('hot.js.map')), model.notes.join('\n'));
  });

  it('a broken .map file: generated locations and a note, no error', async () => {
    const model = await openProfileFile(profiles.badmap, { root: dir });
    assert.strictEqual(frame(model, 'tsHot').file, 'out-badmap/hot.js');
    assert.ok(model.notes.some((n) => n.includes('out-badmap') && /generated locations/.test(n)), model.notes.join('\n'));
  });
});

describe('findSourceMappingUrl on the file bytes', () => {
  it('finds the same comment in the bytes as in the text, past non-ASCII code and look-alike strings', () => {
    const cases = [
      `const s = "é€𝄞";\nconst fake = "//# sourceMappingURL=inside.map";\n//# sourceMappingURL=real.js.map\n`,
      `/* ünïcödé */\n//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==\nconst x = "sourceMappingURL=nope";\n`,
      `/*# sourceMappingURL=block.map */\r\n`,
      'no comment here: sourceMappingURL= in code only',
      '',
    ];
    for (const text of cases) assert.strictEqual(findSourceMappingUrl(Buffer.from(text)), findSourceMappingUrl(text), JSON.stringify(text));
    assert.strictEqual(findSourceMappingUrl(Buffer.from(cases[0])), 'real.js.map');
    assert.strictEqual(findSourceMappingUrl(Buffer.from(cases[1])), 'data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==');
  });
});
