// compile-cache on real processes: the fix goes into a CLI's bin entry (an extensionless script
// too) and a private package's main, never a library's main; on Node >= 22.1 the modules loaded
// after the line are compiled through V8's compile cache (Node reports its folder), on Node 20 the
// guarded call changes nothing; an ES module entry with static imports and an entry that is
// itself a big bundle are refused with the reason.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hotpath } from '../cli/cli';
import { findNode24 } from '../../../bench/levers.bench';

const REPORT = "const m = require('module'); console.log('cache:', typeof m.getCompileCacheDir === 'function' ? (m.getCompileCacheDir() ? 'on' : 'off') : 'no api');\n";

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

interface JsonFix { file: string; kind: string; safe: boolean; preferred: boolean; reason: string | null; title: string }

describe('refactor: compile-cache in program entries', function () {
  this.timeout(120_000);
  let root: string;
  const run = (node: string, file: string) => {
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE; // a set variable (even empty) changes what Node does
    delete env.NODE_DISABLE_COMPILE_CACHE;
    const r = spawnSync(node, [file], { cwd: path.dirname(file), encoding: 'utf8', env });
    return `${r.status} ${r.stdout}${r.stderr}`;
  };
  const fixesOf = (dir: string, apply = false): { fixes: JsonFix[]; changedFiles?: string[] } => {
    const r = hotpath(dir, ['fixes', '.', '--kind', 'compile-cache', '--json', ...(apply ? ['--apply'] : [])]);
    assert.strictEqual(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-compile-cache-'));
    write(path.join(root, 'cli'), {
      'package.json': JSON.stringify({ name: 'tool', version: '1.0.0', bin: { tool: 'bin/tool' } }),
      'bin/tool': "#!/usr/bin/env node\n'use strict';\nrequire('../lib/main.js');\n",
      'lib/main.js': REPORT,
    });
    write(path.join(root, 'lib'), { 'package.json': JSON.stringify({ name: 'a-library', main: 'index.js' }), 'index.js': "module.exports = require('./impl');\n", 'impl.js': 'module.exports = 1;\n' });
    write(path.join(root, 'app'), { 'package.json': JSON.stringify({ name: 'an-app', private: true, main: 'server.js' }), 'server.js': "require('./routes');\n", 'routes.js': REPORT });
    write(path.join(root, 'esm-static'), { 'package.json': JSON.stringify({ name: 'esm-tool', type: 'module', bin: 'cli.js' }), 'cli.js': "#!/usr/bin/env node\nimport { run } from './run.js';\nrun();\n", 'run.js': 'export function run() {}\n' });
    write(path.join(root, 'esm-dynamic'), {
      'package.json': JSON.stringify({ name: 'esm-dyn', type: 'module', bin: 'cli.js' }),
      'cli.js': "#!/usr/bin/env node\nimport process from 'node:process';\nawait import('./run.js');\nprocess.exitCode = 0;\n",
      'run.js': "import m from 'node:module';\nconsole.log('cache:', typeof m.getCompileCacheDir === 'function' ? (m.getCompileCacheDir() ? 'on' : 'off') : 'no api');\n",
    });
    write(path.join(root, 'bundle'), { 'package.json': JSON.stringify({ name: 'bundled', bin: 'cli.js' }), 'cli.js': `#!/usr/bin/env node\n${'var x = 1;\n'.repeat(30000)}` });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('offers it for a bin script without extension and a private main, not for a library main', () => {
    const cli = fixesOf(path.join(root, 'cli')).fixes;
    assert.deepStrictEqual(cli.map((f) => [f.file, f.safe]), [['bin/tool', true]]);
    assert.match(cli[0].title, /Turn on V8's compile cache for the 'tool' command \(package\.json bin\)/);
    assert.deepStrictEqual(fixesOf(path.join(root, 'app')).fixes.map((f) => [f.file, f.safe]), [['server.js', true]]);
    assert.deepStrictEqual(fixesOf(path.join(root, 'lib')).fixes, []);
  });

  it('refuses an ES module entry with static imports and an entry that is a big bundle, with the reason', () => {
    const esm = fixesOf(path.join(root, 'esm-static')).fixes;
    assert.strictEqual(esm[0].safe, false);
    assert.match(esm[0].reason!, /static imports \('\.\/run\.js'\) are compiled before its code runs.*NODE_COMPILE_CACHE/);
    const bundle = fixesOf(path.join(root, 'bundle')).fixes;
    assert.strictEqual(bundle[0].safe, false);
    assert.match(bundle[0].reason!, /itself a \d+ KB bundle/);
  });

  it('applied: Node 20 runs the same; Node >= 22.1 compiles what loads next through the cache', function () {
    const beforeCli = run(process.execPath, path.join(root, 'cli', 'bin', 'tool'));
    assert.strictEqual(beforeCli, '0 cache: no api\n');
    // Optional (it paid on 2 of 8 real CLIs, bench/LEVERS.md): a plain --apply leaves it out.
    assert.strictEqual(fixesOf(path.join(root, 'cli')).fixes[0].preferred, false);
    const plain = hotpath(path.join(root, 'cli'), ['fixes', '.', '--apply', '--json']);
    assert.deepStrictEqual([plain.code, JSON.parse(plain.stdout).changedFiles], [0, []], plain.stderr);
    for (const name of ['cli', 'app', 'esm-dynamic']) {
      const out = fixesOf(path.join(root, name), true);
      assert.strictEqual(out.changedFiles?.length, 1, name);
    }
    assert.match(fs.readFileSync(path.join(root, 'cli', 'bin', 'tool'), 'utf8'), /^#!\/usr\/bin\/env node\n'use strict';\n\/\/ V8 compile cache/);
    assert.strictEqual(run(process.execPath, path.join(root, 'cli', 'bin', 'tool')), beforeCli);
    assert.strictEqual(run(process.execPath, path.join(root, 'esm-dynamic', 'cli.js')), '0 cache: no api\n');
    const node24 = findNode24();
    if (!node24) this.skip(); // no Node >= 22.1 here: `node scripts/setup-vscode.js` installs one
    for (const file of [path.join(root, 'cli', 'bin', 'tool'), path.join(root, 'app', 'server.js'), path.join(root, 'esm-dynamic', 'cli.js')]) {
      assert.strictEqual(run(node24, file), '0 cache: on\n', file);
    }
    // Without the fix Node 24 has the cache off.
    assert.strictEqual(run(node24, path.join(root, 'cli', 'lib', 'main.js')), '0 cache: off\n');
  });
});
