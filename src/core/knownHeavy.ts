// Packages known to be slow to load: one table for the ranking (its heavy-dependency factor)
// and the refactor engine (which imports to offer lazy-loading for). The load times are
// ESTIMATES (rough require() cost on a laptop-class machine, Node 20) and are always shown
// labelled as such; a profile run replaces them with measured times.

export interface HeavyInfo {
  estimatedMs: number;
  /** A lighter way to get the same job done, for dependency-reduction advice. */
  lighter?: string;
}

export const KNOWN_HEAVY_PACKAGES: Record<string, HeavyInfo> = {
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
  // Also slow to load (estimates), listed for the lazy-load fixes.
  '@babel/parser': { estimatedMs: 40 },
  '@babel/traverse': { estimatedMs: 60 },
  sharp: { estimatedMs: 60 },
  canvas: { estimatedMs: 60 },
  '@google-cloud/storage': { estimatedMs: 150 },
  mathjs: { estimatedMs: 150 },
  openai: { estimatedMs: 60 },
  yaml: { estimatedMs: 20 },
  'js-yaml': { estimatedMs: 20 },
  marked: { estimatedMs: 20 },
  cheerio: { estimatedMs: 60 },
};

export function knownHeavy(pkg: string): HeavyInfo | undefined {
  return Object.prototype.hasOwnProperty.call(KNOWN_HEAVY_PACKAGES, pkg) ? KNOWN_HEAVY_PACKAGES[pkg] : undefined;
}

/** Below this estimate a package is not worth a lazy-load fix on its own (it still counts in ranking). */
export const LAZY_LOAD_MIN_ESTIMATED_MS = 20;
