// Honest labels for `import type`: under TypeScript's default elision the fix changes no emitted
// byte (checked by compiling before and after with the project's tsconfig), so it is labelled
// hygiene and claims no speed; where the build keeps value imports (verbatimModuleSyntax, swc or
// Babel set to keep them, Node's type stripping) a whole-statement conversion removes the import
// from the JavaScript, and the fix says which setting makes it so.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { analyzeFile, applySafeFixes, createProjectLookup } from '../../../src/core/refactor';

const SOURCE = [
  "import { Config } from './config';",
  "import { Reader, open } from './reader';",
  '',
  'export function size(c: Config, r: Reader): number {',
  '  return c.limit + open(r);',
  '}',
  '',
].join('\n');

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-type-import-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, 'main.ts'), SOURCE);
  return dir;
}

function emitted(dir: string, text: string): string {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  return ts.transpileModule(text, { compilerOptions: parsed.options, fileName: path.join(dir, 'main.ts') }).outputText;
}

function typeFixes(dir: string) {
  const file = path.join(dir, 'main.ts');
  return analyzeFile(file, SOURCE, { kinds: ['type-import'], project: createProjectLookup(), knownHeavy: false }).map((f) => ({ module: f.module, hygiene: f.hygiene, title: f.title, explanation: f.explanation }));
}

describe('refactor: import type is labelled hygiene unless the build keeps value imports', () => {
  const dirs: string[] = [];
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
  const make = (files: Record<string, string>) => { const d = project(files); dirs.push(d); return d; };

  it('default elision: hygiene, and the emitted JavaScript is byte-identical before and after', () => {
    const dir = make({ 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true } }), 'package.json': '{"name":"p"}' });
    const fixes = typeFixes(dir);
    assert.deepStrictEqual(fixes.map((f) => [f.module, f.hygiene]), [['./config', true], ['./reader', true]]);
    assert.match(fixes[0].title, /\(hygiene: no runtime change\)$/);
    assert.match(fixes[0].explanation, /Hygiene, not speed: TypeScript's default elision already leaves this import out/);
    const after = applySafeFixes(path.join(dir, 'main.ts'), SOURCE, { kinds: ['type-import'], project: createProjectLookup() }).text;
    assert.notStrictEqual(after, SOURCE);
    assert.strictEqual(emitted(dir, after), emitted(dir, SOURCE));
  });

  it('verbatimModuleSyntax: the whole-statement conversion removes the import from the JavaScript and says so; the mixed one stays hygiene', () => {
    const dir = make({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', verbatimModuleSyntax: true } }),
      'package.json': '{"name":"p","type":"module"}',
    });
    const fixes = typeFixes(dir);
    assert.deepStrictEqual(fixes.map((f) => [f.module, f.hygiene]), [['./config', false], ['./reader', true]]);
    assert.match(fixes[0].title, /\(this file stops loading it\)$/);
    assert.match(fixes[0].explanation, /With verbatimModuleSyntax in tsconfig\.json, the import is kept in the JavaScript/);
    assert.match(fixes[1].explanation, /other names of this import are used as values/);
    const after = applySafeFixes(path.join(dir, 'main.ts'), SOURCE, { kinds: ['type-import'], project: createProjectLookup() }).text;
    assert.match(emitted(dir, SOURCE), /['"]\.\/config['"]/);
    assert.doesNotMatch(emitted(dir, after), /['"]\.\/config['"]/);
  });

  it('names the transpiler setting or script that keeps value imports (swc, Babel, Node type stripping)', () => {
    const tsconfig = JSON.stringify({ compilerOptions: { module: 'commonjs' } });
    const cases: [Record<string, string>, RegExp][] = [
      [{ '.swcrc': JSON.stringify({ jsc: { transform: { verbatimModuleSyntax: true } } }), 'package.json': '{"name":"p"}' }, /jsc\.transform\.verbatimModuleSyntax in \.swcrc \(swc\)/],
      [{ 'babel.config.json': JSON.stringify({ presets: [['@babel/preset-typescript', { onlyRemoveTypeImports: true }]] }), 'package.json': '{"name":"p"}' }, /onlyRemoveTypeImports in babel\.config\.json \(Babel\)/],
      [{ 'package.json': JSON.stringify({ name: 'p', scripts: { start: 'node --experimental-strip-types main.ts' } }) }, /Node's type stripping \(package\.json script 'start'/],
    ];
    for (const [files, label] of cases) {
      const fixes = typeFixes(make({ 'tsconfig.json': tsconfig, ...files }));
      assert.strictEqual(fixes[0].hygiene, false, JSON.stringify(files));
      assert.match(fixes[0].explanation, label);
    }
    // tsx and ts-node elide like tsc: a script through them is not type stripping.
    const tsx = typeFixes(make({ 'tsconfig.json': tsconfig, 'package.json': JSON.stringify({ name: 'p', scripts: { start: 'node --import tsx main.ts' } }) }));
    assert.strictEqual(tsx[0].hygiene, true);
  });
});
