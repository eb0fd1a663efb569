// The two packages the package tests (and the VS Code "packaged" pass) check: the .vsix and the
// CLI's npm tarball, built once per test run by scripts/package.js and scripts/pack-cli.js.
// `npm test` builds them in its "packages" stage and passes the folder in HOTPATH_PACKAGES_DIR;
// run alone (`npx mocha test/package/x.test.ts`), the first test builds them into out/packages.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export interface Packages { vsix: string; cliTarball: string }

let built: Packages | undefined;

export function packages(): Packages {
  if (built) return built;
  const dir = path.resolve(ROOT, process.env.HOTPATH_PACKAGES_DIR ?? path.join('out', 'packages'));
  const vsix = path.join(dir, `${pkg.name}-${pkg.version}.vsix`);
  const cliTarball = path.join(dir, `hotpath-${pkg.version}.tgz`);
  if (!process.env.HOTPATH_PACKAGES_DIR) {
    execFileSync(process.execPath, ['scripts/package.js', '--out', vsix], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(process.execPath, ['scripts/pack-cli.js', '--out', dir], { cwd: ROOT, stdio: 'inherit' });
  }
  for (const f of [vsix, cliTarball]) if (!fs.existsSync(f)) throw new Error(`${f} was not built`);
  built = { vsix, cliTarball };
  return built;
}

/** The entries of a zip (.vsix) file, and one entry's text, through Debian's unzip. */
export function zipEntries(file: string): { name: string; size: number }[] {
  const out = execFileSync('unzip', ['-Z', '-l', file], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const m = /^\S{10}\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(.+)$/.exec(line);
    return m ? [{ name: m[2], size: Number(m[1]) }] : [];
  });
}

export function zipText(file: string, entry: string): string {
  return execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
