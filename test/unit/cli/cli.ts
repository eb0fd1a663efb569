// The built CLI as the CLI tests run it: `node dist/cli.js <args>` in a folder, with its exit code
// and both streams; and the check that no raw Node error reaches the user.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export function hotpath(cwd: string, args: string[], timeoutMs = 120_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No raw Node error codes or stack frames reach the user. */
export function noRawError(text: string): void {
  assert.doesNotMatch(text, /\b(ENOENT|EISDIR|EEXIST|ENOTDIR)\b/, text);
  assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?\n/, text);
}
