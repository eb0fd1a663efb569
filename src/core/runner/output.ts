// A child's output as Hotpath's runners read it: each chunk goes to the caller as it comes, and
// the last few thousand characters are kept for error messages.
import type { ChildProcess } from 'child_process';

export type OutputListener = (text: string, stream: 'stdout' | 'stderr') => void;

/** Reads the child's stdout and stderr (both piped); `tail()` is the last `maxChars` characters. */
export function collectOutput(child: ChildProcess, maxChars: number, onOutput?: OutputListener): { tail(): string } {
  let tail = '';
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-maxChars);
    onOutput?.(text, stream);
  };
  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));
  return { tail: () => tail };
}
