// What a checkpoint may touch. A manifest (`<store>/<id>/checkpoint.json`) and its blobs are files
// in the user's folder: a repository can commit them, so nothing read from them is trusted. Every
// path a rollback writes or deletes must resolve, links followed, inside the folder that holds the
// store (its owner), never inside `.git` or Hotpath's own `.hotpath`; every blob must be a plain
// file inside the checkpoint's own `files/` folder. A checkpoint that breaks any rule is refused
// whole, before anything is written.
import * as fs from 'fs';
import * as path from 'path';

/** A checkpoint that must not be rolled back (or created): the message says why. */
export class CheckpointRefused extends Error {
  constructor(reason: string) {
    super(`refused: ${reason}`);
    this.name = 'CheckpointRefused';
  }
}

/**
 * The folder a checkpoint store belongs to, which bounds everything its checkpoints touch:
 * `<owner>/.hotpath/checkpoints` gives owner; any other store (`--store DIR`) the folder holding it.
 */
export function storeOwner(storeDir: string): string {
  const store = path.resolve(storeDir);
  const parent = path.dirname(store);
  return path.basename(parent) === '.hotpath' ? path.dirname(parent) : parent;
}

/** `child` relative to `parent` when it is inside it (or is it: ''), else undefined. */
export function relativeInside(parent: string, child: string): string | undefined {
  const rel = path.relative(parent, child);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel;
}

/** Where `p` really is: the real path of its deepest existing ancestor (links followed) plus the rest. */
export function realLocation(p: string): string {
  const rest: string[] = [];
  for (let cur = path.resolve(p); ; cur = path.dirname(cur)) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(cur) === cur) return path.resolve(p);
      rest.push(path.basename(cur));
    }
  }
}

function isLink(p: string): boolean {
  try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; }
}

/** The file a write to `p` changes: `p`, or the file its link points to (so a link stays a link). */
export function writeTarget(p: string): string {
  return isLink(p) ? realLocation(p) : p;
}

const FORBIDDEN = new Set(['.git', '.hotpath']);

/**
 * Why `file` may not be written or deleted by a checkpoint owned by `owner` (undefined: it may).
 * The folders on the way are resolved (a linked folder pointing outside is outside), and so is the
 * file when it is itself a link (a write goes to its target).
 */
export function outsideReason(owner: string, file: string, ownerReal = realLocation(owner)): string | undefined {
  const abs = path.resolve(file);
  const where = (p: string) => {
    const rel = relativeInside(ownerReal, p);
    if (rel === undefined || rel === '') return `resolves to ${p}, outside ${ownerReal} (the folder holding the store)`;
    const seg = rel.split(path.sep).find((s) => FORBIDDEN.has(s.toLowerCase()));
    return seg ? `is inside ${seg} (${p}), which a checkpoint never touches` : undefined;
  };
  if (relativeInside(path.resolve(owner), abs) === undefined && relativeInside(ownerReal, abs) === undefined) {
    return `is outside ${owner} (the folder holding the store)`;
  }
  const parent = path.join(realLocation(path.dirname(abs)), path.basename(abs));
  const r = where(parent);
  if (r) return r;
  if (isLink(abs)) {
    const target = realLocation(abs);
    const t = where(target);
    if (t) return `is a link whose target ${t.replace(/^resolves to /, '')}`;
  }
  return undefined;
}

/** A blob name: one plain file name, written by createCheckpoint as a number. */
export const isPlainName = (name: unknown): name is string =>
  typeof name === 'string' && name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !/[\\/\0]/.test(name);

/**
 * The path of blob `name` of checkpoint `id`, after checking it is a regular file (not a link) right
 * inside the checkpoint's own `files/` folder (which is no link either).
 */
export function blobPath(storeDir: string, id: string, name: unknown): string {
  if (!isPlainName(name)) throw new CheckpointRefused(`blob name ${JSON.stringify(name)} is not a plain file name inside the checkpoint's files/ folder`);
  const files = path.join(storeDir, id, 'files');
  const file = path.join(files, name);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    throw new CheckpointRefused(`its saved copy files/${name} is missing, so it cannot restore every file`);
  }
  if (!st.isFile()) throw new CheckpointRefused(`its saved copy files/${name} is ${st.isSymbolicLink() ? 'a link' : 'not a plain file'}`);
  let real: string;
  try { real = fs.realpathSync(files); } catch { real = ''; }
  if (real !== path.join(fs.realpathSync(storeDir), id, 'files')) throw new CheckpointRefused(`its files/ folder is a link to ${real || 'somewhere else'}`);
  return file;
}
