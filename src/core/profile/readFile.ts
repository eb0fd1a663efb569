// Reads profile files: CPU profiles through a sliding window (see byteScanner.ts), other formats
// into one Buffer for JSON.parse (a JS string stops near 512 MB: those formats stop there too).
import * as fs from 'fs';
import { constants } from 'buffer';
import type { ByteSource } from './byteScanner';
import { ProfileError } from './errors';

const CHUNK = 64 * 1024 * 1024;

/** What a path that is not a regular file is, in words. */
function kindOf(stat: fs.Stats): string {
  return stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a named pipe (FIFO)' : stat.isSocket() ? 'a socket'
    : stat.isCharacterDevice() ? 'a character device' : stat.isBlockDevice() ? 'a block device' : 'not a regular file';
}

/**
 * Opens a profile file for reading, with the errors users understand (missing, a folder, empty,
 * not a regular file). Checked before opening: opening a FIFO blocks until something writes to it.
 */
function openChecked(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new ProfileError(`Cannot open profile ${file}: it is a folder, not a file.`, file);
    if (!stat.isFile()) throw new ProfileError(`Cannot open profile ${file}: it is ${kindOf(stat)}, not a regular file. Hotpath reads profiles from files: save it to a file first.`, file);
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if (err instanceof ProfileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message;
    throw new ProfileError(`Cannot open profile ${file}: ${why}.`, file);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new ProfileError(`Cannot open profile ${file}: it is ${kindOf(stat)}, not a regular file.`, file);
    if (stat.size === 0) throw new ProfileError(`${file} is empty (0 bytes): the profiled process probably ended before writing it. Profile again and let the program exit normally.`, file);
    return { fd, size: stat.size };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/**
 * Reads a whole profile file into one Buffer (the formats read with JSON.parse). Synchronous on
 * purpose: a buffer that passed through a promise (FileHandle.read, or an `await` of this
 * function) stays reachable from the async machinery for a while, and could not be freed early.
 */
export function readProfileBytes(file: string): Buffer {
  const { fd, size } = openChecked(file);
  try {
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

/**
 * Calls `use` with the file as a ByteSource read in order, piece by piece (the CPU profile
 * reader's sliding window): a big profile is never in memory whole, so no size limit applies
 * and no gigabytes wait for a garbage collection afterwards.
 */
export function withProfileSource<T>(file: string, use: (source: ByteSource) => T): T {
  const { fd, size } = openChecked(file);
  let at = 0;
  try {
    return use({
      size,
      read(into, offset, length) {
        const n = fs.readSync(fd, into, offset, length, at);
        at += n;
        return n;
      },
      seek(offset) {
        at = offset;
      },
    });
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
