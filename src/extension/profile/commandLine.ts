// Checks on a typed command line before anything is started, and the short titles runs get.
// The command itself goes to the shell unchanged; splitting is only for validation and display.

/** Splits a POSIX-style command line into words; throws on an unterminated quote. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote === '"' ? 'double' : 'single'} quote`);
  if (inWord) words.push(word);
  return words;
}

/** Returns why a command line cannot be run, or undefined when it looks runnable. */
export function commandLineProblem(line: string): string | undefined {
  if (!line.trim()) return 'Enter a command line, for example: node server.js --port 3000';
  try {
    splitCommandLine(line);
  } catch (err) {
    return `The command line has an ${(err as Error).message}.`;
  }
  return undefined;
}

/** "npm run build · 14:03:27": short enough for a tab, distinct per run. */
export function runTitle(command: string, when: Date, maxLength = 40): string {
  const compact = command.replace(/\s+/g, ' ').trim();
  const shown = compact.length > maxLength ? `${compact.slice(0, maxLength - 1)}…` : compact;
  const time = [when.getHours(), when.getMinutes(), when.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${shown} · ${time}`;
}

/** Last `lines` non-empty lines of output, for error messages. */
export function outputTail(text: string, lines = 5, maxChars = 600): string {
  const tail = text.split(/\r?\n/).filter((l) => l.trim()).slice(-lines).join('\n');
  return tail.length > maxChars ? `…${tail.slice(-maxChars)}` : tail;
}
