// Saving a file re-scores it from the scan state, without rescanning the workspace.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRankState, moduleFor, rankResult, rescoreFile, scanWorkspace } from '../../../src/core/rank';
import { FIXTURES } from './helpers';

describe('rank: incremental re-scoring', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rank-inc-'));
    fs.cpSync(path.join(FIXTURES, 'rank-basic'), root, { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('re-scores an edited buffer: a heavy top-level import makes the helper rank first', async () => {
    const state = createRankState(await scanWorkspace(root));
    assert.strictEqual(moduleFor(state, 'src/helpers.js')!.score, 0);
    const text = "const ts = require('typescript');\nfunction add(a, b) {\n  return ts.version ? a + b : 0;\n}\nmodule.exports = { add };\n";
    const out = rescoreFile(state, path.join(root, 'src/helpers.js'), text);
    assert.ok('module' in out);
    assert.ok(out.module.score > 4, String(out.module.score));
    assert.deepStrictEqual(out.module.patterns.map((p) => [p.kind, p.sites[0].line]), [['lazy-load', 1]]);
    const ranked = rankResult(state).modules.map((m) => m.file);
    assert.ok(ranked.indexOf('src/helpers.js') <= 1, ranked.join(', '));
  });

  it('reads the saved file from disk when no text is given', async () => {
    const state = createRankState(await scanWorkspace(root));
    fs.writeFileSync(path.join(root, 'src/fib.js'), 'function fib(n) {\n  let a = 0, b = 1;\n  for (let i = 0; i < n; i++) [a, b] = [b, a + b];\n  return a;\n}\nmodule.exports = { fib };\n');
    const out = rescoreFile(state, path.join(root, 'src/fib.js'));
    assert.ok('module' in out);
    assert.deepStrictEqual(out.module.patterns.map((p) => p.kind), ['pool'], 'no more memoize; the swap allocates an array per pass');
  });

  it('a save that breaks the syntax moves the file to skipped, and fixing it brings it back', async () => {
    const state = createRankState(await scanWorkspace(root));
    const file = path.join(root, 'src/helpers.js');
    const broken = rescoreFile(state, file, 'function add(a, b {');
    assert.ok('skipped' in broken && /syntax error at line 1/.test(broken.skipped.reason));
    assert.ok(!rankResult(state).modules.some((m) => m.file === 'src/helpers.js'));
    assert.ok(rankResult(state).skipped.some((s) => s.file === 'src/helpers.js'));
    const fixed = rescoreFile(state, file, 'function add(a, b) { return a + b; }\n');
    assert.ok('module' in fixed);
    assert.ok(!rankResult(state).skipped.some((s) => s.file === 'src/helpers.js'));
  });

  it('ignores files outside the root and non-source files', async () => {
    const state = createRankState(await scanWorkspace(root));
    assert.deepStrictEqual(rescoreFile(state, path.join(os.tmpdir(), 'elsewhere.js'), 'x'), { ignored: 'outside the ranked folder' });
    assert.deepStrictEqual(rescoreFile(state, path.join(root, 'config.json'), '{}'), { ignored: 'not a JavaScript/TypeScript file' });
  });
});
