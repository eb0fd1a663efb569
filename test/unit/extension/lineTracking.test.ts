// Lenses and heat after an edit (issue 14 item 2): the real lazy-load fix of `typescript` in the
// demo's main.js (the edit that left the buildIndex lens inside checkConfig), applied as VS Code
// reports it; every annotation lands on its own code again, and edited code loses its annotation.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFile, applyEdits, computeEdits } from '../../../src/core/refactor';
import type { FileHotspots } from '../../../src/core/profile';
import { mapLine, TrackedHotspots, type TextChange } from '../../../src/extension/annotations/lineTracking';

const FILE = path.join(__dirname, '../../../demo/src/main.js');

/** A reader of 0-based lines of `text`. */
const lines = (text: string) => {
  const l = text.split('\n');
  return (i: number) => (i >= 0 && i < l.length ? l[i] : undefined);
};

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Offset edits as VS Code's change event lists them: last in the file first, pre-edit positions. */
function asChanges(text: string, edits: { start: number; end: number; newText: string }[]): TextChange[] {
  return [...edits].sort((a, b) => b.start - a.start).map((e) => {
    const s = position(text, e.start);
    const t = position(text, e.end);
    return { startLine: s.line, startCharacter: s.character, endLine: t.line, endCharacter: t.character, text: e.newText };
  });
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i + 1;
}

describe('annotations follow edits (demo main.js, the real lazy-load fix)', () => {
  const text = fs.readFileSync(FILE, 'utf8');
  const fn = (name: string) => ({ name, line: lineOf(text, `function ${name}(`), selfMs: 10, totalMs: 20, samples: 8 });
  const hot: FileHotspots = {
    functions: [fn('checkConfig'), fn('buildIndex'), fn('main')],
    lines: [{ line: lineOf(text, 'const slug = slugify(title)'), selfMs: 5, samples: 4 }],
  } as FileHotspots;

  it('the lazy-load fix of typescript moves every lens and heat line onto its own code', () => {
    const fix = analyzeFile(FILE, text, { lazyAll: true }).find((f) => f.kind === 'lazy-import' && f.module === 'typescript' && f.safe);
    assert.ok(fix, 'the demo offers lazy-loading typescript');
    const edits = computeEdits(fix);
    const after = applyEdits(text, edits);
    assert.ok(after.split('\n').length > text.split('\n').length, 'the fix adds lines above the functions');
    const tracked = new TrackedHotspots(hot, lines(text));
    tracked.apply(asChanges(text, edits));
    const now = tracked.current(lines(after));
    for (const f of hot.functions) {
      const moved = now.functions.find((x) => x.name === f.name);
      assert.ok(moved, `${f.name} keeps its lens`);
      assert.equal(moved.line, lineOf(after, `function ${f.name}(`), f.name);
    }
    assert.deepEqual(now.lines.map((l) => l.line), [lineOf(after, 'const slug = slugify(title)')]);
  });

  it('an edited line loses its annotation; the others stay', () => {
    const tracked = new TrackedHotspots(hot, lines(text));
    const at = lineOf(text, 'function buildIndex(') - 1;
    // Renaming buildIndex: the change rewrites its line.
    const from = text.split('\n')[at].indexOf('buildIndex');
    tracked.apply([{ startLine: at, startCharacter: from, endLine: at, endCharacter: from + 'buildIndex'.length, text: 'makeIndex' }]);
    const after = text.replace('function buildIndex(', 'function makeIndex(');
    const now = tracked.current(lines(after));
    assert.deepEqual(now.functions.map((f) => f.name), ['checkConfig', 'main']);
    assert.equal(now.functions[1].line, lineOf(after, 'function main('));
  });

  it('deleting lines above moves annotations up; deleting the line itself withdraws it', () => {
    const tracked = new TrackedHotspots(hot, lines(text));
    const start = lineOf(text, 'function checkConfig(') - 1;
    // Delete checkConfig (4 lines and the blank line after it).
    const change: TextChange = { startLine: start, startCharacter: 0, endLine: start + 5, endCharacter: 0, text: '' };
    const after = text.split('\n').filter((_, i) => i < start || i >= start + 5).join('\n');
    const now = tracked.current(lines(after));
    assert.equal(now, hot, 'no change recorded yet: the profile as it is');
    tracked.apply([change]);
    const moved = tracked.current(lines(after));
    assert.deepEqual(moved.functions.map((f) => [f.name, f.line]), [['buildIndex', lineOf(after, 'function buildIndex(')], ['main', lineOf(after, 'function main(')]]);
    assert.equal(mapLine(start, change), undefined);
    assert.equal(mapLine(start - 1, change), start - 1);
  });

  // A revert (or every edit undone) brings back the text that ran: every annotation stands on its
  // profiled line again, also one an edit had withdrawn, however VS Code reported the revert.
  it('back to the profiled text: every annotation on its profiled line again', () => {
    const tracked = new TrackedHotspots(hot, lines(text), text);
    const at = lineOf(text, 'function buildIndex(') - 1;
    const from = text.split('\n')[at].indexOf('buildIndex');
    tracked.apply([{ startLine: at, startCharacter: from, endLine: at, endCharacter: from + 'buildIndex'.length, text: 'makeIndex' }]);
    const renamed = text.replace('function buildIndex(', 'function makeIndex(');
    assert.deepEqual(tracked.current(lines(renamed)).functions.map((f) => f.name), ['checkConfig', 'main']);
    // The revert as one change over the whole file (the way a full replace reports it).
    const all = renamed.split('\n');
    tracked.apply([{ startLine: 0, startCharacter: 0, endLine: all.length - 1, endCharacter: all[all.length - 1].length, text }], text);
    assert.equal(tracked.current(lines(text)), hot);
    // Without the text to compare, the same change withdraws everything (nothing maps through it).
    const blind = new TrackedHotspots(hot, lines(text));
    blind.apply([{ startLine: 0, startCharacter: 0, endLine: all.length - 1, endCharacter: all[all.length - 1].length, text }]);
    assert.deepEqual(blind.current(lines(text)).functions, []);
  });
});
