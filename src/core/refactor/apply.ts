// Applying fixes to text and to files. Each round takes one analysis and applies every safe,
// preferred fix whose edits do not overlap (new names shared, so they never collide); the
// rest wait for the next round's fresh analysis. A round whose result does not parse is
// redone one fix at a time, and a fix that alone breaks parsing is skipped.
import * as fs from 'fs';
import type { AnalyzeOptions, Fix, TextEdit } from './types';
import { analyzeFile, computeEdits, syntaxErrors } from './analyze';
import { writeFileAtomic } from '../checkpoint/write';

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
 *  pays only for repeated arguments) only when `opts.kinds` names it explicitly and a measured run
 *  counted its calls (a counted candidate stays safe only where its hit rate pays). */
export function isApplicable(f: Fix, opts: AnalyzeOptions): boolean {
  return f.safe && (f.preferred || (f.kind === 'compile-cache' && !!opts.kinds?.includes('compile-cache')) || (f.kind === 'memoize' && !!opts.kinds?.includes('memoize') && (!!f.calls || opts.requireCallEvidence === false)));
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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
function invalidUtf8At(buf: Buffer): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= buf.length) return i;
    for (let k = 1; k <= n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((b === 0xe0 && buf[i + 1] < 0xa0) || (b === 0xed && buf[i + 1] > 0x9f) || (b === 0xf0 && buf[i + 1] < 0x90) || (b === 0xf4 && buf[i + 1] > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}

export interface SourceText {
  /** The text the fixes work on (without a byte order mark). */
  text: string;
  /** The file starts with a UTF-8 byte order mark: encodeSource puts it back. */
  bom: boolean;
  /** The file's bytes as read. */
  bytes: Buffer;
}

/**
 * A source file for the fixes. Only UTF-8 is edited: a file with other bytes would come back with
 * them replaced by U+FFFD (string literals changed), so `error` says why it is left alone.
 */
export function readSource(file: string): SourceText | { error: string } {
  const bytes = fs.readFileSync(file);
  const bad = invalidUtf8At(bytes);
  if (bad >= 0) {
    const line = bytes.subarray(0, bad).toString('latin1').split('\n').length;
    return { error: `not UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at line ${line}); left unchanged, since rewriting it as UTF-8 would change those bytes` };
  }
  const bom = bytes.subarray(0, 3).equals(BOM);
  return { text: bytes.subarray(bom ? 3 : 0).toString('utf8'), bom, bytes };
}

/** The bytes to write for `text` read by readSource (the byte order mark put back when it had one). */
export function encodeSource(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([BOM, body]) : body;
}

/** Applies the safe fixes to one file in place (atomically); undefined when nothing changed or the file is not UTF-8. */
export function applySafeFixesToFile(file: string, opts: AnalyzeOptions = {}): ApplyResult | undefined {
  const src = readSource(file);
  if ('error' in src) return undefined;
  const result = applySafeFixes(file, src.text, opts);
  if (result.text === src.text) return undefined;
  writeFileAtomic(file, encodeSource(result.text, src.bom));
  return result;
}
