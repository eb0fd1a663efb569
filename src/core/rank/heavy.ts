// Packages known to be slow to load, and the measured size of a package on disk.
// The load times are ESTIMATES (rough require() cost on a laptop-class machine, Node 20) and are
// always shown labelled as such; a profile run replaces them with measured times.
import * as fs from 'fs';
import * as path from 'path';

export interface HeavyInfo {
  estimatedMs: number;
  /** A lighter way to get the same job done, for dependency-reduction advice. */
  lighter?: string;
}

const KNOWN: Record<string, HeavyInfo> = {
  'aws-sdk': { estimatedMs: 300, lighter: 'the modular @aws-sdk/client-* packages' },
  'aws-cdk-lib': { estimatedMs: 400 },
  googleapis: { estimatedMs: 500, lighter: 'the single @googleapis/<api> package you use' },
  typescript: { estimatedMs: 250 },
  'ts-morph': { estimatedMs: 300 },
  webpack: { estimatedMs: 200 },
  eslint: { estimatedMs: 250 },
  prettier: { estimatedMs: 100 },
  '@babel/core': { estimatedMs: 120 },
  jsdom: { estimatedMs: 250, lighter: 'linkedom or happy-dom' },
  puppeteer: { estimatedMs: 80 },
  playwright: { estimatedMs: 80 },
  'playwright-core': { estimatedMs: 60 },
  '@tensorflow/tfjs': { estimatedMs: 400 },
  '@tensorflow/tfjs-node': { estimatedMs: 500 },
  'firebase-admin': { estimatedMs: 150 },
  sequelize: { estimatedMs: 120 },
  typeorm: { estimatedMs: 150 },
  mongoose: { estimatedMs: 120 },
  '@prisma/client': { estimatedMs: 80 },
  '@nestjs/core': { estimatedMs: 100 },
  'apollo-server': { estimatedMs: 120 },
  graphql: { estimatedMs: 30 },
  moment: { estimatedMs: 25, lighter: 'dayjs or date-fns' },
  'moment-timezone': { estimatedMs: 60, lighter: 'Intl.DateTimeFormat or luxon' },
  lodash: { estimatedMs: 20, lighter: 'per-method imports (lodash/xyz) or native methods' },
  rxjs: { estimatedMs: 30 },
  xlsx: { estimatedMs: 80 },
  exceljs: { estimatedMs: 100 },
  pdfkit: { estimatedMs: 60 },
  three: { estimatedMs: 60 },
  d3: { estimatedMs: 40, lighter: 'the d3-* sub-packages you use' },
  'chart.js': { estimatedMs: 20 },
  'highlight.js': { estimatedMs: 40, lighter: 'highlight.js/lib/core with the languages you need' },
  ajv: { estimatedMs: 25 },
  joi: { estimatedMs: 20 },
  'core-js': { estimatedMs: 50 },
  sass: { estimatedMs: 150 },
  less: { estimatedMs: 60 },
  postcss: { estimatedMs: 30 },
  terser: { estimatedMs: 60 },
  'uglify-js': { estimatedMs: 60 },
  rollup: { estimatedMs: 60 },
  'socket.io': { estimatedMs: 30 },
  web3: { estimatedMs: 200, lighter: 'viem or ethers' },
  ethers: { estimatedMs: 80 },
  express: { estimatedMs: 20 },
  axios: { estimatedMs: 15 },
  'react-dom': { estimatedMs: 25 },
  'date-fns': { estimatedMs: 15 },
  ramda: { estimatedMs: 15 },
  yargs: { estimatedMs: 15 },
  chalk: { estimatedMs: 5 },
};

export function knownHeavy(pkg: string): HeavyInfo | undefined {
  return Object.prototype.hasOwnProperty.call(KNOWN, pkg) ? KNOWN[pkg] : undefined;
}

/** Stop counting after this many entries: the size is then a lower bound. */
const MAX_ENTRIES = 20_000;

export interface PackageSize {
  bytes: number;
  files: number;
  /** True when the count stopped at MAX_ENTRIES. */
  truncated: boolean;
  dir: string;
}

/** Finds `node_modules/<pkg>` from `fromDir` up to `root` (inclusive) and measures it. */
export function packageSize(pkg: string, fromDir: string, root: string, cache: Map<string, PackageSize | null>): PackageSize | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', pkg);
    const hit = cache.get(candidate);
    if (hit !== undefined) {
      if (hit) return hit;
    } else if (fs.existsSync(candidate)) {
      const size = measureDir(candidate);
      cache.set(candidate, size);
      return size;
    } else {
      cache.set(candidate, null);
    }
    const parent = path.dirname(dir);
    if (dir === root || parent === dir || !dir.startsWith(root)) return undefined;
    dir = parent;
  }
}

function measureDir(top: string): PackageSize {
  const size: PackageSize = { bytes: 0, files: 0, truncated: false, dir: top };
  const stack = [top];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (size.files >= MAX_ENTRIES) {
        size.truncated = true;
        return size;
      }
      const p = path.join(dir, e.name);
      if (e.isDirectory() || e.isSymbolicLink()) {
        // Nested node_modules belong to other packages.
        if (e.name !== 'node_modules') stack.push(p);
      } else if (e.isFile()) {
        try {
          size.bytes += fs.statSync(p).size;
          size.files++;
        } catch {
          // Vanished or unreadable: not counted.
        }
      }
    }
  }
  return size;
}
