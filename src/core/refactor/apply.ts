// Applying fixes to text and to files. Each round takes one analysis and applies every safe,
// preferred fix whose edits do not overlap (new names shared, so they never collide); the
// rest wait for the next round's fresh analysis. A round whose result does not parse is
// redone one fix at a time, and a fix that alone breaks parsing is skipped.
import * as fs from 'fs';
import type { AnalyzeOptions, Fix, TextEdit } from './types';
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

const keyOf = (f: Fix) => `${f.kind}:${f.module}:${f.title}`;

function overlaps(a: TextEdit[], b: TextEdit[]): boolean {
  // Same start counts too: an insertion there and a replacement starting there cannot be ordered.
  return a.some((x) => b.some((y) => x.start < y.end && y.start < x.end || x.start === y.start));
}

/** Whether `applySafeFixes` applies this fix: safe and preferred; memoize (never preferred: it
 *  pays only for repeated arguments) only when `opts.kinds` names it explicitly. */
export function isApplicable(f: Fix, opts: AnalyzeOptions): boolean {
  return f.safe && (f.preferred || (f.kind === 'memoize' && !!opts.kinds?.includes('memoize')));
}

/** Applies every applicable fix (of `opts.kinds`, see `isApplicable`); stops when none is left. */
export function applySafeFixes(file: string, text: string, opts: AnalyzeOptions = {}): ApplyResult {
  return applyFixes(file, text, opts, (f) => isApplicable(f, opts));
}

/**
 * Applies the fixes `select` picks, round after round on a fresh analysis, until it picks none
 * (a startup plan picks the lazy-loads of the modules that leave startup).
 */
export function applyFixes(file: string, text: string, opts: AnalyzeOptions, select: (f: Fix) => boolean): ApplyResult {
  const applied: Fix[] = [];
  const skipped = new Set<string>();
  let single = false;
  for (let round = 0; round < 500; round++) {
    const candidates = analyzeFile(file, text, opts).filter((f) => select(f) && !skipped.has(keyOf(f)));
    if (candidates.length === 0) break;
    const taken = new Set<string>();
    const batch: { fix: Fix; edits: TextEdit[] }[] = [];
    for (const fix of single ? candidates.slice(0, 1) : candidates) {
      // createRequire fixes may add the same helper import: one per round.
      if (fix.variant === 'createRequire' && batch.some((b) => b.fix.variant === 'createRequire')) continue;
      const edits = computeEdits(fix, taken);
      if (batch.some((b) => overlaps(b.edits, edits))) continue;
      batch.push({ fix, edits });
    }
    const next = applyEdits(text, batch.flatMap((b) => b.edits));
    if (syntaxErrors(file, next).length > 0) {
      // Never leave a file that no longer parses: retry singly, then skip the culprit.
      if (batch.length > 1) { single = true; continue; }
      skipped.add(keyOf(batch[0].fix));
      continue;
    }
    text = next;
    applied.push(...batch.map((b) => b.fix));
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
