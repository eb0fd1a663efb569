// Messages between the extension and the profile loader worker.
import type { ProfileModel } from '../../core/profile';
import type { RunResult } from '../../core/runner/types';

export type LoadRequest =
  | { kind: 'run'; result: RunResult; root: string; launchers?: 'include' | 'exclude' }
  | { kind: 'file'; file: string; root: string };

export type LoadResponse =
  // Graphs travel as JSON text: structured-cloning their large number arrays took several times
  // longer on the receiving (extension host) thread than JSON.parse of the same data.
  | { ok: true; model: ProfileModel; graphsJson: string; topFunctions: { name: string; file: string; line: number; selfMs: number; totalMs: number }[] }
  | { ok: false; name: string; message: string };
