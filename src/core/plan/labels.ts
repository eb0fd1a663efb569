// What a startup plan says about one per-file lazy-load (`hotpath fixes --run ID`, VS Code's
// lazy-load quick fixes and Apply All): it takes its module out of startup ("leaves"), or it
// defers only (the module is still loaded at startup: by another importer, or by this file's own
// use in code that ran) and is then no speed fix. Modules the plan does not mention get no label.
import * as path from 'path';
import { displayPath } from '../profile/classify';
import type { StartupPlan } from './plan';

export interface StartupLabel { leaves: boolean; note: string }

export type StartupLabels = (file: string, request: string) => StartupLabel | undefined;

export function startupLabelsOf(plan: StartupPlan, base = plan.root): StartupLabels {
  const labels = new Map<string, StartupLabel>();
  const rel = (f: string) => displayPath(base, f);
  const key = (file: string, request: string) => `${path.resolve(file)}\0${request}`;
  for (const u of plan.usedAtStartup) {
    labels.set(key(u.file, u.request), { leaves: false, note: `defers only: ${rel(u.module)} is still loaded at startup by this file (${u.reason})` });
  }
  for (const d of plan.deferOnly) {
    labels.set(key(d.file, d.request), { leaves: false, note: `defers only: ${rel(d.module)} is still loaded by ${rel(d.stillLoadedBy)} at startup (${d.reason})` });
  }
  for (const e of plan.edits) labels.set(key(e.file, e.request), { leaves: true, note: `leaves startup with the startup plan (\`hotpath fixes --plan\`): ${rel(e.module)} is loaded by no other code that runs at startup` });
  return (file, request) => labels.get(key(file, request));
}
