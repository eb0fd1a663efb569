// Profile lines after edits. A profile names lines of the file as it ran; once the user edits it,
// an annotation must move with its code or be withdrawn until the next profile, never stay on the
// wrong code. Each line is mapped through the document's changes, then checked: the line it lands
// on must read as it did when the annotations were first drawn. Pure (no `vscode`), unit-tested.
import type { FileHotspots } from '../../core/profile';
import type { ImportLine } from '../../core/profile/importLines';

/** A file's annotations: CPU hotspots and, when the run timed imports, its import lines. */
export type FileAnnotations = FileHotspots & { imports?: ImportLine[] };

/** One text change as VS Code reports it (0-based lines), in the order of the event's list. */
export interface TextChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

/**
 * Where a 0-based line is after one change; undefined when the change rewrote it. An insertion at
 * the start of the line pushes it down; an insertion that begins with a line break leaves the
 * line's text where it was (the check against its text decides the rest).
 */
export function mapLine(line: number, c: TextChange): number | undefined {
  const added = countBreaks(c.text);
  if (line < c.startLine) return line;
  if (line > c.endLine) return line + added - (c.endLine - c.startLine);
  // A range that ends at the very start of the line (whole lines deleted or replaced above it):
  // the line's text is intact when nothing is left in front of it.
  if (line === c.endLine && c.endCharacter === 0 && c.endLine > c.startLine) {
    const tail = c.text.slice(c.text.lastIndexOf('\n') + 1);
    if (!tail && (added > 0 || c.startCharacter === 0)) return c.startLine + added;
  }
  const insertion = c.startLine === c.endLine && c.startCharacter === c.endCharacter;
  if (insertion && c.startCharacter === 0) return line + added;
  if (insertion && c.text.startsWith('\n')) return line;
  if (insertion && c.text.startsWith('\r\n')) return line;
  return undefined;
}

function countBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A file's hotspots as profiled, the text of their lines then, and the changes since. */
export class TrackedHotspots {
  private readonly changes: TextChange[] = [];
  private mapped: FileAnnotations | undefined;
  private readonly texts = new Map<number, string | undefined>();

  /**
   * `original`: 1-based lines as profiled; `lineText(i)`: the document's 0-based line i now,
   * when the annotations are first drawn (the document is taken to be what ran); `text`: the
   * whole document then, to know when it is that text again (a revert, every edit undone).
   */
  constructor(readonly original: FileAnnotations, lineText: (line: number) => string | undefined, private readonly text?: string) {
    for (const l of this.lines()) this.texts.set(l, lineText(l - 1));
  }

  private lines(): number[] {
    const o = this.original;
    return [...new Set([...o.functions.map((f) => f.line), ...o.lines.map((l) => l.line), ...(o.imports ?? []).map((l) => l.line)])];
  }

  get edited(): boolean {
    return this.changes.length > 0;
  }

  /**
   * Records the changes of one document change event (in the event's order). `textNow`, the
   * document after them: when it is again the text the annotations were drawn on, every one of
   * them is right again where it was profiled, also those an edit had withdrawn; VS Code's
   * revert reports its own changes, which need not map each line back.
   */
  apply(changes: readonly TextChange[], textNow?: string): void {
    if (!changes.length) return;
    this.mapped = undefined;
    if (textNow !== undefined && this.text !== undefined && textNow.length === this.text.length && textNow === this.text) {
      this.changes.length = 0;
      return;
    }
    this.changes.push(...changes);
  }

  /** 1-based profiled line -> 1-based line now, or undefined when its code is gone or changed. */
  where(line: number, lineText: (line: number) => string | undefined): number | undefined {
    let l: number | undefined = line - 1;
    for (const c of this.changes) {
      l = mapLine(l, c);
      if (l === undefined) return undefined;
    }
    const then = this.texts.get(line);
    if (then !== undefined && lineText(l) !== then) return undefined;
    return l + 1;
  }

  /** The hotspots on today's lines; those whose code changed are left out. */
  current(lineText: (line: number) => string | undefined): FileAnnotations {
    if (!this.changes.length) return this.original;
    if (this.mapped) return this.mapped;
    const functions = this.original.functions.flatMap((f) => {
      const line = this.where(f.line, lineText);
      if (line === undefined) return [];
      // The end only bounds hovers: mapped without a check (the body may have been edited).
      let end: number | undefined = f.endLine === undefined ? undefined : f.endLine - 1;
      for (const c of this.changes) if (end !== undefined) end = mapLine(end, c);
      return [{ ...f, line, endLine: end === undefined ? undefined : Math.max(line, end + 1) }];
    });
    const lines = this.original.lines.flatMap((l) => {
      const line = this.where(l.line, lineText);
      return line === undefined ? [] : [{ ...l, line }];
    });
    const imports = this.original.imports?.flatMap((l) => {
      const line = this.where(l.line, lineText);
      return line === undefined ? [] : [{ ...l, line }];
    });
    return (this.mapped = { ...this.original, functions, lines, ...(imports ? { imports } : {}) });
  }
}
