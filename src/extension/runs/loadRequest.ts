// Messages between the extension and the profile loader worker.
import type { ProfileModel } from '../../core/profile';
import type { RunResult } from '../../core/runner/types';
import type { FlameGraphData } from '../../protocol/flame';

export type LoadRequest =
  | { kind: 'run'; result: RunResult; root: string }
  | { kind: 'file'; file: string; root: string };

export type LoadResponse =
  | { ok: true; model: ProfileModel; graphs: FlameGraphData[]; topFunctions: { name: string; file: string; line: number; selfMs: number; totalMs: number }[] }
  | { ok: false; name: string; message: string };
