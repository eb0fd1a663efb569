// The payoff fixture: the lazy-load fix applies to a CLI that loads TypeScript at top level,
// every subcommand behaves the same, and the common path no longer loads TypeScript. The
// speed-up itself is measured in bench/payoff.bench.ts (ratios, never timed here).
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { preparePayoff } from './payoffSetup';

function cli(dir: string, args: string[], extra: string[] = []): string {
  return execFileSync(process.execPath, [...extra, path.join(dir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 30000 });
}

/** Runs the CLI and reports whether any file of the typescript package was loaded. */
function loadsTypescript(dir: string, args: string[]): boolean {
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(probe, `process.on('exit', () => { process.stderr.write(Object.keys(require.cache).some((f) => f.includes('/node_modules/typescript/')) ? 'TS-LOADED' : 'TS-NOT-LOADED'); });\n`);
  const result = spawnSync(process.execPath, ['-r', probe, path.join(dir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 30000 });
  assert.strictEqual(result.status, 0, result.stderr);
  return result.stderr.includes('TS-LOADED');
}

describe('payoff fixture: lazy-loading TypeScript in a CLI', () => {
  const copies = preparePayoff();

  it('applies exactly the lazy-load fix for typescript', () => {
    assert.deepStrictEqual(copies.applied.map((f) => [f.kind, f.module, f.safe]), [['lazy-import', 'typescript', true]]);
    const after = fs.readFileSync(path.join(copies.after, 'cli.js'), 'utf8');
    assert.doesNotMatch(after, /^const ts = require\('typescript'\);$/m);
    assert.match(after, /_load_typescript\(\)\.transpileModule/);
  });

  for (const args of [['greet'], ['greet', 'Ada'], ['version'], ['check', 'let a: string = "x"'], []]) {
    it(`behaves the same: payoff ${args.join(' ')}`, () => {
      assert.strictEqual(cli(copies.after, args), cli(copies.before, args));
    });
  }

  it('the common path no longer loads typescript; the rare one still does', () => {
    assert.strictEqual(loadsTypescript(copies.before, ['greet']), true);
    assert.strictEqual(loadsTypescript(copies.after, ['greet']), false);
    assert.strictEqual(loadsTypescript(copies.after, ['check']), true);
  });
});
