// Frames of known blocking calls. A CPU sample lands on the JS thread's stack whether the thread
// computes or sits in a synchronous native call, so the self time of these frames is time on the
// stack, not CPU time:
// - waiting: the thread sleeps until something else is done: a child process (spawnSync,
//   execSync, execFileSync all end in spawnSync), or the file system (fs *Sync and the native
//   fs bindings under them, also the module loader's reads);
// - native work: synchronous zlib and crypto calls compute on the calling thread (on CPU, but
//   the event loop is blocked meanwhile).
// What V8 shows as a frame is all there is to go by: Atomics.wait has no frame of its own (its
// time is its caller's self time), so only the thread's measured CPU time (threadCpu.ts) shows it.
import type { ModelFrame } from './types';

export interface BlockingCall {
  /** 'wait': off CPU until something else finishes; 'cpu': native work on this thread. */
  kind: 'wait' | 'cpu';
  what: 'child process' | 'file system' | 'zlib' | 'crypto';
}

const CHILD: BlockingCall = { kind: 'wait', what: 'child process' };
const FS: BlockingCall = { kind: 'wait', what: 'file system' };
const ZLIB: BlockingCall = { kind: 'cpu', what: 'zlib' };
const CRYPTO: BlockingCall = { kind: 'cpu', what: 'crypto' };

/** Native fs binding functions (frames without a URL) that the synchronous fs calls and the module loader end in. */
const FS_NATIVES = new Set([
  'read', 'readFileUtf8', 'open', 'close', 'fstat', 'stat', 'lstat', 'statfs', 'readdir', 'realpath', 'readlink', 'writeString', 'writeBuffer', 'writeBuffers',
  'fsync', 'fdatasync', 'ftruncate', 'copyFile', 'mkdir', 'mkdtemp', 'rmdir', 'rmSync', 'unlink', 'rename', 'symlink', 'link', 'access', 'existsSync', 'chmod', 'fchmod',
  'chown', 'utimes', 'futimes', 'internalModuleStat', 'internalModuleReadJSON', 'readPackageJSON', 'getNearestParentPackageJSON', 'getNearestParentPackageJSONType',
  'getPackageScopeConfig',
]);

/** The blocking call a frame is, from its function name and profile URL; undefined for anything else. */
export function blockingCall(name: string, url: string): BlockingCall | undefined {
  if (url === 'node:internal/child_process' || url === 'node:child_process') {
    return name === 'spawnSync' || name === 'execSync' || name === 'execFileSync' ? CHILD : undefined;
  }
  if (url === 'node:fs') return name.endsWith('Sync') ? FS : undefined;
  if (url === '') return FS_NATIVES.has(name) ? FS : undefined;
  if (url === 'node:zlib') return name === 'processChunkSync' || name === 'zlibBufferSync' || name === 'syncBufferWrapper' ? ZLIB : undefined;
  if (url === 'node:crypto' || url.startsWith('node:internal/crypto/')) return name.endsWith('Sync') ? CRYPTO : undefined;
  return undefined;
}

/** "waiting (child process)" / "native work (zlib)": how tables label a blocking frame. */
export function blockingLabel(b: BlockingCall): string {
  return b.kind === 'wait' ? `waiting (${b.what})` : `blocking native work (${b.what})`;
}

/** Whether a frame is a blocking call the thread waits in (off CPU). */
export function isWaiting(f: Pick<ModelFrame, 'blocking'>): boolean {
  return f.blocking?.kind === 'wait';
}
