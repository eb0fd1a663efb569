// Where the functions of a process's scripts are, as its CPU profile recorded them: used to give
// back their file (and line) to heap profile frames that lost it.
//
// V8's sampling heap profiler keeps only a script id and a function name per allocation site; it
// looks the script up for its url and line when the profile is read. Reading it at exit forces a
// full GC first (kSamplingForceGC), so a script nothing refers to any more (a main module that has
// returned, a module whose functions were all dropped) is gone by then: its frames come out as
// url "", line -1, with their script id. The CPU profile of the same isolate names the same
// scripts by the same ids, with the url and line recorded when the code was created.
import type { RawFrame } from './cpuParser';

export interface ScriptLocation {
  url: string;
  /** 0-based, as in the profiles; -1 when unknown (only the url is). */
  lineNumber: number;
  columnNumber: number;
}

/** Per function name in a script: the one location the CPU profile has for it, or AMBIGUOUS. */
const AMBIGUOUS = -1;

interface Script {
  url: string;
  /** Function name -> index into `frames` of its only location, or AMBIGUOUS. */
  names: Map<string, number>;
}

export class ScriptLocations {
  private readonly scripts = new Map<number, Script>();

  /** `frames`: one process's (or thread's) CPU profile frames; script ids are per isolate. */
  constructor(private readonly frames: readonly RawFrame[]) {
    const conflicting = new Set<number>();
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      if (f.scriptId <= 0 || !f.url) continue;
      let s = this.scripts.get(f.scriptId);
      if (!s) this.scripts.set(f.scriptId, (s = { url: f.url, names: new Map() }));
      else if (s.url !== f.url) conflicting.add(f.scriptId);
      // Anonymous functions are never matched by name: a script has many (callbacks, arrows, its
      // top-level code), and the ones the CPU profile did not sample are not in it to compare.
      if (!f.functionName || f.lineNumber < 0) continue;
      const j = s.names.get(f.functionName);
      if (j === undefined) s.names.set(f.functionName, i);
      else if (j !== AMBIGUOUS && (frames[j].lineNumber !== f.lineNumber || frames[j].columnNumber !== f.columnNumber)) s.names.set(f.functionName, AMBIGUOUS);
    }
    // One isolate never gives two scripts one id; a file that does is not trusted for that script.
    for (const id of conflicting) this.scripts.delete(id);
  }

  get size(): number {
    return this.scripts.size;
  }

  /**
   * The location of function `name` in script `scriptId`: the url whenever the CPU profile saw
   * the script; the line and column too when it has exactly one location for a function of that
   * name in that script (two or more: url only). Undefined when it never saw the script.
   */
  locate(scriptId: number, name: string): ScriptLocation | undefined {
    const s = this.scripts.get(scriptId);
    if (!s) return undefined;
    const j = name ? s.names.get(name) : undefined;
    if (j === undefined || j === AMBIGUOUS) return { url: s.url, lineNumber: -1, columnNumber: -1 };
    const f = this.frames[j];
    return { url: s.url, lineNumber: f.lineNumber, columnNumber: f.columnNumber };
  }
}
