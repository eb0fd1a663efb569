// Applying fixes to text and to files. Fixes of one file are applied one at a time with a
// fresh analysis in between, so edits from different fixes never overlap or go stale.
import * as fs from 'fs';
import type { AnalyzeOptions, Fix, FixKind, TextEdit } from './types';
import { analyzeFile, computeEdits, syntaxErrors } from './analyze';

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].end > sorted[i - 1].start) throw new Error(`Overlapping edits at offsets ${sorted[i].start} and ${sorted[i - 1].start}.`);
  }
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export interface ApplyResult { text: string; applied: Fix[] }

/** Applies every safe, preferred fix of the given kinds; stops when none is left. */
export function applySafeFixes(file: string, text: string, opts: AnalyzeOptions & { kinds?: FixKind[] } = {}): ApplyResult {
  const applied: Fix[] = [];
  const tried = new Set<string>();
  for (let round = 0; round < 200; round++) {
    const fix = analyzeFile(file, text, opts).find((f) => f.safe && f.preferred && !tried.has(`${f.kind}:${f.module}:${f.title}`));
    if (!fix) break;
    const next = applyEdits(text, computeEdits(fix));
    // A fix must never leave a file that no longer parses; skip it instead.
    if (syntaxErrors(file, next).length > 0) { tried.add(`${fix.kind}:${fix.module}:${fix.title}`); continue; }
    text = next;
    applied.push(fix);
  }
  return { text, applied };
}

export function applySafeFixesToFile(file: string, opts: AnalyzeOptions = {}): ApplyResult | undefined {
  const before = fs.readFileSync(file, 'utf8');
  const result = applySafeFixes(file, before, opts);
  if (result.text === before) return undefined;
  fs.writeFileSync(file, result.text);
  return result;
}
