// Bench only (overhead.bench.ts --debugger): what it would cost the profiled program to learn each
// script's url by script id from the inspector's Debugger.scriptParsed events (Debugger.enable in
// a second inspector session, required before Hotpath's preload), to weigh against the heap
// frames it would place (their url only, never their line: see docs/ARCHITECTURE.md, heap sampling).
'use strict';
const inspector = require('inspector');
const session = new inspector.Session();
session.connect();
const urls = new Map();
session.on('Debugger.scriptParsed', (m) => { urls.set(m.params.scriptId, m.params.url); });
session.post('Debugger.enable');
process.on('exit', () => { if (process.env.HOTPATH_BENCH_DEBUGGER_COUNT) process.stderr.write(`scriptParsed: ${urls.size}\n`); });
