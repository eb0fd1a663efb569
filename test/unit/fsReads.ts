// Counting what this process reads from files of one kind, through the fs module itself (the
// code under test calls it at call time): a test of "each byte read once" fails when a file is
// read whole again.
import type * as fsTypes from 'fs';

/**
 * Counts the bytes this process reads from files whose name ends with `suffix` (readFileSync, and
 * readSync on a descriptor opened on one) until the returned function is called.
 */
export function countReads(suffix: string, onRead: (bytes: number) => void): () => void {
  const nodeFs = require('fs') as typeof fsTypes;
  const { openSync, closeSync, readSync, readFileSync } = nodeFs;
  const open = new Set<number>();
  const counted = (p: unknown) => typeof p === 'string' && p.endsWith(suffix);
  nodeFs.openSync = ((p: fsTypes.PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...a: unknown[]) => number)(p, ...rest);
    if (counted(p)) open.add(fd);
    return fd;
  }) as typeof fsTypes.openSync;
  nodeFs.closeSync = ((fd: number) => { open.delete(fd); return closeSync(fd); }) as typeof fsTypes.closeSync;
  nodeFs.readSync = ((fd: number, ...rest: unknown[]) => {
    const got = (readSync as (...a: unknown[]) => number)(fd, ...rest);
    if (open.has(fd)) onRead(got);
    return got;
  }) as typeof fsTypes.readSync;
  nodeFs.readFileSync = ((p: unknown, ...rest: unknown[]) => {
    const out = (readFileSync as (...a: unknown[]) => string | Buffer)(p, ...rest);
    if (counted(p)) onRead(Buffer.byteLength(out));
    return out;
  }) as typeof fsTypes.readFileSync;
  return () => Object.assign(nodeFs, { openSync, closeSync, readSync, readFileSync });
}
