// Shared by the ranking tests: golden files and a stable projection of a ranking (no absolute
// paths or timings, which differ between machines).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ModuleRank, RankResult } from '../../../src/core/rank';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');
const GOLDENS = path.join(__dirname, 'goldens');

export function project(result: RankResult) {
  return {
    modules: result.modules.map((m: ModuleRank) => ({
      file: m.file,
      score: m.score,
      role: m.role,
      tieBreak: m.tieBreak,
      risk: m.risk,
      factors: Object.fromEntries(Object.entries(m.factors).map(([k, f]) => [k, { score: f.score, measured: f.measured, evidence: f.evidence }])),
      patterns: m.patterns.map((p) => ({ kind: p.kind, sites: p.sites.map((s) => ({ line: s.line, detail: s.detail })) })),
    })),
    skipped: result.skipped,
    leftOut: result.leftOut,
  };
}

/** Compares with the golden; HOTPATH_UPDATE_GOLDENS=1 rewrites it instead. */
export function assertGolden(name: string, actual: unknown): void {
  const file = path.join(GOLDENS, `${name}.json`);
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (process.env.HOTPATH_UPDATE_GOLDENS === '1' || !fs.existsSync(file)) {
    if (process.env.HOTPATH_UPDATE_GOLDENS !== '1') assert.fail(`missing golden ${file}: run with HOTPATH_UPDATE_GOLDENS=1 to create it`);
    fs.writeFileSync(file, text);
    return;
  }
  assert.deepStrictEqual(actual, JSON.parse(fs.readFileSync(file, 'utf8')), `differs from ${path.relative(process.cwd(), file)} (HOTPATH_UPDATE_GOLDENS=1 rewrites it)`);
}

export function byFile(result: RankResult, file: string): ModuleRank {
  const m = result.modules.find((x) => x.file === file);
  assert.ok(m, `${file} not ranked; ranked: ${result.modules.map((x) => x.file).join(', ')}`);
  return m;
}
