// The startup plan's estimated saving on a real run of test/fixtures/startup-plan-shared
// (`node cli.js check`): report.js leaves startup, check.js stays, and both compile the same
// schema through lib/schemas.js, which caches it. report.js loads first and pays the compile
// (a fixed computation); once it is gone, check.js pays it. The plan must charge report.js only
// its own work (a third of the compile's), not the compile, and a run after the edits shows the
// compile moved.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { hotpath, ROOT } from '../cli/cli';
import { tempDir } from '../tempDirs';
import { listPlan } from './planCli';
import { moduleWork, sharedUs } from '../../../src/core/plan/sharedWork';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'startup-plan-shared');

function selfMsOf(runDir: string, file: string): number {
  const name = fs.readdirSync(runDir).find((f) => f.endsWith('.imports.json'))!;
  const imports = JSON.parse(fs.readFileSync(path.join(runDir, name), 'utf8'));
  return imports.modules.find((m: any) => m.file === file).selfUs / 1000;
}

describe('startup plan: work a leaving module does in a shared dependency that stays', function () {
  this.timeout(300_000);
  let dir: string;
  let plan: any;
  let applied: any;
  let text: string;
  let checkBefore: number;
  let checkAfter: number;

  before(() => {
    dir = tempDir('startup-plan-shared');
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const profiled = hotpath(dir, ['profile', '--plan', '--', process.execPath, 'cli.js', 'check']);
    assert.strictEqual(profiled.code, 0, profiled.stderr + profiled.stdout);
    const runs = path.join(dir, '.hotpath', 'runs');
    checkBefore = selfMsOf(path.join(runs, fs.readdirSync(runs)[0]), path.join(dir, 'lib', 'check.js'));
    ({ plan, text } = listPlan(dir));
    const run = hotpath(dir, ['fixes', '--plan', '--apply', '--verify', '--json']);
    assert.strictEqual(run.code, 0, run.stderr);
    applied = JSON.parse(run.stdout);
    // The same command after the edits, module load times recorded.
    const out = path.join(dir, 'after');
    const again = hotpath(dir, ['profile', '--imports', '--out', out, '--no-save', '--', process.execPath, 'cli.js', 'check']);
    assert.strictEqual(again.code, 0, again.stderr);
    checkAfter = selfMsOf(out, path.join(dir, 'lib', 'check.js'));
  });

  it('report.js leaves; schemas.js and check.js stay', () => {
    assert.deepStrictEqual(plan.leaving.map((m: any) => m.file), ['lib/report.js']);
    assert.deepStrictEqual(plan.edits.map((e: any) => [e.file, e.request]), [['cli.js', './lib/report']]);
    assert.deepStrictEqual(applied.verify.left, ['lib/report.js']);
  });

  it("report.js's time in schemas.js is shared work, left out of the estimated saving", () => {
    const [report] = plan.leaving;
    // report.js's self load time holds its own work and the compile in schemas.js, 3 times as much.
    assert.deepStrictEqual(report.sharedIn.map((s: any) => s.file), ['lib/schemas.js']);
    const share = report.sharedMs.medianMs / report.selfMs.medianMs;
    assert.ok(share > 0.5 && share < 0.95, `shared ${report.sharedMs.medianMs} of ${report.selfMs.medianMs} ms`);
    assert.ok(Math.abs(report.sharedIn[0].ms - report.sharedMs.medianMs) < 0.05, JSON.stringify(report));
    assert.ok(Math.abs(plan.saving.medianMs - (report.selfMs.medianMs - report.sharedMs.medianMs)) < 0.05, JSON.stringify(plan.saving));
    // The self load time stays in the output as the saving if none of it moved.
    assert.ok(Math.abs(plan.savingSelf.medianMs - report.selfMs.medianMs) < 0.05, JSON.stringify(plan.savingSelf));
    assert.ok(Math.abs(plan.shared.medianMs - report.sharedMs.medianMs) < 0.05, JSON.stringify(plan.shared));
    assert.strictEqual(plan.estimated, true);
    assert.ok(plan.notes.some((n: string) => /estimated: the leaving modules' self load time less the time their top level spent in code of modules that stay/.test(n)), plan.notes.join('\n'));
  });

  it('after the edits, check.js pays the compile: the shared work moved, as estimated', () => {
    // Before, check.js hit the cache (about 1 ms); after, it runs the compile itself (at least
    // 30 ms of CPU on these machines: a wait for a core only adds to it).
    assert.ok(checkAfter - checkBefore >= 20 && checkAfter >= 5 * checkBefore, `check.js self ${checkBefore} ms before, ${checkAfter} ms after`);
  });

  it('the text labels the saving as estimated and names where the shared work went', () => {
    assert.match(text, /1 module\(s\) leave startup; estimated saving [\d.]+ ms \(their self load time [\d.]+ ms less [\d.]+ ms in code of modules that stay, one run, [\d.]+ % of the measured startup of [\d.]+ ms\)/);
    assert.match(text, /lib\/report\.js: [\d.]+ ms of its load ran in code that stays \(lib\/schemas\.js [\d.]+ ms\)/);
  });
});

describe('startup plan: where a module load went, from a CPU profile', () => {
  // Two modules: main.js loads a.js, whose top level calls b.js's function (b.js stays) and then its own.
  const frame = (functionName: string, url: string, lineNumber = 0, columnNumber = 0) => ({ functionName, url, lineNumber, columnNumber });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1, -1), children: [2] },
      { id: 2, callFrame: frame('', '/p/main.js'), children: [3] },
      { id: 3, callFrame: frame('Module._load', 'node:internal/modules/cjs/loader', 1000, 20), children: [4, 8] },
      { id: 4, callFrame: frame('', 'file:///p/a.js'), children: [5, 7] },
      { id: 5, callFrame: frame('compile', '/p/b.js', 3, 10), children: [6] },
      { id: 6, callFrame: frame('', '', 0, 0) }, // eval'd code that b.js's compile made
      { id: 7, callFrame: frame('own', '/p/a.js', 9, 2) },
      { id: 8, callFrame: frame('readFileSync', 'node:fs', 400, 1) }, // the loader reading a.js: a.js's load, under Module._load
    ],
    samples: [6, 5, 7, 4, 8, 1],
    timeDeltas: [0, 1000, 2000, 3000, 4000, 5000],
  };
  const work = moduleWork(profile, new Set(['/p/main.js', '/p/a.js', '/p/b.js']));

  it("charges each sample to the nearest module top level, split by the innermost loaded module's code", () => {
    assert.deepStrictEqual([...work.get('/p/a.js')!], [['/p/b.js', 1000 + 2000], ['/p/a.js', 3000 + 4000]]);
    // The loader's own frames below a Module._load are the loaded module's, not main.js's; the root is nobody's.
    assert.strictEqual(work.get('/p/main.js'), undefined);
  });

  it('only time in code of modules that stay is shared', () => {
    assert.strictEqual(sharedUs(work, '/p/a.js', (f) => f !== '/p/a.js'), 3000);
    assert.strictEqual(sharedUs(work, '/p/a.js', (f) => f !== '/p/b.js' && f !== '/p/a.js'), 0);
  });
});
