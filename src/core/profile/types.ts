// The one profile model every view reads: call trees with self/total values, frames after
// source mapping and classification, per-process roots, line-level ticks and notes.
import type { CategoryKind } from '../../protocol/flame';
import type { ThreadTimes } from '../runner/threadCpu';
import type { BlockingCall } from './blocking';

export interface ModelFrame {
  /** Function name as shown; module top-level code is `(module) <file>`. */
  name: string;
  /** URL as recorded in the profile (the generated file). */
  url: string;
  /** Absolute path on disk, after source mapping; undefined when not a file. */
  path?: string;
  /** Display path: relative to the root (with /) when inside it, else absolute, else the URL. */
  file: string;
  /** 1-based, after source mapping; 0 when unknown. */
  line: number;
  column: number;
  kind: CategoryKind;
  /** npm package, for kind 'dependency'. */
  pkg?: string;
  /** Generated location when source mapping moved the frame (1-based). */
  generated?: { path: string; line: number; column: number };
  /** Module top-level code (the CommonJS wrapper or an ES module body). */
  isModule?: boolean;
  /** Import tree: a module whose own load time was not measured (its node's self time is no figure, not 0). */
  notMeasured?: boolean;
  /** A known blocking call (spawnSync, fs *Sync, sync zlib/crypto): its self time is not this thread computing (blocking.ts). */
  blocking?: BlockingCall;
}

/**
 * A call tree in creation order: a node's parent always has a smaller index, so totals are one
 * backwards pass. Node 0 is the synthetic root; each process's root is a child of node 0.
 */
export interface ModelTree {
  count: number;
  frame: Int32Array;
  parent: Int32Array;
  /** Self value in the tree's unit (µs or bytes) and the sum over the subtree. */
  self: Float64Array;
  total: Float64Array;
  /** Samples behind each node's self value: CPU samples, heap samples (when the .heapprofile lists them); zeros elsewhere. */
  samples: Int32Array;
}

export interface LineStat {
  samples: number;
  us: number;
}

export interface ModelProcess {
  pid: number;
  threadId: number;
  label: string;
  commandLine: string;
  wallMs?: number;
  ending?: string;
  /** Root node of this process in each tree it appears in. */
  cpuNode?: number;
  allocNode?: number;
  importsNode?: number;
  /** Measured CPU (and run-queue) time of its thread, from the run's records (threadCpu.ts). */
  threadTime?: ThreadTimes;
  /**
   * A package-manager launcher (npm, npx, yarn, pnpm, corepack: runner/launchers.ts) that starts
   * the program: its name. The flame panel folds such processes by default.
   */
  launcher?: string;
  /** Notes about this process alone (also in the model's notes): hidden with it when it is folded. */
  notes?: string[];
  /** Sampled CPU time of this process, µs, and number of samples. */
  cpuUs?: number;
  cpuSamples?: number;
}

export interface CpuData {
  tree: ModelTree;
  /** Leaf node and duration (µs) per run of consecutive samples on the same node, in time order. */
  timeline: { node: Int32Array; duration: Int32Array | Float64Array };
  /** Per frame index, per original 1-based line: ticks from V8's positionTicks. */
  lineTicks: Map<number, Map<number, LineStat>>;
  totalUs: number;
  sampleCount: number;
}

export interface ProfileModel {
  root: string;
  frames: ModelFrame[];
  processes: ModelProcess[];
  cpu?: CpuData;
  /** Allocation tree, bytes (self = bytes allocated directly in that frame). */
  alloc?: { tree: ModelTree; totalBytes: number };
  /** Import tree, µs of load time (self = the module's own evaluation). */
  imports?: { tree: ModelTree; totalUs: number };
  /** Things the user should know: missing source maps, truncated or odd profiles. */
  notes: string[];
}

export interface FunctionSummary {
  name: string;
  file: string;
  line: number;
  selfMs: number;
  totalMs: number;
  /** Samples behind selfMs: the sampling error of selfMs is about selfMs / sqrt(samples). */
  samples: number;
  /** A known blocking call (blocking.ts): 'wait' frames' self time is waiting, not CPU; null otherwise. */
  blocking?: BlockingCall | null;
}

export interface ModuleSummary {
  name: string;
  file: string;
  selfMs: number;
  totalMs: number;
  /**
   * True when the load time of the module (of some file of the package) was not measured: selfMs
   * and totalMs then hold only what was (its measured files and children), a lower bound.
   */
  notMeasured?: boolean;
}

export interface AllocationSummary {
  name: string;
  file: string;
  line: number;
  bytes: number;
}

export interface ProfileSummary {
  /** Sampled time on the threads' stacks over all processes, ms (not CPU time: see onCpu.ts), and the number of samples. */
  cpuMs: number;
  samples: number;
  /** Of cpuMs, the sampled time in blocking calls the threads wait in (spawnSync, fs *Sync). */
  waitingMs?: number;
  /** Measured CPU of the profiled threads (onCpu.ts); null when not measured. */
  measured?: { cpuMs: number; runQueueMs: number | null; wallMs: number; threads: number; measuredThreads: number; source: string | null } | null;
  /** onCpuLine: measured CPU against the sampled time, in words. */
  onCpu?: string;
  topFunctions: FunctionSummary[];
  modules: ModuleSummary[];
  /** Where module times come from: import timing files, or module frames of the CPU profile. */
  modulesSource: 'imports' | 'cpu' | 'none';
  allocations: AllocationSummary[];
  notes: string[];
}

export interface FileHotspots {
  functions: { name: string; line: number; endLine?: number; selfMs: number; totalMs: number; samples: number }[];
  lines: { line: number; selfMs: number; samples: number }[];
}
