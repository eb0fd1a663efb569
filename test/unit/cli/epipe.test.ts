// `hotpath … | head`: when the reader goes away, the commands that print a lot stop quietly with
// 141 (128 + SIGPIPE, as a Unix tool killed by SIGPIPE), never Node's raw EPIPE stack. A 2 MB
// synthetic profile (5,000 functions) gives output well past a pipe's 64 KiB buffer.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeSyntheticCpuProfile } from '../../../bench/syntheticCpuProfile';
import { tempDir } from '../tempDirs';
import { CLI, noRawError } from './cli';
import { buildOnly } from '../build';

describe('cli: output to a closed pipe', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  before(() => {
    buildOnly('cli');
    dir = tempDir('epipe');
    file = path.join(dir, 'big.cpuprofile');
    writeSyntheticCpuProfile(file, 2);
  });

  /** Runs `hotpath <args> | head -c 100`; Hotpath's own exit status and stderr. */
  function piped(args: string[]): { status: number; stderr: string; head: string } {
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const errFile = path.join(dir, 'stderr.txt');
    const r = spawnSync('bash', ['-c', `'${process.execPath}' '${CLI}' ${quoted} 2>'${errFile}' | head -c 100; s=\${PIPESTATUS[0]}; echo; echo "status=$s"`], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
    const status = Number(/status=(\d+)\s*$/.exec(r.stdout)?.[1]);
    return { status, stderr: fs.readFileSync(errFile, 'utf8'), head: r.stdout };
  }

  for (const args of [
    ['profile', '--from', 'big.cpuprofile', '--top', '3000'],
    ['profile', '--from', 'big.cpuprofile', '--top', '3000', '--json'],
    ['diff', 'big.cpuprofile', 'big.cpuprofile', '--json', '--top', '3000'],
  ]) {
    it(`hotpath ${args.join(' ')} | head -c 100: exit 141, no EPIPE stack`, () => {
      const r = piped(args);
      assert.ok(r.head.length > 50, `head got the output: ${r.head}`);
      assert.doesNotMatch(r.stderr, /EPIPE|Unhandled 'error' event/, r.stderr);
      noRawError(r.stderr);
      assert.strictEqual(r.status, 141, `${r.stderr}\n${r.head}`);
    });
  }
});
