// After a big profile is parsed its file bytes (hundreds of MB, outside the JS heap) are garbage,
// but V8 frees them only at its next full GC, typically after the model has allocated its own
// arrays on top: the peak would be file + parse + model. One forced GC between the two phases
// keeps the peak at file + parse (the ingest benchmark's budget is 2x the file size).
import * as v8 from 'v8';
import * as vm from 'vm';

const WORTH_IT_BYTES = 64 * 1024 * 1024;

let collect: (() => void) | null | undefined;

export function releaseBytes(size: number): void {
  if (size < WORTH_IT_BYTES) return;
  if (collect === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (exposed) collect = exposed;
      else {
        // Exposes `gc` in a new context only; the flag changes nothing else.
        v8.setFlagsFromString('--expose-gc');
        collect = vm.runInNewContext('gc') as () => void;
      }
    } catch {
      collect = null;
    }
  }
  collect?.();
}
