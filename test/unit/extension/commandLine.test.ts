import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { commandLineProblem, outputTail, runTitle, splitCommandLine } from '../../../src/extension/profile/commandLine';

describe('command lines', () => {
  it('splits like the shell does', function () {
    const lines = [`node server.js --port 3000`, `node -e "console.log('a b')" x`, `echo 'it'\\''s' "q\\"uote" a\\ b`, `  spaced   out  `, `empty "" ''`];
    for (const line of lines) {
      if (process.platform === 'win32') this.skip();
      // The shell itself is the reference: print each word on its own line.
      const expected = execFileSync('sh', ['-c', `for w in ${line}; do printf '%s\\n' "$w"; done`], { encoding: 'utf8' });
      const words = splitCommandLine(line);
      assert.deepStrictEqual(words, expected.split('\n').slice(0, -1), line);
    }
  });

  it('reports what is wrong with a command line', () => {
    assert.match(commandLineProblem('   ')!, /Enter a command line/);
    assert.match(commandLineProblem(`node -e "oops`)!, /unterminated double quote/);
    assert.match(commandLineProblem(`echo 'oops`)!, /unterminated single quote/);
    assert.strictEqual(commandLineProblem('npm run build'), undefined);
  });

  it('titles runs with the command and time, shortened', () => {
    const when = new Date(2026, 10, 25, 9, 5, 7);
    assert.strictEqual(runTitle('npm   run build', when), 'npm run build · 09:05:07');
    const long = runTitle('node ' + 'x'.repeat(100), when, 20);
    assert.strictEqual(long, `node ${'x'.repeat(14)}… · 09:05:07`);
  });

  it('keeps the last non-empty lines of output', () => {
    assert.strictEqual(outputTail('a\n\nb\nc\n\n', 2), 'b\nc');
    assert.ok(outputTail('x'.repeat(1000), 5, 100).length <= 101);
  });
});
