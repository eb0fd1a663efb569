// Profiles test/unit/webview/fixture/hot.js with `node --cpu-prof` and converts the real
// .cpuprofile into FlameGraphData, so the browser test draws a real profile.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { FlameCategory, FlameFrame, FlameGraphData } from '../../../src/protocol/flame';

interface CpuNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number; children?: number[] }
interface CpuProfile { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] }

export const FIXTURE = path.join(__dirname, 'fixture', 'hot.js');

export function profileFixture(): FlameGraphData {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-flame-'));
  try {
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', FIXTURE], { stdio: 'ignore' });
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    return toFlame(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), path.dirname(FIXTURE));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function toFlame(p: CpuProfile, root: string): FlameGraphData {
  const categories: FlameCategory[] = [
    { kind: 'program', label: 'Program' }, { kind: 'workspace', label: 'Your code' }, { kind: 'node', label: 'Node internals' },
    { kind: 'gc', label: 'GC' }, { kind: 'idle', label: 'Idle' }, { kind: 'native', label: 'Native' },
  ];
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + Math.max(0, p.timeDeltas[i] ?? 0)));
  const frames: FlameFrame[] = [];
  const frameIds = new Map<string, number>();
  const frameOf = (n: CpuNode): number => {
    const c = n.callFrame;
    const key = `${c.functionName}|${c.url}|${c.lineNumber}|${c.columnNumber}`;
    let id = frameIds.get(key);
    if (id !== undefined) return id;
    const abs = c.url.startsWith('file://') ? fileURLToPath(c.url) : c.url.startsWith('/') ? c.url : '';
    const category = c.functionName === '(garbage collector)' ? 3 : c.functionName === '(idle)' ? 4
      : abs.startsWith(root) ? 1 : c.url.startsWith('node:') ? 2 : c.url ? 2 : c.functionName.startsWith('(') ? 0 : 5;
    id = frames.length;
    frames.push({ name: c.functionName, file: abs ? path.relative(root, abs) : c.url, ...(abs ? { path: abs } : {}), line: c.lineNumber + 1, column: c.columnNumber + 1, category });
    frameIds.set(key, id);
    return id;
  };
  const out = { frame: [] as number[], parent: [] as number[], self: [] as number[], total: [] as number[], samples: [] as number[] };
  const hits = new Map<number, number>();
  p.samples.forEach((id) => hits.set(id, (hits.get(id) ?? 0) + 1));
  const order = new Map<number, number>();
  const stack: [CpuNode, number][] = [[p.nodes[0], -1]];
  while (stack.length) {
    const [n, parent] = stack.pop()!;
    const i = out.frame.length;
    order.set(n.id, i);
    out.frame.push(frameOf(n));
    out.parent.push(parent);
    out.self.push(self.get(n.id) ?? 0);
    out.total.push(0);
    out.samples.push(hits.get(n.id) ?? 0);
    for (const c of [...(n.children ?? [])].reverse()) stack.push([byId.get(c)!, i]);
  }
  for (let i = out.frame.length - 1; i >= 0; i--) {
    out.total[i] += out.self[i];
    if (out.parent[i] >= 0) out.total[out.parent[i]] += out.total[i];
  }
  const timeline = { node: p.samples.map((id) => order.get(id)!), duration: p.timeDeltas.map((d) => Math.max(0, d)) };
  return { kind: 'cpu', unit: 'us', title: 'CPU time', categories, frames, nodes: out, timeline };
}
