// Where the call counter goes: at the exact offset for the analysed text, else found by name in
// the code that ran (a loader's or compiler's output), after the body's directives, on the body's
// first line (every line stays where it was); ambiguous code is left alone with the reason.
import * as assert from 'assert';
import * as ts from 'typescript';
import { instrumentSource } from '../../../src/core/runner/callCountInject';

const C = '__count';
const stmt = (id: number) => `typeof ${C} === 'function' && ${C}(${id}, arguments);`;

describe('runner: call counter insertion', () => {
  it('inserts at the analysed offsets when the text is the analysed one', () => {
    const code = 'function a(x) {\n  return x;\n}\n';
    const r = instrumentSource(code, true, [{ id: 0, name: 'a', offset: code.indexOf('{') + 1, fileHash: '' }], C);
    assert.strictEqual(r.code, `function a(x) {${stmt(0)}\n  return x;\n}\n`);
    assert.deepStrictEqual(r.done, [{ id: 0, how: 'offset' }]);
  });

  it('finds the function by name in TypeScript compiled output, after its directives, keeping every line', () => {
    const source = [
      'const LIMIT: number = 3;',
      '/** function slug(s) in a comment is not a declaration */',
      'export function slug(title: string, sep: string): string {',
      "  'use strict';",
      '  return title.toLowerCase().split(" ").join(sep) + LIMIT;',
      '}',
      'export function pad(s: string, open: string = "(", n: number = Math.max(1, 2)): string {',
      '  return open.repeat(n) + s;',
      '}',
    ].join('\n');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
    const r = instrumentSource(js, false, [{ id: 4, name: 'slug', offset: 0, fileHash: 'x' }, { id: 5, name: 'pad', offset: 0, fileHash: 'x' }], C);
    assert.deepStrictEqual(r.missed, []);
    assert.deepStrictEqual(r.done, [{ id: 4, how: 'search' }, { id: 5, how: 'search' }]);
    const escape = (t: string) => t.replace(/[()|&$]/g, '\\$&');
    assert.match(r.code, new RegExp(`'use strict';${escape(stmt(4))}\\n`));
    assert.match(r.code, new RegExp(`Math\\.max\\(1, 2\\)\\) \\{${escape(stmt(5))}\\n`));
    assert.strictEqual(r.code.split('\n').length, js.split('\n').length);
    // Still valid JavaScript that behaves the same.
    const exports: { slug?: (t: string, s: string) => string; pad?: (s: string) => string } = {};
    const seen: unknown[][] = [];
    new Function('exports', C, r.code)(exports, (id: number, args: IArguments) => seen.push([id, ...args]));
    assert.strictEqual(exports.slug!('A B', '-'), 'a-b3');
    assert.strictEqual(exports.pad!('x'), '((x');
    assert.deepStrictEqual(seen, [[4, 'A B', '-'], [5, 'x']]);
  });

  it('leaves ambiguous code alone and says why', () => {
    const twice = 'function f(a) { return a; }\nif (x) { function f(a) { return -a; } }\n';
    assert.match(instrumentSource(twice, false, [{ id: 1, name: 'f', offset: 0, fileHash: '' }], C).missed[0].reason, /2 declarations named 'f'/);
    const renamed = 'function f2(a) { return a; }\n';
    assert.match(instrumentSource(renamed, false, [{ id: 1, name: 'f', offset: 0, fileHash: '' }], C).missed[0].reason, /no 'function f\(' in the code that ran/);
    const template = 'function f(a = `${1}`) { return a; }\n';
    const r = instrumentSource(template, false, [{ id: 1, name: 'f', offset: 0, fileHash: '' }], C);
    assert.strictEqual(r.code, template);
    assert.match(r.missed[0].reason, /parameters of f could not be read/);
  });
});
