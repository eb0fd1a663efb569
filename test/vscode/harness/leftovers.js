// Safety net after a run: targets the extension starts live in their own process group (so
// stopping code-server's group does not reach them). Anything still running with its working
// folder or command line inside this run's temp folder is ended here, and named.
'use strict';
const fs = require('fs');
const path = require('path');

function processesUnder(dir) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ').trim();
      let cwd = '';
      try { cwd = fs.readlinkSync(path.join('/proc', entry, 'cwd')); } catch { /* no access */ }
      if (cmdline && (cwd.startsWith(dir) || cmdline.includes(dir))) found.push({ pid, cmdline });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

function killLeftovers(dir) {
  const found = processesUnder(dir);
  for (const p of found) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  if (found.length) console.log(`[vscode] ended ${found.length} leftover process(es): ${found.map((p) => `${p.pid} ${p.cmdline.slice(0, 80)}`).join('; ')}`);
  return found;
}

module.exports = { killLeftovers, processesUnder };
