// Bad profile files: each gives a ProfileError whose message names the file, says what is wrong
// and what to do; nothing crashes, and a run with one bad file keeps the good ones.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadRun, openProfileFile, ProfileError } from '../../../src/core/profile';
import type { RunResult } from '../../../src/core/runner/types';
import { FIXTURES, idsOf, recordCpu, recordHeap, tempDir } from './helpers';

const SRC = path.join(FIXTURES, 'src');

async function rejects(file: string, message: RegExp): Promise<void> {
  await assert.rejects(openProfileFile(file, { root: SRC }), (err: unknown) => {
    assert.ok(err instanceof ProfileError, `a ProfileError, got ${String(err)}`);
    assert.ok(err.message.includes(file), `names the file: ${err.message}`);
    assert.match(err.message, message);
    return true;
  });
}

describe('bad profile input', function () {
  this.timeout(60_000);
  let dir: string;
  let good: string;
  let heap: string;
  before(() => {
    dir = tempDir('bad');
    good = recordCpu(path.join(SRC, 'twoHot.js'), ['200'])[0];
    heap = recordHeap(path.join(SRC, 'allocates.js'));
  });
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  it('empty file', () => rejects(write('empty.cpuprofile', ''), /is empty \(0 bytes\).*Profile again/));
  it('missing file', () => rejects(path.join(dir, 'nope.cpuprofile'), /does not exist/));
  it('a folder', () => rejects(dir, /folder/));
  it('truncated in the middle', () => {
    const bytes = fs.readFileSync(good);
    return rejects(write('half.cpuprofile', bytes.subarray(0, bytes.length >> 1)), /truncated\?\).*copied completely/);
  });
  it('truncated by its last byte', () => {
    const bytes = fs.readFileSync(good);
    return rejects(write('last.cpuprofile', bytes.subarray(0, bytes.length - 1)), /truncated/);
  });
  it('corrupt JSON', () => rejects(write('corrupt.cpuprofile', '{"nodes":[{"id":1,,"callFrame":{}}]}'), /not valid profile JSON: .* at byte 18 of/));
  it('binary garbage', () => rejects(write('garbage.cpuprofile', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2])), /expected a JSON object at byte 0/));
  it('a package.json', () => rejects(write('package.json', JSON.stringify({ name: 'x', version: '1.0.0', dependencies: {} })), /not a profile: it is JSON with keys "name", "version", "dependencies"\. Hotpath opens \.cpuprofile/));
  it('a package.json named .cpuprofile', () => rejects(write('pkg.cpuprofile', '{"name":"x","version":"1.0.0"}'), /not a profile/));
  it('a JSON array named .cpuprofile', () => rejects(write('array.cpuprofile', '[1,2]'), /is not a profile Hotpath can read: it is a JSON array of numbers/));
  it('a CPU profile with no nodes', () => rejects(write('nonodes.cpuprofile', '{"nodes":[],"startTime":0,"endTime":1,"samples":[],"timeDeltas":[]}'), /shape of a CPU profile but its "nodes" list is empty: there is nothing to show/));
  it('a CPU profile without samples', () => rejects(write('nosamples.cpuprofile', '{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":"","lineNumber":-1,"columnNumber":-1}}],"startTime":0,"endTime":1}'), /shape of a CPU profile but it has no "samples" list/));
  it('a heap profile opened as a CPU profile', () => rejects(write('heap.cpuprofile', fs.readFileSync(heap)), /is a heap profile .* not a CPU profile\. Open it as a heap profile/));
  it('a CPU profile opened as a heap profile', () => rejects(write('cpu.heapprofile', fs.readFileSync(good)), /is a CPU profile, not a heap profile/));
  it('samples pointing at unknown nodes', () => rejects(write('dangling.cpuprofile', '{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":"","lineNumber":-1,"columnNumber":-1}}],"samples":[1,7],"timeDeltas":[0,5]}'), /node id 7, which is not in the profile/));

  it('a run with one unreadable profile keeps the others and says which failed', async () => {
    const bad = write('99-0.cpuprofile', '{"nodes":[');
    const rec = (f: string, pid: number) => ({ pid, ppid: 0, threadId: 0, commandLine: `node p${pid}.js`, argv: [], cwd: SRC, nodeVersion: process.version, wallMs: 0, cpuProfile: f, ending: 'exit' });
    const result: RunResult = { exitCode: 0, signal: null, wallMs: 0, timedOut: false, cancelled: false, completed: true, outDir: dir, processes: [rec(good, idsOf(good).pid), rec(bad, 99)], outputTail: '' };
    const model = await loadRun(result, { root: SRC });
    assert.ok(model.cpu && model.cpu.sampleCount > 0);
    assert.ok(model.notes.some((n) => n.includes('node p99.js') && n.includes(bad)), model.notes.join('\n'));
    await assert.rejects(loadRun({ ...result, processes: [rec(bad, 99)] }, { root: SRC }), /left no readable profile/);
    await assert.rejects(loadRun({ ...result, processes: [] }, { root: SRC }), /no process wrote a profile/);
  });
});
