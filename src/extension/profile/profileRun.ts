// The runner, as the Profile… command uses it: in the bundle dist/ext-run.js (see
// ../lazy.ts), loaded when the first profile starts, not at activation.
export { runTarget } from '../../core/runner/run';
export { fewSamplesNote } from '../../core/runner/sampling';
export { LiveTail, pollLive } from '../../core/runner/live';
