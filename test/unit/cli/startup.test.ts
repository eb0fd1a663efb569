// What the built CLI loads: `hotpath --version`, `--help` and a whole `hotpath profile` load no
// TypeScript (the compiler is only for the commands that parse source), and `rank` loads the one
// shared copy, dist/engines/typescript.js. A preload in the CLI's own process (not passed on to
// the target) records every module it loads. The start-up time itself is measured by
// bench/startup.bench.js against `node -e 0`, not here.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, ROOT } from './cli';
import { buildOnly } from '../build';

describe('cli: what start-up loads', function () {
  this.timeout(120_000);
  let tmp: string;
  let spy: string;
  before(() => {
    buildOnly('cli,preload');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-startup-'));
    spy = path.join(tmp, 'spy.js');
    // Writes the files of every module this process loaded (not built-ins) when it exits, and
    // whether Node's ES module loader ran (its module job is loaded on the first ES module import).
    fs.writeFileSync(spy, `process.on('exit', () => require('fs').writeFileSync(process.env.SPY_OUT, JSON.stringify({ modules: Object.keys(require.cache), esm: process.moduleLoadList.includes('NativeModule internal/modules/esm/module_job'), builtins: process.moduleLoadList.filter((m) => /^NativeModule (child_process|crypto|worker_threads)$/.test(m)) })));\n`);
    fs.mkdirSync(path.join(tmp, 'src'));
    fs.writeFileSync(path.join(tmp, 'src', 'a.js'), "const util = require('util');\nmodule.exports = () => util.format('%d', 1);\n");
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function loaded(args: string[], name: string): { code: number | null; modules: string[]; esm: boolean; builtins: string[]; stderr: string } {
    const out = path.join(tmp, `${name}.json`);
    const r = spawnSync(process.execPath, ['-r', spy, CLI, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, SPY_OUT: out, NODE_OPTIONS: '' } });
    const seen = JSON.parse(fs.readFileSync(out, 'utf8')) as { modules: string[]; esm: boolean; builtins: string[] };
    const modules = seen.modules.filter((m) => m !== spy).map((m) => path.relative(ROOT, m));
    return { code: r.status, modules, esm: seen.esm, builtins: seen.builtins, stderr: r.stderr };
  }

  it('--version and --help load dist/cli.js alone', () => {
    for (const args of [['--version'], ['--help']]) {
      const r = loaded(args, args[0].slice(2));
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(r.modules, [path.join('dist', 'cli.js')]);
    }
    assert.ok(fs.statSync(CLI).size < 50_000, `dist/cli.js is the command registry only (${fs.statSync(CLI).size} bytes)`);
  });

  it('profile loads its own bundle and no TypeScript, through a whole run', () => {
    const r = loaded(['profile', '--no-save', '--json', '--', 'node', 'src/a.js'], 'profile');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(r.modules.includes(path.join('dist', 'cli-profile.js')) && r.modules.includes(path.join('dist', 'cli-profileRun.js')), r.modules.join(' '));
    assert.deepStrictEqual(r.modules.filter((m) => /typescript|engines/.test(m)), []);
    assert.ok(r.builtins.includes('NativeModule child_process'), `the runner loaded: ${r.builtins}`);
  });

  it('a command\'s bundle is required, not import()ed: the ES module loader never starts', () => {
    // import() of a CommonJS bundle starts the ES module loader and scans the whole bundle for its
    // exports: `profile --help` took 2.4x the CPU time of `node -e 0` that way (1.3x with require).
    const r = loaded(['profile', '--help'], 'profile-help');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.deepStrictEqual(r.modules, [path.join('dist', 'cli.js'), path.join('dist', 'cli-profile.js')]);
    assert.strictEqual(r.esm, false);
  });

  it('rank and fixes load TypeScript on first use: not for --help or a bad flag', () => {
    // The compiler is ~0.7 s of CPU to load; a command's bundle reaches it through getters.
    for (const args of [['rank', '--help'], ['fixes', '-h'], ['rank', '--no-such-flag'], ['fixes', '--no-such-flag']]) {
      const r = loaded(args, args.join('_'));
      assert.strictEqual(r.code, args[1].startsWith('--no') ? 2 : 0, r.stderr);
      assert.deepStrictEqual(r.modules.filter((m) => /typescript|engines/.test(m)), [], args.join(' '));
    }
  });

  it('profile --help and a usage error load the options only: not the runner, not the profile model', () => {
    for (const [args, code] of [[['profile', '--help'], 0], [['profile', '--bogus'], 2]] as const) {
      const r = loaded([...args], `profile-options-${code}`);
      assert.strictEqual(r.code, code, r.stderr);
      assert.deepStrictEqual(r.modules, [path.join('dist', 'cli.js'), path.join('dist', 'cli-profile.js')]);
      // child_process and crypto come with the runner (spawn, randomUUID): `profile --help` needs neither.
      assert.deepStrictEqual(r.builtins, [], `${args.join(' ')} loaded ${r.builtins}`);
    }
  });

  it('rank loads the one shared compiler, dist/engines/typescript.js', () => {
    const r = loaded(['rank', 'src', '--json', '--workers', '1'], 'rank');
    assert.strictEqual(r.code, 0, r.stderr);
    const ts = r.modules.filter((m) => /typescript/.test(m));
    assert.deepStrictEqual(ts, [path.join('dist', 'engines', 'typescript.js')]);
  });
});
