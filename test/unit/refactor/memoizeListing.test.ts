// Which memoize candidates are listed: every function is one, so an unsafe one is listed (with
// its reason) only when the profile measured it as hot, or when asked with explainUnsafe.
import * as assert from 'assert';
import { analyzeFile } from '../../../src/core/refactor';

const FILE = '/virtual/memo.js';
const TEXT = [
  "'use strict';",
  'let calls = 0;',
  'function impure(n) {',
  '  calls += 1;',
  '  return n * 2;',
  '}',
  'function pure(n) {',
  '  return n * n + 1;',
  '}',
  'module.exports = { impure, pure };',
  '',
].join('\n');

const memo = (opts: Parameters<typeof analyzeFile>[2]) =>
  analyzeFile(FILE, TEXT, { kinds: ['memoize'], knownHeavy: false, ...opts }).map((f) => ({ module: f.module, safe: f.safe, reason: f.reason, hot: f.hot }));

describe('refactor: memoize listing', () => {
  it('lists a safe candidate and leaves out an unsafe one that nothing measured as hot', () => {
    assert.deepStrictEqual(memo({}), [{ module: 'pure', safe: true, reason: undefined, hot: undefined }]);
  });

  it('lists an unsafe candidate with its reason when the profile measured it as hot', () => {
    const fixes = memo({ hotFunctions: [{ line: 3, label: '42.0 ms ±3.1 self, measured' }] });
    const impure = fixes.find((f) => f.module === 'impure');
    assert.ok(impure, 'the hot impure function is listed');
    assert.strictEqual(impure.safe, false);
    assert.match(impure.reason!, /calls|writes|assign|not a parameter/);
    assert.strictEqual(impure.hot, '42.0 ms ±3.1 self, measured');
  });

  it('lists every unsafe candidate with explainUnsafe', () => {
    assert.deepStrictEqual(memo({ explainUnsafe: true }).map((f) => [f.module, f.safe]), [['impure', false], ['pure', true]]);
  });
});
