// What a file is for, from its path inside the ranked folder: the product's own modules, or
// tests, fixtures, examples, benchmarks and scripts (build scripts, tool configuration). Only
// the product's modules are ranked by default: the others never run when users run the product,
// and without a measured run their estimates (big test files, examples that load everything)
// would crowd the top of the list.
import type { ModuleRole } from './types';

/** Folder names (any depth below the ranked folder, first match wins) and the role of what is inside. */
const FOLDER_ROLES: Record<string, ModuleRole> = {
  test: 'test', tests: 'test', __tests__: 'test', spec: 'test', specs: 'test', __mocks__: 'test', e2e: 'test',
  fixture: 'fixture', fixtures: 'fixture', __fixtures__: 'fixture', testdata: 'fixture',
  example: 'example', examples: 'example', demo: 'example', demos: 'example', sample: 'example', samples: 'example',
  bench: 'benchmark', benchmark: 'benchmark', benchmarks: 'benchmark', __benchmarks__: 'benchmark',
  scripts: 'script',
};

const EXT = String.raw`\.[cm]?[jt]sx?$`;
const FILE_ROLES: [RegExp, ModuleRole][] = [
  [new RegExp(String.raw`\.(test|spec|e2e)${EXT}`), 'test'],
  [new RegExp(String.raw`\.(bench|benchmark)${EXT}`), 'benchmark'],
  // Tool configuration (eslint.config.js, vite.config.ts, jest.config.cjs; not a config.js module) and task files.
  [new RegExp(String.raw`.\.config${EXT}|^(gulpfile|gruntfile|jakefile)${EXT}`, 'i'), 'script'],
];

/** The role of a file from its path relative to the ranked folder (with `/`). */
export function roleOf(relPath: string): ModuleRole {
  const parts = relPath.split('/');
  for (const dir of parts.slice(0, -1)) {
    const role = FOLDER_ROLES[dir.toLowerCase()];
    if (role) return role;
  }
  const name = parts[parts.length - 1];
  for (const [re, role] of FILE_ROLES) if (re.test(name)) return role;
  return 'product';
}
