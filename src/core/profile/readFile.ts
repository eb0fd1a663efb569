// Reads a profile file into one Buffer. Buffers reach 4 GB where a JS string stops near 512 MB,
// so even profiles too big for JSON.parse open (the CPU reader never makes one string of them).
import * as fs from 'fs';
import { constants } from 'buffer';
import { ProfileError } from './errors';

const CHUNK = 64 * 1024 * 1024;

/**
 * Synchronous on purpose: a buffer that passed through a promise (FileHandle.read, or an `await`
 * of this function) stays reachable from the async machinery for a while, and the bytes of a big
 * profile could then not be freed before modelling (see release.ts).
 */
export function readProfileBytes(file: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message;
    throw new ProfileError(`Cannot open profile ${file}: ${why}.`, file);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new ProfileError(`Cannot open profile ${file}: it is a folder, not a file.`, file);
    const size = stat.size;
    if (size === 0) throw new ProfileError(`${file} is empty (0 bytes): the profiled process probably ended before writing it. Profile again and let the program exit normally.`, file);
    if (size > constants.MAX_LENGTH) {
      throw new ProfileError(`${file} is ${(size / 2 ** 30).toFixed(1)} GB, more than this Node.js can hold in memory (${(constants.MAX_LENGTH / 2 ** 30).toFixed(1)} GB). Record a shorter profile or a larger sampling interval.`, file);
    }
    const buf = Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, buf, at, Math.min(CHUNK, size - at), at);
      if (n === 0) break;
      at += n;
    }
    return at === size ? buf : buf.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}

/** The longest string V8 can build: beyond it JSON.parse cannot be used at all. */
export const MAX_STRING_BYTES = constants.MAX_STRING_LENGTH;

/** JSON.parse for the formats without a byte-level reader, with a clear error when impossible. */
export function parseJson(buf: Buffer, file: string, format: string): unknown {
  if (buf.length > MAX_STRING_BYTES) {
    throw new ProfileError(`${file} is a ${format} of ${(buf.length / 2 ** 20).toFixed(0)} MB, too big to read as one JSON string (limit ${(MAX_STRING_BYTES / 2 ** 20).toFixed(0)} MB). Only .cpuprofile files this size can be opened; export a shorter recording.`, file);
  }
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new ProfileError(`${file}: not valid ${format} JSON (${(err as Error).message}). Re-export the profile or check that the file was copied completely.`, file);
  }
}
