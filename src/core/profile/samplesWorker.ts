// Worker thread (bundled to dist/profileIngestWorker.js): reads the "samples" and "timeDeltas"
// arrays at the end of a big .cpuprofile and reduces them to runs (sampleRuns.ts) while the main
// thread reads the nodes. It finds them from the end of the file; the main thread uses the result
// only if its own parse reaches the same "samples" key at the top level (see parallelSamples.ts).
// On any doubt it answers `ok: false` and the main thread reads the samples itself, so every error
// message stays the single-threaded one.
import * as fs from 'fs';
import { parentPort, workerData, type MessagePort } from 'worker_threads';
import { ByteScanner } from './byteScanner';
import { readInts } from './cpuParser';
import { IntList } from './growable';
import { reduceSamples } from './sampleRuns';

export interface SamplesRequest {
  file: string;
  port: MessagePort;
  flag: Int32Array;
}

export type SamplesReply =
  | { ok: false; why: string }
  | { ok: true; samplesAt: number; end: number; runs: import('./sampleRuns').SampleRuns };

const SAMPLES = Buffer.from('"samples":[');
const DELTAS = Buffer.from('"timeDeltas":[');
const CHUNK = 8 * 1024 * 1024;

/**
 * Offset of the last unescaped `pattern` that starts before `before`, reading the file backwards
 * in chunks; -1 when there is none.
 */
function findBackwards(fd: number, size: number, pattern: Buffer, before: number, buf: Buffer): number {
  let end = before;
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    // The chunk plus the pattern's length after it: a match across the boundary is seen once.
    const len = Math.min(end + pattern.length, size) - start;
    const n = fs.readSync(fd, buf, 0, len, start);
    let at = buf.subarray(0, n).lastIndexOf(pattern, end - start - 1);
    while (at >= 0) {
      let slashes = 0;
      for (let p = at - 1; p >= 0 && buf[p] === 0x5c; p--) slashes++;
      if (at - slashes === 0 && start > 0) return -2; // backslashes run into the previous chunk: give up
      if (slashes % 2 === 0) return start + at;
      at = at > 0 ? buf.subarray(0, n).lastIndexOf(pattern, at - 1) : -1;
    }
    end = start;
  }
  return -1;
}

function work(file: string, progress: Int32Array): SamplesReply {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(CHUNK + 64);
    const deltasAt = findBackwards(fd, size, DELTAS, size, buf);
    if (deltasAt < 0) return { ok: false, why: 'no "timeDeltas" key found' };
    const samplesAt = findBackwards(fd, size, SAMPLES, deltasAt, buf);
    if (samplesAt < 0) return { ok: false, why: 'no "samples" key found before "timeDeltas"' };
    let at = samplesAt;
    Atomics.store(progress, 2, (size - samplesAt) >> 10);
    const s = new ByteScanner({
      size: size - samplesAt,
      read(into, offset, length) {
        const n = fs.readSync(fd, into, offset, length, at);
        at += n;
        Atomics.store(progress, 1, (at - samplesAt) >> 10);
        return n;
      },
    }, file, CHUNK);
    if (s.string() !== 'samples') return { ok: false, why: 'the "samples" key moved' };
    s.expect(0x3a);
    const samples = new IntList(1 << 16);
    readInts(s, samples, false);
    s.expect(0x2c);
    if (s.peek() !== 0x22 || samplesAt + s.base + s.pos !== deltasAt) return { ok: false, why: '"timeDeltas" does not follow "samples"' };
    s.string();
    s.expect(0x3a);
    const deltas = new IntList(1 << 16);
    readInts(s, deltas, true);
    const end = samplesAt + s.base + s.pos;
    const ids = samples.view();
    const runs = reduceSamples(ids, deltas.view());
    if (!runs) return { ok: false, why: 'sample node ids out of the range the worker handles' };
    runs.negativeDeltas = deltas.negatives;
    return { ok: true, samplesAt, end, runs };
  } finally {
    fs.closeSync(fd);
  }
}

if (parentPort) {
  const { file, port, flag } = workerData as SamplesRequest;
  Atomics.store(flag, 0, 3);
  Atomics.notify(flag, 0);
  let reply: SamplesReply;
  try {
    reply = work(file, flag);
  } catch (err) {
    reply = { ok: false, why: (err as Error).message };
  }
  const transfer = reply.ok ? [reply.runs.runId.buffer, reply.runs.runUs.buffer, reply.runs.runCount.buffer, reply.runs.self.buffer, reply.runs.count.buffer] : [];
  port.postMessage(reply, [...new Set(transfer)] as ArrayBuffer[]);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
