// Collects processes and their profiles into one ProfileModel. Each process becomes a child of
// the synthetic root in every tree it contributes to.
import { FrameTable } from './frames';
import { FloatList, IntList } from './growable';
import { PreloadFrames, PROFILER_FRAME_NAME } from './preloadFrames';
import { SourceMapper } from './sourceMaps';
import { TreeBuilder } from './tree';
import type { CpuData, LineStat, ModelProcess, ProfileModel } from './types';

export class ModelBuilder {
  readonly notes: string[] = [];
  readonly frames: FrameTable;
  readonly processes: ModelProcess[] = [];
  /** Timeline pieces in order: per-process arrays handed over whole, and pushed runs (speedscope). */
  private readonly timelineParts: { node: Int32Array; duration: Int32Array | Float64Array }[] = [];
  private readonly timelineNode = new IntList();
  private readonly timelineDuration = new FloatList();
  readonly lineTicks = new Map<number, Map<number, LineStat>>();
  cpuUs = 0;
  cpuSamples = 0;
  private cpuTree?: TreeBuilder;
  private allocTree?: TreeBuilder;
  private importsTree?: TreeBuilder;
  private readonly rootFrame: number;
  private preloadFrames?: PreloadFrames;

  constructor(readonly root: string) {
    this.frames = new FrameTable(root, new SourceMapper((m) => this.note(m)));
    this.rootFrame = this.frames.synthetic('(all processes)', 'program');
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }

  addProcess(p: Omit<ModelProcess, 'label'> & { label?: string }): ModelProcess {
    const thread = p.threadId ? ` [worker ${p.threadId}]` : '';
    const label = p.label ?? `${p.commandLine || 'node'} (pid ${p.pid})${thread}`;
    const proc: ModelProcess = { ...p, label };
    this.processes.push(proc);
    return proc;
  }

  addTimelineRun(node: number, us: number): void {
    this.timelineNode.push(node);
    this.timelineDuration.push(us);
  }

  addTimeline(node: Int32Array, duration: Int32Array | Float64Array): void {
    this.flushRuns();
    this.timelineParts.push({ node, duration });
  }

  private flushRuns(): void {
    if (this.timelineNode.length === 0) return;
    this.timelineParts.push({ node: this.timelineNode.view().slice(), duration: this.timelineDuration.view().slice() });
    this.timelineNode.length = 0;
    this.timelineDuration.length = 0;
  }

  private timeline(): CpuData['timeline'] {
    this.flushRuns();
    const parts = this.timelineParts;
    if (parts.length === 1) return parts[0];
    const n = parts.reduce((t, p) => t + p.node.length, 0);
    const node = new Int32Array(n);
    const duration = new Float64Array(n);
    let at = 0;
    for (const p of parts) {
      node.set(p.node, at);
      duration.set(p.duration, at);
      at += p.node.length;
    }
    return { node, duration };
  }

  /** Recognises Hotpath's own preload frames (see preloadFrames.ts). */
  get preload(): PreloadFrames {
    return (this.preloadFrames ??= new PreloadFrames((url, line, column) => this.frames.sourcePath(url, line, column)));
  }

  /** `(hotpath profiler)`: the preload's own work, shown as one frame. */
  profilerFrame(): number {
    return this.frames.synthetic(PROFILER_FRAME_NAME, 'program');
  }

  processFrame(proc: ModelProcess): number {
    return this.frames.synthetic(proc.label, 'program');
  }

  cpu(): TreeBuilder {
    return (this.cpuTree ??= new TreeBuilder(this.rootFrame));
  }
  alloc(): TreeBuilder {
    return (this.allocTree ??= new TreeBuilder(this.rootFrame));
  }
  imports(): TreeBuilder {
    return (this.importsTree ??= new TreeBuilder(this.rootFrame));
  }

  build(): ProfileModel {
    const model: ProfileModel = { root: this.root, frames: this.frames.frames, processes: this.processes, notes: this.notes };
    if (this.cpuTree) {
      model.cpu = {
        tree: this.cpuTree.build(),
        timeline: this.timeline(),
        lineTicks: this.lineTicks,
        totalUs: this.cpuUs,
        sampleCount: this.cpuSamples,
      };
    }
    if (this.allocTree) {
      const tree = this.allocTree.build();
      model.alloc = { tree, totalBytes: tree.total[0] };
    }
    if (this.importsTree) {
      const tree = this.importsTree.build();
      model.imports = { tree, totalUs: tree.total[0] };
    }
    return model;
  }
}
