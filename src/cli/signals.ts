// SIGINT, SIGTERM and SIGHUP end a long-running command (profile, bench, compare) the same way:
// the target's whole process tree is ended, what was flushed is kept, temporary worktrees are
// removed, and the command exits with 128 + the signal's number, as a shell reports it.
// Without these handlers Node dies at once on SIGTERM/SIGHUP and leaves the tree running.
import * as os from 'os';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export interface SignalAbort {
  signal: AbortSignal;
  /** The first stop signal received, if any. */
  received(): StopSignal | undefined;
  /** 128 + the received signal's number (130 for SIGINT), or undefined when none came. */
  exitCode(): number | undefined;
  dispose(): void;
}

export function signalExitCode(sig: StopSignal): number {
  return 128 + (os.constants.signals[sig] ?? 2);
}

/**
 * An AbortController aborted (with `reason`) by the first of SIGINT, SIGTERM, SIGHUP; the
 * runner treats the reason 'stop' as "keep the profiles" (flush first, longer grace). Later signals are ignored
 * while the command tidies up (ending the tree takes at most a few seconds); a SIGKILL still ends
 * Hotpath, and the run guard then ends the tree (src/core/runner/guard.ts).
 */
export function abortOnSignals(reason?: string): SignalAbort {
  const ac = new AbortController();
  let got: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((sig) => {
    const h = () => {
      if (got) return;
      got = sig;
      ac.abort(reason);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    signal: ac.signal,
    received: () => got,
    exitCode: () => (got ? signalExitCode(got) : undefined),
    dispose: () => { for (const [sig, h] of handlers) process.removeListener(sig, h); },
  };
}
