// How values read in the tooltip, the summary and the tables. Time arrives in microseconds
// and is shown in ms with one decimal; bytes are shown in B/KB/MB. Sampled values carry their
// sampling error (formatWithError; see spread.ts).
import type { FlameFrame, FlameGraphData } from '../../src/protocol/flame';

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatValue(value: number, unit: FlameGraphData['unit']): string {
  if (unit === 'us') return `${oneDecimal.format(value / 1000)} ms`;
  if (value < 1024) return `${Math.round(value)} B`;
  if (value < 1024 * 1024) return `${oneDecimal.format(value / 1024)} KB`;
  if (value < 1024 * 1024 * 1024) return `${oneDecimal.format(value / (1024 * 1024))} MB`;
  return `${oneDecimal.format(value / (1024 * 1024 * 1024))} GB`;
}

/**
 * A value with its sampling error, both in the value's scale: "12.3 ±1.1 ms", "1.5 ±0.2 MB".
 * Without an error (measured value, or unknown count) the plain value.
 */
export function formatWithError(value: number, error: number | null, unit: FlameGraphData['unit']): string {
  if (error === null || !Number.isFinite(error)) return formatValue(value, unit);
  if (unit === 'us') return `${oneDecimal.format(value / 1000)} ±${oneDecimal.format(error / 1000)} ms`;
  if (value < 1024) return `${Math.round(value)} ±${Math.round(error)} B`;
  const [div, name] = value < 1024 * 1024 ? [1024, 'KB'] : value < 1024 * 1024 * 1024 ? [1024 * 1024, 'MB'] : [1024 * 1024 * 1024, 'GB'];
  return `${oneDecimal.format(value / div)} ±${oneDecimal.format(error / div)} ${name}`;
}

export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0)) return '0%';
  const p = (part / whole) * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${oneDecimal.format(p)}%`;
}

export function formatLocation(frame: FlameFrame): string {
  if (!frame.file) return '(no source)';
  return frame.line > 0 ? `${frame.file}:${frame.line}` : frame.file;
}

/** Empty function names are module top-level code or anonymous functions. */
export function displayName(frame: FlameFrame): string {
  if (frame.name) return frame.name;
  if (frame.line <= 1 && frame.column <= 1 && frame.file) return `(module ${baseName(frame.file)})`;
  return '(anonymous)';
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}
