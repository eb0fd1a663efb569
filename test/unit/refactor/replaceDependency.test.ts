// replace-dependency on real packages installed from npm (cached in bench/.cache/replacements):
// the e18e replacement data maps each to a built-in or a snippet; a check in fresh processes
// decides which hand out the built-in itself on this Node (object-assign: its export is
// Object.assign; array-includes, object.values: es-shims whose getPolyfill() returns the
// built-in), measures both load times, and only those become fixes. The fixed file gives the
// same results and no longer loads them; define-properties (another API), globalthis (not a
// function), is-number (a snippet) and a binding used for .shim() stay advice.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hotpath } from '../cli/cli';

const CACHE = process.env.HOTPATH_REPLACEMENTS_DIR ?? path.join(__dirname, '..', '..', '..', 'bench', '.cache', 'replacements');
const PACKAGES = ['object-assign@4.1.1', 'array-includes@3.1.9', 'object.values@1.2.1', 'define-properties@1.2.1', 'globalthis@1.0.4', 'is-number@7.0.0'];

const LIB = `'use strict';
const assign = require('object-assign');
const includes = require('array-includes');
const values = require('object.values');
const define = require('define-properties');
const getGlobal = require('globalthis');
const isNumber = require('is-number');

function run() {
  let thrown = 'none';
  try { includes(null, 1); } catch (e) { thrown = e.constructor.name; }
  const o = {};
  define(o, { hidden: 1 });
  return JSON.stringify([assign({}, { a: 1 }, { b: 2 }), includes([1, NaN], NaN), includes('abc', 'b'), includes([1, 2, 3], 1, 1),
    values({ x: 1, y: [2] }), Object.keys(o), getGlobal() === globalThis, isNumber('5'), thrown]);
}

module.exports = { run };
`;
const SHIMMED = "'use strict';\nconst includes = require('array-includes');\nincludes.shim();\nmodule.exports = (a, v) => includes(a, v);\n";

interface JsonFix { file: string; kind: string; module: string; safe: boolean; reason: string | null; title: string; explanation: string; replacement: null | { form: string | null; expression: string | null; loadMs: { median: number; n: number } | null; replacementMs: { median: number } | null } }

describe('refactor: replace-dependency (e18e data, checked drop-ins) on real packages', function () {
  this.timeout(600_000);
  let dir: string;
  let listed: JsonFix[];
  const loaded = (file: string) => execFileSync(process.execPath, ['-e', `const r = require(${JSON.stringify(file)}).run(); console.log(JSON.stringify({ r, pkgs: Object.keys(require.cache).map((k) => /node_modules[\\\\/]([^\\\\/]+)/.exec(k)?.[1]).filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).sort() }))`], { encoding: 'utf8' });

  before(() => {
    if (!PACKAGES.every((p) => fs.existsSync(path.join(CACHE, 'node_modules', p.split('@')[0], 'package.json')))) {
      fs.mkdirSync(CACHE, { recursive: true });
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--prefix', CACHE, ...PACKAGES], { stdio: 'inherit', timeout: 300_000 });
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-replace-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'uses-shims', private: true, engines: { node: '>=20' } }));
    fs.symlinkSync(path.join(CACHE, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'lib.js'), LIB);
    fs.writeFileSync(path.join(dir, 'src', 'shimmed.js'), SHIMMED);
    const r = hotpath(dir, ['fixes', '.', '--kind', 'replace-dependency', '--json'], 300_000);
    assert.strictEqual(r.code, 0, r.stderr);
    listed = (JSON.parse(r.stdout).fixes as JsonFix[]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fix = (file: string, pkg: string) => {
    const f = listed.find((x) => x.file === file && x.module === pkg);
    assert.ok(f, `${file} ${pkg}: ${listed.map((x) => `${x.file} ${x.module}`).join(', ')}`);
    return f;
  };

  it('offers a fix only where the package hands out the built-in, with both load times measured', () => {
    const cases: [string, string, string][] = [
      ['object-assign', 'identity', 'Object.assign'],
      ['array-includes', 'call-bind', 'Function.prototype.call.bind(Array.prototype.includes)'],
      ['object.values', 'bind-static', 'Object.values.bind(Object)'],
    ];
    for (const [pkg, form, expression] of cases) {
      const f = fix('src/lib.js', pkg);
      assert.strictEqual(f.safe, true, `${pkg}: ${f.reason}`);
      assert.deepStrictEqual([f.replacement!.form, f.replacement!.expression], [form, expression]);
      assert.strictEqual(f.replacement!.loadMs!.n, 3);
      assert.ok(f.replacement!.loadMs!.median > 0 && f.replacement!.replacementMs!.median >= 0);
      assert.match(f.title, /\(load [\d.]+ ms -> [\d.]+ ms, measured\)$/);
    }
    assert.match(fix('src/lib.js', 'define-properties').reason!, /^advice, not a fix: 'define-properties' is not a drop-in for Object\.defineProperties here: its export is neither the built-in nor an es-shims wrapper/);
    assert.match(fix('src/lib.js', 'globalthis').reason!, /not a drop-in for globalThis here: the built-in is not a function/);
    assert.match(fix('src/lib.js', 'is-number').reason!, /^advice, not a fix: the data names no JavaScript built-in/);
    assert.match(fix('src/shimmed.js', 'array-includes').reason!, /used other than by calling it \(line 3\)/);
  });

  it('applied: the same results, and the file no longer loads the replaced packages', () => {
    const file = path.join(dir, 'src', 'lib.js');
    const before = JSON.parse(loaded(file));
    assert.ok(['array-includes', 'object-assign', 'object.values'].every((p) => before.pkgs.includes(p)), before.pkgs.join(' '));
    const r = hotpath(dir, ['fixes', '.', '--kind', 'replace-dependency', '--json', '--apply']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout).changedFiles, ['src/lib.js']);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /const includes = Function\.prototype\.call\.bind\(Array\.prototype\.includes\);/);
    const after = JSON.parse(loaded(file));
    assert.strictEqual(after.r, before.r);
    for (const p of ['array-includes', 'object-assign', 'object.values']) assert.ok(!after.pkgs.includes(p), `${p} still loaded: ${after.pkgs.join(' ')}`);
    assert.ok(after.pkgs.includes('define-properties'), 'advice-only packages stay');
    // The other file keeps its import (used for .shim()).
    assert.match(fs.readFileSync(path.join(dir, 'src', 'shimmed.js'), 'utf8'), /require\('array-includes'\)/);
    assert.strictEqual(spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(path.join(dir, 'src', 'shimmed.js'))})([1], 1))`], { encoding: 'utf8' }).stdout, 'true\n');
  });
});

describe('refactor: replacement data, which entries are JavaScript built-ins on Node', () => {
  // Entries of the real e18e data: a Bun API (js-yaml -> Bun.YAML, string-width -> Bun.stringWidth)
  // or a Node module's export (unpipe -> Readable.unpipe from node:stream) is no global Node has.
  it('takes ECMAScript globals that list a Node.js engine, not Bun APIs or module exports', async () => {
    const { builtinReplacement } = await import('../../../src/core/refactor/replacements');
    assert.strictEqual(builtinReplacement('object-assign')?.builtin, 'Object.assign');
    assert.strictEqual(builtinReplacement('array-includes')?.builtin, 'Array.prototype.includes');
    for (const pkg of ['js-yaml', 'string-width', 'strip-ansi', 'path-exists', 'unpipe']) assert.strictEqual(builtinReplacement(pkg), undefined, pkg);
  });
});
