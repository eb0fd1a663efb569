// The choices "Hotpath: Profile…" offers, built from real package.json files of this repository.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fileChoice, hasDependency, quoteArg, readScripts, scriptChoices } from '../../../src/extension/profile/targets';

const root = path.resolve(__dirname, '../../..');
const demo = path.join(root, 'demo');
const demoJson = fs.readFileSync(path.join(demo, 'package.json'), 'utf8');
const rootJson = fs.readFileSync(path.join(root, 'package.json'), 'utf8');

describe('profile targets', () => {
  it('offers every npm script of the demo workspace as `npm run <name>` in its folder', () => {
    const choices = scriptChoices({ name: 'demo', path: demo, packageJson: demoJson }, false);
    const scripts = Object.keys(JSON.parse(demoJson).scripts);
    assert.deepStrictEqual(choices.map((c) => c.command).sort(), scripts.map((s) => (s === 'test' ? 'npm test' : `npm run ${s}`)).sort());
    for (const c of choices) {
      assert.strictEqual(c.cwd, demo);
      assert.ok(c.description?.startsWith(JSON.parse(demoJson).scripts[c.command.replace(/^npm (run )?/, '')]), c.description);
    }
  });

  it('puts `npm test` first and names the folder in multi-root workspaces', () => {
    const choices = scriptChoices({ name: 'hotpath', path: root, packageJson: rootJson }, true);
    assert.strictEqual(choices[0].command, 'npm test');
    assert.strictEqual(choices[0].kind, 'test');
    assert.ok(choices.every((c) => c.description?.endsWith(' · hotpath')));
  });

  it('skips pre/post hooks of existing scripts but keeps scripts that only look like hooks', () => {
    const pkg = JSON.stringify({ scripts: { build: 'tsc', prebuild: 'rm -rf out', postinstall: 'x', preview: 'vite preview' } });
    const commands = scriptChoices({ name: 'w', path: '/w', packageJson: pkg }, false).map((c) => c.command).sort();
    assert.deepStrictEqual(commands, ['npm run build', 'npm run postinstall', 'npm run preview']);
  });

  it('yields no scripts (not an error) for a broken or script-less package.json', () => {
    assert.deepStrictEqual(readScripts('{ "scripts": { "a": '), {});
    assert.deepStrictEqual(readScripts('{"name":"x"}'), {});
    assert.deepStrictEqual(readScripts(undefined), {});
    assert.deepStrictEqual(readScripts('{"scripts":{"a":"x","b":3}}'), { a: 'x' });
  });

  it('runs JavaScript files with node, relative to the folder', () => {
    const r = fileChoice(path.join(demo, 'src', 'main.js'), demo, false);
    assert.ok('choice' in r);
    assert.strictEqual(r.choice.command, `node ${path.join('src', 'main.js')}`);
    assert.strictEqual(r.choice.cwd, demo);
  });

  it('runs TypeScript with tsx when the workspace has it, and explains otherwise', () => {
    const file = path.join(root, 'src', 'cli', 'main.ts');
    const withTsx = fileChoice(file, root, hasDependency(rootJson, 'tsx'));
    assert.ok('choice' in withTsx && withTsx.choice.command === 'npx tsx src/cli/main.ts');
    const without = fileChoice(file, root, hasDependency(demoJson, 'tsx'));
    assert.ok('reason' in without && /tsx/.test(without.reason));
    const other = fileChoice(path.join(root, 'README.md'), root, true);
    assert.ok('reason' in other && /not a JavaScript or TypeScript file/.test(other.reason));
  });

  it('quotes only arguments that need it', () => {
    assert.strictEqual(quoteArg('src/main.js'), 'src/main.js');
    if (process.platform !== 'win32') {
      assert.strictEqual(quoteArg('my file.js'), `'my file.js'`);
      assert.strictEqual(quoteArg(`it's.js`), `'it'\\''s.js'`);
    }
  });
});
