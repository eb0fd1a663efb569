// The stored runs' startup plan as `hotpath fixes --plan` gives it: its --json and its text.
import * as assert from 'assert';
import { hotpath } from '../cli/cli';

export function listPlan(dir: string): { plan: any; text: string } {
  const listed = hotpath(dir, ['fixes', '--plan', '--json']);
  assert.strictEqual(listed.code, 0, listed.stderr);
  const printed = hotpath(dir, ['fixes', '--plan']);
  assert.strictEqual(printed.code, 0, printed.stderr);
  return { plan: JSON.parse(listed.stdout).plan, text: printed.stdout };
}
