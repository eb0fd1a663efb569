// `hotpath leaks` on a real server from npm, in time mode (the server marks no iterations):
// an express app under a loopback load, once as it is (must not be flagged) and once with a
// per-request audit log that is never trimmed (must be growing, with the site in app.js).
// The load comes from this process: keep-alive GETs at a fixed concurrency to 127.0.0.1 only,
// for the hunt's --duration, then it stops by itself.
//
// Set up a folder with express (the npm registry is reachable, nothing else is needed):
//   mkdir /tmp/express && cd /tmp/express && npm init -y && npm install express@4
// then: `EXPRESS_DIR=/tmp/express node --import tsx bench/leaksServer.bench.ts [--reps N] [--duration S]`
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { LeaksReport } from '../src/core/leaks/types';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const REPS = Number(opt('--reps')) || 1;
const DURATION = Number(opt('--duration')) || 30;
const DIR = process.env.EXPRESS_DIR;

const APP = (leak: boolean) => `// An express app (bench/leaksServer.bench.ts writes it).
const express = require('express');
const app = express();
const audit = [];
function auditRequest(req, res, next) { // LEAK
  const entry = { method: req.method, url: req.url, headers: { ...req.headers }, at: Date.now(), timings: Array.from({ length: 256 }, (_, i) => i * 0.5) };
  ${leak ? 'audit.push(entry);' : 'if (audit.push(entry) > 100) audit.shift();'}
  next();
}
app.use(auditRequest);
app.get('/items/:id', (req, res) => res.json({ id: req.params.id, name: 'item ' + req.params.id, tags: ['a', 'b'] }));
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** Keep-alive GETs to the app until `until`, `concurrency` at a time; resolves with the count. */
async function load(port: number, until: number, concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let n = 0;
  const one = (): Promise<void> => new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/items/${n}?q=${'x'.repeat(64)}`, agent }, (res) => { res.resume(); res.on('end', () => resolve()); });
    req.on('error', () => setTimeout(resolve, 100));
  });
  await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < until) { n++; await one(); } }));
  agent.destroy();
  return n;
}

async function hunt(leak: boolean): Promise<{ report: LeaksReport; requests: number; ms: number }> {
  const file = path.join(DIR!, 'app.js');
  fs.writeFileSync(file, APP(leak));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const t0 = Date.now();
  const child = spawn(process.execPath, [CLI, 'leaks', '--json', '--no-save', '--warmup', '5', '--duration', String(DURATION), '--', process.execPath, file], {
    cwd: DIR, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let started = false;
  let requests = Promise.resolve(0);
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => {
    if (!started && String(d).includes('listening')) { started = true; requests = load(port, t0 + DURATION * 1000 - 500, 4); }
  });
  await new Promise((resolve) => child.on('close', resolve));
  return { report: JSON.parse(stdout), requests: await requests, ms: Date.now() - t0 };
}

async function main(): Promise<void> {
  if (!DIR || !fs.existsSync(path.join(DIR, 'node_modules', 'express'))) throw new Error('set EXPRESS_DIR to a folder with express installed (see the top of this file)');
  const version = JSON.parse(fs.readFileSync(path.join(DIR, 'node_modules', 'express', 'package.json'), 'utf8')).version;
  console.log(`express ${version}, ${DURATION} s per hunt, load ${os.loadavg()[0].toFixed(1)}`);
  let wrong = 0;
  for (let rep = 1; rep <= REPS; rep++) {
    for (const leak of [false, true]) {
      const { report, requests, ms } = await hunt(leak);
      const p = report.processes[0];
      const top = p?.suspects[0];
      const ok = leak ? report.verdict === 'growing' && top?.name === 'auditRequest' : report.verdict !== 'growing';
      if (!ok) wrong++;
      const rate = p?.growth ? `${(p.growth.slope / 1024).toFixed(1)} KB/s [${(p.growth.lo / 1024).toFixed(1)}, ${(p.growth.hi / 1024).toFixed(1)}]` : 'n/a';
      console.log(`${leak ? 'leaky audit log' : 'bounded audit log'} #${rep}: ${report.verdict} ${ok ? 'ok' : 'WRONG'}; ${requests} requests (${(requests / (DURATION - 1)).toFixed(0)}/s) in ${ms} ms; growth ${rate}; ${p?.points.length ?? 0} measurements; top site ${top ? `${top.name} ${top.file}:${top.line}` : 'none'}${p?.types[0] ? `; grew most: ${p.types[0].name}` : ''}`);
      if (!ok && p) console.log(`  ${p.reason}`);
    }
  }
  console.log(`load ${os.loadavg()[0].toFixed(1)}; ${wrong ? `${wrong} WRONG` : 'all right'}`);
  process.exitCode = wrong ? 1 : 0;
}

main().catch((err) => { console.error(err.message); process.exitCode = 1; });
