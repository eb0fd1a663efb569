// The three stores under .hotpath/ (runs, benchmarks, checkpoints) are folders of entries named
// so that they sort by time. Listing is the same for all: newest first, and an entry that cannot
// be read becomes a warning instead of failing the listing.
import * as fs from 'fs';

export interface StoreListing<T> {
  items: T[];
  /** One line per skipped entry, or for a store folder that cannot be read. */
  warnings: string[];
}

export interface StoreListOptions<T> {
  /** What an entry is called in warnings: "run", "bench", "checkpoint". */
  what: string;
  /** Entries are sub-folders ('dirs') or `*.json` files ('json'). */
  entries: 'dirs' | 'json';
  read(name: string): T;
  /** Said instead of the error when the entry's file does not exist (an unfinished entry). */
  missing?: string;
}

export function listStore<T>(storeDir: string, o: StoreListOptions<T>): StoreListing<T> {
  const out: StoreListing<T> = { items: [], warnings: [] };
  let names: string[];
  try {
    names = o.entries === 'dirs'
      ? fs.readdirSync(storeDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
      : fs.readdirSync(storeDir).filter((n) => n.endsWith('.json'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') out.warnings.push(`Cannot read the ${o.what} store ${storeDir}: ${(err as Error).message}`);
    return out;
  }
  for (const name of names.sort().reverse()) {
    try {
      out.items.push(o.read(name));
    } catch (err) {
      const missing = o.missing && (err as NodeJS.ErrnoException).code === 'ENOENT';
      out.warnings.push(`Skipped ${o.what} ${name}: ${missing ? o.missing : (err as Error).message}`);
    }
  }
  return out;
}
