// Recording undisturbed runs of test/fixtures/targets/diffTarget.js, shared by the profile diff
// tests (core, CLI, diff page). On a busy machine the sampler falls behind (fewer samples, each
// standing for a long gap, credited to whatever runs when sampling resumes) and the loops overrun
// their deadlines: run-to-run variation that the one-run sampling error does not cover. Such runs
// are recorded again: sampling in the loops must be regular (mean gap within 1.2 x the 5 ms
// interval, when the caller measures it) and the loops' total overrun under 10 % of their time.
// When no attempt is calm (a saturated machine), the least disturbed one is kept and `disturbed`
// says so: the file then leaves out the checks that need a calm machine, so its later recordings
// take their first run instead of re-recording for checks that will not be made (unless the file
// asks to keep re-recording: the diff page's checks are all made, whatever the load).

import * as os from 'os';

/** What diffTarget.js prints: `diffTarget {"factor":1,"loopsMs":720,"overshootMs":3.1,"ok":true}`. */
export interface DiffTargetOutput { factor: number; loopsMs: number; overshootMs: number; ok: boolean }

export function diffTargetOutput(text: string): DiffTargetOutput {
  const m = /diffTarget (\{.*\})/.exec(text);
  if (!m) throw new Error(`no "diffTarget {...}" line in the output:\n${text.slice(-2000)}`);
  return JSON.parse(m[1]) as DiffTargetOutput;
}

/** Mean sampled time per sample in hotLoop and steadyLoop (ms): the sampling gap in the loops. */
export function loopGapMs(functions: readonly { name: string; selfMs: number; samples: number }[]): number {
  const loops = functions.filter((f) => f.name === 'hotLoop' || f.name === 'steadyLoop');
  return loops.reduce((a, f) => a + f.selfMs, 0) / loops.reduce((a, f) => a + f.samples, 0);
}

/** One recorded run: its result, the fixture's output and (5 ms sampling) the loops' mean gap. */
export interface DiffAttempt<T> { value: T; out: DiffTargetOutput; gapMs?: number }

export class DiffRecorder {
  /** One line per recording that found no undisturbed run: the checks needing calm are left out. */
  readonly disturbed: string[] = [];

  /**
   * attempts: how many runs a recording may take while none is undisturbed; retryWhenDisturbed:
   * keep re-recording after a disturbed recording (for files whose every check is always made).
   */
  constructor(private readonly attempts = 8, private readonly retryWhenDisturbed = false) {}

  /**
   * Runs `once` until an undisturbed run (at most `attempts` times; once, if an earlier recording
   * of this file was disturbed and the file does not retry then, or with `calm: false` for a run no calm-only check reads). Returns
   * the first undisturbed run, else the least disturbed one (noted in `disturbed` when calm was
   * asked for); `discard` gets every run not returned.
   */
  async record<T>(label: string, once: () => DiffAttempt<T> | Promise<DiffAttempt<T>>, opts: { discard?: (value: T) => void; calm?: boolean } = {}): Promise<T> {
    const calm = opts.calm ?? true;
    const attempts = calm && (!this.disturbed.length || this.retryWhenDisturbed) ? this.attempts : 1;
    const seen: string[] = [];
    let best: { value: T; score: number } | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const { value, out, gapMs } = await once();
      const gapOk = gapMs === undefined || gapMs <= 6;
      if (gapOk && out.overshootMs <= out.loopsMs / 10) {
        if (best) opts.discard?.(best.value);
        return value;
      }
      seen.push(`${gapMs === undefined ? '' : `mean gap ${gapMs.toFixed(1)} ms, `}overrun ${out.overshootMs} ms`);
      const score = (gapMs === undefined ? 0 : gapMs / 6) + out.overshootMs / (out.loopsMs / 10);
      if (best && best.score <= score) opts.discard?.(value);
      else {
        if (best) opts.discard?.(best.value);
        best = { value, score };
      }
    }
    if (calm) {
      this.disturbed.push(`${label}: no undisturbed run in ${attempts} attempt${attempts > 1 ? 's' : ''} (load ${os.loadavg()[0].toFixed(1)}): ${seen.join('; ')}`);
      console.log(`      note: ${this.disturbed[this.disturbed.length - 1]}; the checks that need a calm machine are left out`);
    }
    return best!.value;
  }
}
