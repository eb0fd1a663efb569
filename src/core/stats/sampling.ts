// The spread of a sampled quantity. Pure, and free of imports: the CLI, the editor hovers and the
// flame graph webview (a browser bundle) all use this one helper.

/**
 * Sampling error of a value built from `samples` samples (a sampled CPU time, or sampled heap
 * bytes): the samples are roughly Poisson, so the value is uncertain by about value / sqrt(n).
 * NaN when the number of samples is unknown or 0 (there is nothing to say about the spread).
 */
export function samplingError(value: number, samples: number): number {
  return samples > 0 && Number.isFinite(value) ? value / Math.sqrt(samples) : Number.NaN;
}

/** How the docs, tooltips and table headers explain the ±. */
export const SAMPLING_ERROR_NOTE = '± is the sampling error (value / √samples) of this one run';
