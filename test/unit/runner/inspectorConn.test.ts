// The preload's inspector connection: the raw binding (profiles written as V8 serialised them,
// no parse/stringify at exit) and the inspector.Session fallback must write the same kinds of
// files with the same content shape, on real processes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runTarget } from '../../../src/core/runner/run';
import { buildPreload, selfTimeByFunction, tempDir, TARGETS } from './helpers';

interface Meta { inspector?: string; finishMs?: number; errors: string[] }

async function capture(env: Record<string, string>): Promise<{ dir: string; meta: Meta; cpu: string; heap: string; output: string }> {
  const dir = tempDir('conn');
  const r = await runTarget({
    command: `"${process.execPath}" alloc.js`, cwd: TARGETS, outDir: dir,
    capture: { cpu: true, heap: true, imports: false }, env: { ...process.env, ...env } as NodeJS.ProcessEnv,
  });
  assert.strictEqual(r.exitCode, 0, r.outputTail);
  assert.strictEqual(r.processes.length, 1, JSON.stringify(r.processes));
  const p = r.processes[0];
  const metaFile = fs.readdirSync(dir).find((f) => f.endsWith('.meta.json'));
  assert.ok(metaFile, `no meta file in ${fs.readdirSync(dir)}`);
  const meta: Meta = JSON.parse(fs.readFileSync(path.join(dir, metaFile), 'utf8'));
  // No periodic flush in a sub-second run: what the run reports is the end's measured cost.
  assert.strictEqual(p.writeMs, meta.finishMs);
  return { dir, meta, cpu: p.cpuProfile!, heap: p.heapProfile!, output: r.outputTail };
}

function heapBytesByFunction(file: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (n: { callFrame: { functionName: string }; selfSize: number; children: any[] }) => {
    out.set(n.callFrame.functionName, (out.get(n.callFrame.functionName) ?? 0) + n.selfSize);
    n.children.forEach(walk);
  };
  walk(JSON.parse(fs.readFileSync(file, 'utf8')).head);
  return out;
}

describe('runner: inspector connection (raw binding and Session fallback)', function () {
  this.timeout(120_000);
  before(buildPreload);

  for (const [name, env, expected] of [
    ['default', {}, 'raw'],
    ['HOTPATH_INSPECTOR=session', { HOTPATH_INSPECTOR: 'session' }, 'session'],
    // process.binding would print a deprecation warning into the target's output: not used.
    ['--pending-deprecation', { NODE_OPTIONS: '--pending-deprecation' }, 'session'],
  ] as const) {
    it(`${name}: uses the ${expected} connection and writes complete CPU and heap profiles`, async () => {
      const { meta, cpu, heap, output } = await capture(env);
      assert.strictEqual(meta.inspector, expected);
      assert.deepStrictEqual(meta.errors, []);
      assert.ok(typeof meta.finishMs === 'number' && meta.finishMs >= 0, `finishMs ${meta.finishMs}`);
      assert.doesNotMatch(output, /DeprecationWarning/);
      const raw = JSON.parse(fs.readFileSync(cpu, 'utf8'));
      assert.deepStrictEqual(Object.keys(raw).sort(), ['endTime', 'nodes', 'samples', 'startTime', 'timeDeltas']);
      assert.strictEqual(raw.samples.length, raw.timeDeltas.length);
      assert.ok((selfTimeByFunction(cpu).get('churn') ?? 0) > 0, 'churn is in the CPU profile');
      // ~300 MB allocated in churn (objects collected by GC included): the top allocator by far.
      const bytes = heapBytesByFunction(heap);
      const top = [...bytes.entries()].sort((a, b) => b[1] - a[1])[0];
      assert.strictEqual(top[0], 'churn', JSON.stringify([...bytes.entries()].slice(0, 5)));
      assert.ok(top[1] > 50e6, `churn allocated ${top[1]} bytes`);
    });
  }
});
