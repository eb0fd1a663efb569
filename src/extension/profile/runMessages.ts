// What the user is told when a run did not go as planned. Pure: unit-tested on RunResult data.
import type { CaptureOptions, RunResult } from '../../core/runner/types';
import { outputTail } from './commandLine';

export type RunOutcome =
  | { kind: 'startFailed'; message: string }
  | { kind: 'cancelled'; message: string }
  | { kind: 'noProfile'; message: string }
  | { kind: 'profiled'; warning?: string };

/** Decides what to say about a finished run; `stopped` is a user stop (keep the profile). */
export function describeOutcome(command: string, result: RunResult, capture: CaptureOptions, stopped: boolean, timeoutMs?: number): RunOutcome {
  if (result.error) return { kind: 'startFailed', message: `Hotpath could not start "${command}": ${result.error}` };
  const missing = missingEntryPoint(result);
  if (missing) return { kind: 'startFailed', message: `Hotpath could not start "${command}": Node.js cannot find ${missing}. Check the path (it is resolved from the workspace folder).` };
  if (result.cancelled && !stopped) return { kind: 'cancelled', message: 'Hotpath: profiling cancelled; every process the command started was ended.' };
  // Ended by a duration limit or startup mode: the stop was planned, its signal is no failure.
  const planned = stopped || (!result.completed && !result.cancelled && !result.timedOut && !result.error);
  let warning: string | undefined;
  if (result.timedOut) {
    const limit = timeoutMs ? `${Math.round(timeoutMs / 1000)} s` : 'its time limit';
    warning = `"${command}" ran longer than ${limit} and was ended with every process it started (setting hotpath.profile.timeoutSeconds).`;
  } else if (!planned && result.exitCode !== null && result.exitCode !== 0) {
    const tail = outputTail(result.outputTail);
    warning = `"${command}" exited with code ${result.exitCode}.${tail ? ` Last output:\n${tail}` : ''}`;
  } else if (!planned && result.signal) {
    warning = `"${command}" was ended by ${result.signal}.`;
  }
  if (result.processes.length === 0) {
    const why = noProfileReason(result, capture);
    return { kind: 'noProfile', message: warning ? `${warning}\n${why}` : why };
  }
  return { kind: 'profiled', warning };
}

export function noProfileReason(result: RunResult, capture: CaptureOptions): string {
  if (!capture.cpu && !capture.heap && !capture.imports) {
    return 'No profile was written: CPU, heap and import capture are all switched off (hotpath.capture.* settings).';
  }
  if (result.exitCode === 127 || /command not found|not recognized as an internal|ENOENT/i.test(result.outputTail)) {
    return 'No profile was written: the command was not found. Check the command line and that its program is installed.';
  }
  if (result.signal === 'SIGKILL') {
    return 'No profile was written: the process was killed with SIGKILL before it could save anything.';
  }
  return 'No profile was written: no Node.js process ran. Hotpath profiles Node.js programs (node, npm scripts, tsx, test runners); is this command a Node.js program?';
}

/**
 * The program Node was asked to run does not exist: Node exits 1 before running any user code,
 * so its profile holds only Node's own start-up and is not worth a panel.
 */
export function missingEntryPoint(result: RunResult): string | undefined {
  if (result.exitCode === 0 || result.exitCode === null) return undefined;
  const m = /Error: Cannot find module '([^']+)'\n(?:\s+at .*\n)*?\s+at .*(?:executeUserEntryPoint|run_main)/.exec(result.outputTail);
  return m?.[1];
}
