// Import lines get their measured load time (issue 14 item 7): a real run of a script that
// requires typescript (installed: a link to this repository's copy), a local module and a
// built-in, with import timing; each require line is matched to the module it loaded.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun } from '../../../src/core/profile';
import { importLinesForFile } from '../../../src/core/profile/importLines';
import { runTarget } from '../../../src/core/runner/run';
import { importLensText } from '../../../src/extension/annotations/format';
import { buildPreload, ROOT, tempDir } from '../runner/helpers';

const MAIN = `'use strict';
const path = require('path');
const ts = require('typescript');
const { helper } = require('./helper');
// require('not-loaded') in a comment is no import the run measured
console.log(typeof ts.version, helper(), path.sep);
`;

describe('import lines with their measured load time (real run)', function () {
  this.timeout(120_000);
  let dir: string;
  let main: string;
  let lines: ReturnType<typeof importLinesForFile>;
  let model: Awaited<ReturnType<typeof loadRun>>;

  before(async () => {
    buildPreload();
    dir = tempDir('import-lines');
    main = path.join(dir, 'main.js');
    fs.writeFileSync(main, MAIN);
    fs.writeFileSync(path.join(dir, 'helper.js'), 'exports.helper = () => 1;\n');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', 'typescript'), path.join(dir, 'node_modules', 'typescript'), 'dir');
    const result = await runTarget({ command: process.execPath, args: ['main.js'], cwd: dir, outDir: tempDir('import-lines-run'), capture: { cpu: false, heap: false, imports: true } });
    assert.equal(result.exitCode, 0, result.outputTail);
    model = await loadRun(result, { root: dir });
    lines = importLinesForFile(model, main, MAIN);
  });

  it('gives the typescript line its load time, the slowest of the file', () => {
    const ts = lines.find((l) => l.request === 'typescript');
    assert.ok(ts, JSON.stringify(lines));
    assert.equal(ts.line, 3);
    assert.ok(ts.totalMs > 10, `typescript loaded in ${ts.totalMs} ms`);
    assert.ok(ts.totalMs >= ts.selfMs && ts.selfMs > 0);
    for (const l of lines) if (l !== ts) assert.ok(l.totalMs < ts.totalMs, JSON.stringify(lines));
    // The figure is the import tree's own: typescript's node under main.js.
    const tree = model.imports!.tree;
    const nodes = [...Array(tree.count).keys()].filter((n) => model.frames[tree.frame[n]].name === 'typescript');
    assert.ok(nodes.some((n) => Math.abs(tree.total[n] / 1000 - ts.totalMs) < 1e-9), 'the tree\'s total for typescript');
    // The lens above the line.
    assert.match(importLensText(ts), /^\$\(package\) 'typescript': [\d.]+ m?s to load \([\d.<]+ m?s its own\) · measured import time$/);
  });

  it('matches the local module by path, and no line the run did not load', () => {
    const helper = lines.find((l) => l.request === './helper');
    assert.ok(helper, JSON.stringify(lines));
    assert.equal(helper.line, 4);
    assert.ok(!lines.some((l) => l.request === 'not-loaded'));
    assert.ok(!lines.some((l) => l.line === 5));
    assert.deepEqual(lines.map((l) => l.line), [...lines.map((l) => l.line)].sort((a, b) => a - b));
  });

  it('another file, or no import timing, gets none', () => {
    assert.deepEqual(importLinesForFile(model, path.join(dir, 'helper.js'), 'exports.helper = () => 1;\n'), []);
    assert.deepEqual(importLinesForFile({ ...model, imports: undefined }, main, MAIN), []);
  });
});
