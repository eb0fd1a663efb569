// The startup plan's labels for per-file lazy-loads in VS Code (code actions, Apply All): from
// the newest stored run profiled for a plan (imports + coverage), computed once per such run. A
// lazy-load that would leave its module loaded at startup ("defers only") is then not preferred
// and says why, as in `hotpath fixes --run ID`.
import * as path from 'path';
import type { StartupLabels } from '../../core/refactor';
import { rootFor } from '../prove/root';
import type { RunStore } from '../runs/runStore';
import { storedRuns } from '../runs/runStores';
import type { EngineLoader } from './engine';

export class StartupLabelCache {
  private cached: { dir: string | undefined; labels: StartupLabels | undefined } | undefined;

  constructor(private readonly engine: EngineLoader, private readonly runs: RunStore) {}

  /** Forget the labels (a new run may have been stored). */
  reset(): void {
    this.cached = undefined;
  }

  get(): StartupLabels | undefined {
    if (this.cached) return this.cached.labels;
    const newest = storedRuns(this.runs.stores()).find((r) => !!r.record.capture?.imports && !!r.record.capture?.coverage);
    let labels: StartupLabels | undefined;
    if (newest) {
      try {
        const e = this.engine.get();
        const facts = e.readRunFacts(newest.dir);
        const root = rootFor(facts.command?.cwd ?? path.dirname(newest.dir));
        labels = e.startupLabelsOf(e.computePlan([facts], { root }));
      } catch {
        labels = undefined; // an older run without edges: nothing is known either way
      }
    }
    this.cached = { dir: newest?.dir, labels };
    return labels;
  }
}
