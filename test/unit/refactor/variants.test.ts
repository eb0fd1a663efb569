// The explicit async variant (native ESM only): offered, never preferred, never applied by
// `applySafeFixes`/`--apply`; when chosen, callers that await keep working. Also: measured
// heaviness read from a real Hotpath import-timing run drives which imports get a fix.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { analyzeFile, applyEdits, applySafeFixes, computeEdits, readHeavyFromProfile, syntaxErrors } from '../../../src/core/refactor';
import { runTarget } from '../../../src/core/runner/run';
import { FIXTURES, listCases, materializePackages, optionsOf } from './goldenCases';
import { PAYOFF } from './payoffSetup';

function runLines(file: string): string {
  const driver = `import(${JSON.stringify(pathToFileURL(file).href)}).then(async (m) => { for (const l of await m.run()) console.log(l); })`;
  return execFileSync(process.execPath, ['-e', driver], { cwd: path.dirname(file), encoding: 'utf8', timeout: 20000 });
}

describe('lazy-load variants', () => {
  const esm = listCases().find((c) => c.name === 'esm-native')!;
  before(() => materializePackages(esm));

  it('offers await import() for an ESM-only package, not preferred, and --apply skips it', () => {
    const text = fs.readFileSync(esm.before, 'utf8');
    const fixes = analyzeFile(esm.before, text, optionsOf(esm));
    const asyncFix = fixes.find((f) => f.variant === 'async' && f.module === 'esm-only');
    assert.ok(asyncFix, 'async variant offered');
    assert.strictEqual(asyncFix.preferred, false);
    assert.strictEqual(asyncFix.safe, true);
    assert.match(asyncFix.title, /makes run async: callers must await/);
    const applied = applySafeFixes(esm.before, text, optionsOf(esm)).applied;
    assert.ok(applied.length > 0);
    assert.ok(applied.every((f) => f.variant !== 'async' && f.preferred));
  });

  it('the async variant, when chosen, keeps the output for a caller that awaits', () => {
    const text = fs.readFileSync(esm.before, 'utf8');
    const fix = analyzeFile(esm.before, text, optionsOf(esm)).find((f) => f.variant === 'async' && f.module === 'esm-only')!;
    const after = applyEdits(text, computeEdits(fix));
    assert.deepStrictEqual(syntaxErrors(esm.before, after), []);
    assert.match(after, /export async function run\(\)/);
    assert.match(after, /\(await _import_esm_only\(\)\)\.value/);
    const out = path.join(FIXTURES, 'esm-native', 'async.run.js');
    fs.writeFileSync(out, after);
    try {
      assert.strictEqual(runLines(out), runLines(esm.before));
    } finally { fs.rmSync(out, { force: true }); }
  });
});

describe('heavy modules measured by a Hotpath run', () => {
  it('reads the measured load time of typescript from a real import-timing run and labels the fix with it', async function () {
    this.timeout(120000);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-heavy-'));
    try {
      const run = await runTarget({ command: process.execPath, args: [path.join(PAYOFF, 'cli.js'), 'greet'], cwd: PAYOFF, outDir, capture: { cpu: false, heap: false, imports: true }, timeoutMs: 60000 });
      assert.strictEqual(run.exitCode, 0, run.outputTail);
      const heavy = readHeavyFromProfile(outDir, 1);
      const ts = heavy.get('typescript');
      assert.ok(ts && ts.measured && ts.ms! > 1, `typescript measured: ${JSON.stringify([...heavy])}`);
      const cli = path.join(PAYOFF, 'cli.js');
      const fix = analyzeFile(cli, fs.readFileSync(cli, 'utf8'), { heavy, knownHeavy: false }).find((f) => f.kind === 'lazy-import')!;
      assert.strictEqual(fix.module, 'typescript');
      assert.strictEqual(fix.heavyMs, ts.ms);
      assert.match(fix.title, /load time measured \d+\.\d ms in one run/);
      // Without the measurement and without the estimate list, nothing marks it heavy.
      assert.deepStrictEqual(analyzeFile(cli, fs.readFileSync(cli, 'utf8'), { knownHeavy: false }).filter((f) => f.kind === 'lazy-import'), []);
    } finally { fs.rmSync(outDir, { recursive: true, force: true }); }
  });
});

describe('line endings', () => {
  it('generated code follows a CRLF file\'s line endings', () => {
    const file = path.join(PAYOFF, 'cli.js');
    const crlf = fs.readFileSync(file, 'utf8').replace(/\r?\n/g, '\r\n');
    const out = applySafeFixes(file, crlf, { kinds: ['lazy-import'] });
    assert.strictEqual(out.applied.length, 1);
    assert.deepStrictEqual(syntaxErrors(file, out.text), []);
    assert.doesNotMatch(out.text, /[^\r]\n/);
  });
});
