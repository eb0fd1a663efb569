// Bad input never fails a scan: each bad file or folder is skipped with a note, and the good
// files next to them are still ranked. Also the .gitignore / exclude / build-output rules.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rankWorkspace } from '../../../src/core/rank';
import type { RankResult } from '../../../src/core/rank';

const REPO = path.resolve(__dirname, '../../..');

function write(root: string, rel: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
}

function reason(r: RankResult, file: string): string {
  const s = r.skipped.find((x) => x.file === file);
  assert.ok(s, `${file} not in skipped: ${JSON.stringify(r.skipped)}`);
  return s.reason;
}

describe('rank: bad input and ignore rules', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rank-bad-'));
    fs.chmodSync(root, 0o755);
    write(root, 'good.js', "const fs = require('fs');\nmodule.exports = () => fs.readFileSync('x');\n");
  });
  afterEach(() => {
    for (const d of ['locked']) if (fs.existsSync(path.join(root, d))) fs.chmodSync(path.join(root, d), 0o755);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('skips a file with a syntax error, a binary file, a huge file and a minified file, each with its reason', async () => {
    write(root, 'broken.ts', 'export function f( {\n  return 1;\n');
    write(root, 'binary.js', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    write(root, 'huge.js', `// big\n${'const a = 1;\n'.repeat(90_000)}`);
    write(root, 'vendor.min.js', `var a=${JSON.stringify('x'.repeat(5000))};function b(){return a}`);
    const r = await rankWorkspace(root);
    assert.match(reason(r, 'broken.ts'), /^syntax error at line \d+: /);
    assert.match(reason(r, 'binary.js'), /binary/);
    assert.match(reason(r, 'huge.js'), /larger than 1 MB/);
    assert.match(reason(r, 'vendor.min.js'), /minified or generated/);
    assert.deepStrictEqual(r.modules.map((m) => m.file), ['good.js']);
  });

  it('survives a symlink loop and a broken link', async () => {
    fs.mkdirSync(path.join(root, 'a'));
    write(root, 'a/inner.js', 'module.exports = 1;\n');
    fs.symlinkSync(root, path.join(root, 'a', 'back'));
    fs.symlinkSync(path.join(root, 'self-loop.js'), path.join(root, 'self-loop.js'));
    fs.symlinkSync(path.join(root, 'missing.js'), path.join(root, 'dangling.js'));
    const r = await rankWorkspace(root);
    assert.match(reason(r, 'a/back/'), /symlink loop/);
    assert.match(reason(r, 'self-loop.js'), /symlink loop/);
    assert.match(reason(r, 'dangling.js'), /broken symlink/);
    assert.deepStrictEqual(r.modules.map((m) => m.file).sort(), ['a/inner.js', 'good.js']);
  });

  it('skips an unreadable folder with a note (checked as an unprivileged user)', function () {
    fs.mkdirSync(path.join(root, 'locked'));
    write(root, 'locked/secret.js', 'module.exports = 1;\n');
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    // root reads every folder, so the scan runs as `nobody` when the tests run as root.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const script = `require(${JSON.stringify(path.join(REPO, 'src/core/rank/index.ts'))}).rankWorkspace(${JSON.stringify(root)}).then((r) => console.log(JSON.stringify(r)))`;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: REPO, encoding: 'utf8', timeout: 60_000, ...asNobody, env: { ...process.env, HOME: os.tmpdir() },
    });
    assert.strictEqual(out.status, 0, out.stderr);
    const r = JSON.parse(out.stdout) as RankResult;
    assert.match(reason(r, 'locked/'), /unreadable folder \(EACCES\)/);
    assert.deepStrictEqual(r.modules.map((m) => m.file), ['good.js']);
  });

  it('honours root and nested .gitignore (with negation), exclude globs, and skips node_modules and build output', async () => {
    write(root, '.gitignore', 'generated/\n*.gen.js\n');
    write(root, 'generated/x.js', 'module.exports = 1;\n');
    write(root, 'lib/a.gen.js', 'module.exports = 1;\n');
    write(root, 'lib/.gitignore', 'local-*.js\n!local-keep.js\n');
    write(root, 'lib/local-tmp.js', 'module.exports = 1;\n');
    write(root, 'lib/local-keep.js', 'module.exports = 1;\n');
    write(root, 'lib/kept.js', 'module.exports = 1;\n');
    write(root, 'scripts/tool.js', 'module.exports = 1;\n');
    write(root, 'node_modules/dep/index.js', 'module.exports = 1;\n');
    write(root, 'dist/out.js', 'module.exports = 1;\n');
    write(root, 'types.d.ts', 'export declare const x: number;\n');
    const r = await rankWorkspace(root, { exclude: ['scripts/**'] });
    assert.deepStrictEqual(r.modules.map((m) => m.file).sort(), ['good.js', 'lib/kept.js', 'lib/local-keep.js']);
    assert.strictEqual(reason(r, 'node_modules/'), 'dependencies');
    assert.strictEqual(reason(r, 'dist/'), 'build output');
  });

  it('ranks build output that the package.json names as an entry (main, exports, bin), as acorn ships dist/', async () => {
    // acorn 8's layout: "main": "dist/acorn.js", exports import/require into dist/, "bin": "./bin/acorn".
    write(root, 'package.json', JSON.stringify({ name: 'acorn', main: 'dist/acorn.js', exports: { '.': [{ import: './dist/acorn.mjs', require: './dist/acorn.js' }, './dist/acorn.js'], './package.json': './package.json' }, bin: { acorn: './bin/acorn' } }));
    // Written by hand, with one 4,320-character data line (acorn's astral identifier table): not minified.
    const table = `const astral = [${Array.from({ length: 1080 }, (_, i) => i % 10).join(',')}];\n`;
    write(root, 'dist/acorn.js', table + Array.from({ length: 300 }, (_, i) => `function f${i}(x) { return x + ${i}; }\n`).join('') + "module.exports = { parse() { return require('./walk.js'); } };\n");
    write(root, 'dist/walk.js', 'module.exports = 1;\n');
    write(root, 'dist/acorn.mjs', 'export const parse = () => 1;\n');
    write(root, 'bin/acorn', "#!/usr/bin/env node\n'use strict';\nrequire('../dist/bin.js');\n");
    write(root, 'dist/bin.js', "require('./acorn.js');\n");
    write(root, 'build/generated.js', 'module.exports = 1;\n'); // named by no entry: still build output
    write(root, 'sub/package.json', JSON.stringify({ main: 'out/index.js' })); // a nested package: its own entries
    write(root, 'sub/out/index.js', 'module.exports = 1;\n');
    write(root, 'sub/dist/x.js', 'module.exports = 1;\n');
    const r = await rankWorkspace(root);
    const files = r.modules.map((m) => m.file).sort();
    for (const f of ['bin/acorn', 'dist/acorn.js', 'dist/acorn.mjs', 'dist/bin.js', 'dist/walk.js', 'sub/out/index.js']) assert.ok(files.includes(f), `${f} ranked: ${files}`);
    assert.strictEqual(reason(r, 'build/'), 'build output');
    assert.strictEqual(reason(r, 'sub/dist/'), 'build output');
    assert.ok(!r.skipped.some((x) => x.file === 'dist/'), JSON.stringify(r.skipped));
    // A .gitignore still wins: a library that builds dist/ from src/ and ignores it ranks src/ only.
    write(root, '.gitignore', 'dist/\n');
    const ignored = await rankWorkspace(root);
    assert.ok(!ignored.modules.some((m) => m.file.startsWith('dist/')), ignored.modules.map((m) => m.file).join(' '));
  });

  it('cancels with a clear error when the signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(rankWorkspace(root, { signal: ac.signal }), /cancelled/);
  });
});
