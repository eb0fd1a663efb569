// Architecture rules: the core never imports `vscode`, and activation never loads TypeScript
// or ts-morph (they live in the separately bundled engines).
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? tsFiles(full) : /\.tsx?$/.test(d.name) ? [full] : [];
  });
}

const importsVscode = /(?:from\s+|require\s*\(\s*|import\s*\(\s*|import\s+)['"]vscode['"]/;

describe('architecture boundaries', () => {
  it('src/core, src/protocol and src/cli never import vscode', () => {
    const files = ['src/core', 'src/protocol', 'src/cli'].flatMap((d) => tsFiles(path.join(root, d)));
    assert.ok(files.length > 3, 'found the source files');
    const offenders = files.filter((f) => importsVscode.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(root, f));
    assert.deepStrictEqual(offenders, []);
  });

  it('the rule detects an import of vscode (the check itself works)', () => {
    assert.ok(importsVscode.test(`import * as vscode from 'vscode';`));
    assert.ok(importsVscode.test(`const v = require("vscode");`));
    assert.ok(!importsVscode.test(`import { x } from './vscodeHelpers';`));
  });

  it('the extension bundle does not contain typescript, ts-morph or chart code (charts load with their panel\'s page)', async function () {
    this.timeout(60000);
    const result = await esbuild.build({
      entryPoints: [path.join(root, 'src/extension/activate.ts')], bundle: true, write: false, metafile: true,
      platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'silent', outfile: 'out.js',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((i) => i.includes('src/extension/activate.ts')));
    const heavy = inputs.filter((i) => /node_modules\/(typescript|ts-morph|@ts-morph|chart\.js|@kurkle)\//.test(i) || i.startsWith('webview/'));
    assert.deepStrictEqual(heavy, []);
  });
});
