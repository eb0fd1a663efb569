// Prepares the payoff fixture (test/fixtures/payoff-cli): two copies under its git-ignored
// work/ folder, the original and one with every safe lazy-load fix applied by the engine.
// `typescript` resolves from the repository's node_modules, a real heavy dependency.
import * as fs from 'fs';
import * as path from 'path';
import { applySafeFixesToFile, type HeavyModule, type Fix } from '../../../src/core/refactor';

export const PAYOFF = path.join(__dirname, '..', '..', 'fixtures', 'payoff-cli');

export interface PayoffCopies { before: string; after: string; applied: Fix[] }

export function preparePayoff(heavy?: Map<string, HeavyModule>): PayoffCopies {
  const work = path.join(PAYOFF, 'work');
  const before = path.join(work, 'before');
  const after = path.join(work, 'after');
  fs.rmSync(work, { recursive: true, force: true });
  for (const dir of [before, after]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(path.join(PAYOFF, 'lib'), path.join(dir, 'lib'), { recursive: true });
    fs.copyFileSync(path.join(PAYOFF, 'cli.js'), path.join(dir, 'cli.js'));
    fs.copyFileSync(path.join(PAYOFF, 'package.json'), path.join(dir, 'package.json'));
  }
  const result = applySafeFixesToFile(path.join(after, 'cli.js'), { kinds: ['lazy-import'], heavy });
  return { before, after, applied: result?.applied ?? [] };
}
