// Sampling defaults and what to tell a user whose run gave too few CPU samples to read.
import { DEFAULT_CPU_INTERVAL_US } from './types';

/** Below this many CPU samples a flame graph is coarse: say so, and how to sample finer. */
export const FEW_SAMPLES = 200;

/**
 * A note for a CPU profile with fewer than FEW_SAMPLES samples taken at a coarser interval than
 * 1 ms (`how`: where the user sets the interval, e.g. "--interval 1000"). Undefined otherwise.
 */
export function fewSamplesNote(samples: number, intervalUs: number | undefined, how: string): string | undefined {
  const us = intervalUs ?? DEFAULT_CPU_INTERVAL_US;
  if (samples <= 0 || samples >= FEW_SAMPLES || us <= 1000) return undefined;
  return `Only ${samples} CPU samples (one every ${us / 1000} ms): coarse for line-level detail. `
    + `For a short run, sample every 1 ms (${how}); it costs more per second of run (see docs/ARCHITECTURE.md, "Sampling defaults").`;
}
