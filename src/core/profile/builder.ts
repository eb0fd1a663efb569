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
  /** Heap frames whose script was collected before exit and that no CPU profile placed (see heapModel.ts). */
  private readonly heapLost = { file: new Map<number, number>(), line: new Map<number, number>(), withoutCpu: false };

  constructor(readonly root: string) {
    this.frames = new FrameTable(root, new SourceMapper((m) => this.note(m)));
    this.rootFrame = this.frames.synthetic('(all processes)', 'program');
  }

  /** A note for the user; with `about`, a note about that process alone (see ModelProcess.notes). */
  note(message: string, about?: ModelProcess): void {
    if (!this.notes.includes(message)) this.notes.push(message);
    if (about && !(about.notes ??= []).includes(message)) about.notes.push(message);
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

  /**
   * Records an allocation site (a frame with self bytes) left without its file ('file') or line ('line');
   * `withoutCpu`: its process had no CPU profile to recover them from. One note sums them up.
   */
  heapLocationLost(what: 'file' | 'line', frame: number, bytes: number, withoutCpu: boolean): void {
    const m = this.heapLost[what];
    m.set(frame, (m.get(frame) ?? 0) + bytes);
    if (withoutCpu && what === 'file') this.heapLost.withoutCpu = true;
  }

  private heapLostNote(totalBytes: number): string | undefined {
    const { file, line, withoutCpu } = this.heapLost;
    if (file.size === 0 && line.size === 0) return undefined;
    const share = (m: Map<number, number>) => {
      let bytes = 0;
      for (const v of m.values()) bytes += v;
      const pct = totalBytes > 0 ? (100 * bytes) / totalBytes : 0;
      return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)} % of the sampled bytes`;
    };
    const sites = (n: number) => `${n} allocation site${n === 1 ? '' : 's'}`;
    const parts: string[] = [];
    if (file.size) parts.push(`${sites(file.size)} without a file or line (${share(file)})`);
    if (line.size) parts.push(`${sites(line.size)} with a file but no line (${share(line)})`);
    const recover = withoutCpu
      ? 'Capture CPU with the heap (--cpu --heap; in VS Code, hotpath.capture.cpu): the CPU profile of the same process gives back the file and line of every such function it samples.'
      : 'Their file comes from the CPU profile of the same process when it sampled the script, the line when it sampled exactly one function of that name there and the heap profile shows no second one (never for anonymous functions).';
    return `${parts.join(', ')}: V8 forgets where a script's functions are once the script is garbage-collected, and reading the heap profile at exit collects every script no longer in use (e.g. a main module that has returned). ${recover}`;
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
      const lost = this.heapLostNote(tree.total[0]);
      if (lost) this.note(lost);
    }
    if (this.importsTree) {
      const tree = this.importsTree.build();
      model.imports = { tree, totalUs: tree.total[0] };
    }
    return model;
  }
}
