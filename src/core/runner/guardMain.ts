// The run guard process (bundled to dist/runGuard.js, no dependencies; see guard.ts). It reads
// lines from Hotpath on stdin:  `watch <rootPid> <runTag>` when a target starts, `done <rootPid>`
// when its tree has ended. When stdin closes (Hotpath exited: normally, by SIGKILL, or crashed),
// every tree still registered is ended the way the runner ends one: SIGTERM to its process group
// and to every process of the run (so the preloads write their profiles), SIGKILL after the grace
// period for whatever is left. Then the guard exits.
import { runProcesses, signalRun, waitGone } from './procTree';

const GRACE_MS = Number(process.env.HOTPATH_GUARD_GRACE_MS) || 3000;
const watched = new Map<number, string>();
let buffered = '';

function onLine(line: string): void {
  const [verb, pid, tag] = line.trim().split(' ');
  const root = Number(pid);
  if (!Number.isInteger(root) || root <= 0) return;
  if (verb === 'watch' && tag) watched.set(root, tag);
  else if (verb === 'done') watched.delete(root);
}

async function endAll(): Promise<void> {
  const trees = [...watched];
  const seen: number[] = [];
  for (const [root, tag] of trees) seen.push(...signalRun(root, 'SIGTERM', tag));
  await waitGone(seen, GRACE_MS);
  for (const [root, tag] of trees) {
    if (runProcesses(root, tag).length) signalRun(root, 'SIGKILL', tag);
  }
  await waitGone(trees.flatMap(([root, tag]) => runProcesses(root, tag)), 5000);
}

let ending = false;
function onEnd(): void {
  if (ending) return;
  ending = true;
  endAll().finally(() => process.exit(0));
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  let nl: number;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    onLine(buffered.slice(0, nl));
    buffered = buffered.slice(nl + 1);
  }
});
process.stdin.on('end', onEnd);
process.stdin.on('error', onEnd);
// Hotpath waits for this before its first run, so the guard's start-up never overlaps a measured run.
process.stdout.write('ready\n');
