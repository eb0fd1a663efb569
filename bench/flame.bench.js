// Flame graph rendering in headless Chromium: first paint, zoom, pan and hover per frame for
// synthetic call trees of 100,000 and 1,000,000 nodes, against a naive canvas renderer (draws
// every node, every frame) measured in the same run. Targets (issue 4): 1,000,000 nodes first
// paint <= 300 ms, zoom/pan/hover <= 16 ms a frame; click-to-zoom (real input events) <= 16 ms
// to the first zoomed frame (issue 17).
// `node bench/flame.bench.js [--sizes 100000,1000000] [--reps 3] [--bundle dist/webview/flame.js] [--against OTHER/flame.js] [--paint-only]`
// (needs `node esbuild.js --only webview`; --against: another build of the bundle, e.g. main's, measured in
// the same rounds, interleaved; --paint-only: first paint alone, no interactions).
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const root = path.join(__dirname, '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const sizes = arg('--sizes', '100000,1000000').split(',').map(Number);
const reps = Number(arg('--reps', '3'));
const skipNaive = process.argv.includes('--skip-naive'); // for quick runs while developing
const paintOnly = process.argv.includes('--paint-only');
const againstPath = arg('--against', '');
const FRAMES = 30;
const CLICKS = 8;
const TARGET_PAINT_MS = 300;
const TARGET_FRAME_MS = 16;

// Runs in the page: a call tree in pre-order with a realistic shape: depth up to 40, children in
// random order (the renderer must sort them), and, as in any call tree, no two siblings with the
// same frame.
function synth(n, seed) {
  let s = seed >>> 0;
  const random = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const F = 20000;
  const categories = [{ kind: 'program', label: 'Program' }, { kind: 'workspace', label: 'Your code' }, { kind: 'dependency', label: 'lodash' }, { kind: 'dependency', label: 'express' }, { kind: 'node', label: 'Node internals' }];
  const frames = [{ name: '(root)', file: '', line: 0, column: 0, category: 0 }];
  for (let f = 1; f < F; f++) frames.push({ name: `function${f}`, file: `src/module${f % 97}.js`, path: `/w/src/module${f % 97}.js`, line: f % 500 + 1, column: 1, category: 1 + (f % 4) });
  // Packed arrays (push), as a structured-cloned init message delivers them.
  const frame = [0], parent = [-1], self = [0];
  const stack = [0];
  const used = [new Set()];
  let k = 1;
  while (k < n) {
    if (stack.length > 3 && (stack.length >= 40 || random() > 0.56)) { stack.pop(); used.pop(); continue; }
    const siblings = used[used.length - 1];
    let f;
    do f = 1 + Math.floor(random() * (F - 1)); while (siblings.has(f));
    siblings.add(f);
    frame.push(f);
    parent.push(stack[stack.length - 1]);
    self.push(Math.floor(random() * 1000));
    stack.push(k++);
    used.push(new Set());
  }
  const total = self.slice();
  for (let i = n - 1; i > 0; i--) total[parent[i]] += total[i];
  return { kind: 'cpu', unit: 'us', title: 'Synthetic', categories, frames, nodes: { frame, parent, self, total } };
}

// Runs in the page: the naive baseline (every node drawn every frame, recursion for layout).
function naiveRenderer(canvas, data) {
  const ctx = canvas.getContext('2d');
  const { frame, parent, total } = data.nodes;
  const n = frame.length, kids = Array.from({ length: n }, () => []);
  for (let i = 1; i < n; i++) kids[parent[i]].push(i);
  const x = new Array(n).fill(0), depth = new Array(n).fill(0);
  (function lay(i) { let cx = x[i]; for (const c of kids[i]) { x[c] = cx; depth[c] = depth[i] + 1; cx += total[c]; lay(c); } })(0);
  const colors = data.frames.map((f, j) => `hsl(${(j * 37) % 360} 60% 65%)`);
  let view = { x0: 0, span: total[0] }, hovered = -1;
  function draw() {
    const w = canvas.width, h = canvas.height, scale = w / view.span;
    ctx.clearRect(0, 0, w, h);
    ctx.font = '12px sans-serif';
    for (let i = 0; i < n; i++) {
      const px = (x[i] - view.x0) * scale, pw = total[i] * scale, py = depth[i] * 18;
      ctx.fillStyle = i === hovered ? '#000' : colors[frame[i]];
      ctx.fillRect(px, py, pw, 17);
      if (pw > 30) { ctx.fillStyle = '#000'; ctx.fillText(data.frames[frame[i]].name, px + 3, py + 12, pw - 6); }
    }
  }
  function hit(mx, my) {
    const v = view.x0 + (mx / canvas.width) * view.span, d = Math.floor(my / 18);
    for (let i = 0; i < n; i++) if (depth[i] === d && x[i] <= v && v < x[i] + total[i]) return i;
    return -1;
  }
  return {
    draw,
    zoom(fx, factor) { const a = view.x0 + fx * view.span; view.span *= factor; view.x0 = a - fx * view.span; draw(); },
    pan(dx) { view.x0 -= (dx / canvas.width) * view.span; draw(); },
    hover(mx, my) { hovered = hit(mx, my); draw(); },
    // Click-to-zoom: the node under the pointer fills the width.
    clickZoom(mx, my) { const i = hit(mx, my); if (i >= 0) { view = { x0: x[i], span: total[i] }; draw(); } },
    reset() { view = { x0: 0, span: total[0] }; draw(); },
  };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), n: s.length };
};
const fmt = (st) => `${st.median.toFixed(1)} ms (p10 ${st.p10.toFixed(1)}, p90 ${st.p90.toFixed(1)}, n=${st.n})`;

/** A fixed 1M-element typed-array loop in the page: how loaded the machine was during the run. */
async function loadProbe(page) {
  return page.evaluate(() => {
    const a = new Int32Array(1e6), xs = [];
    for (let r = 0; r < 9; r++) { const t = performance.now(); for (let i = 1; i < 1e6; i++) a[i] = a[i - 1] + i; xs.push(performance.now() - t); }
    return xs.sort((x, y) => x - y);
  });
}

async function newPage(browser, bundle, css, size) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><div id="app"></div></body></html>`);
  await page.addScriptTag({ content: bundle });
  await page.addScriptTag({ content: `${synth}\n${naiveRenderer}\nwindow.__data = synth(${size}, 42);` });
  if (errors.length) throw new Error(errors.join('\n'));
  return page;
}

/**
 * CPU seconds of the page's renderer process and of its main thread so far (Chromium's
 * ProcessTime and ThreadTime): the first paint's CPU, which load on the machine inflates less
 * than its wall time.
 */
async function cpuNow(page) {
  const cdp = (page.__cdp ??= await page.context().newCDPSession(page));
  if (!page.__perf) { await cdp.send('Performance.enable'); page.__perf = true; }
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { process: get('ProcessTime'), thread: get('ThreadTime') };
}

/** Runs a first paint and adds the renderer's CPU (ms) it took: process and main thread. */
async function withCpu(page, paint) {
  const a = await cpuNow(page);
  const fp = await paint(page);
  const b = await cpuNow(page);
  return { ...fp, processCpu: (b.process - a.process) * 1000, threadCpu: (b.thread - a.thread) * 1000 };
}

/** First paint of Hotpath's renderer: init message dispatched -> drawn -> the frame after. */
async function hotpathFirstPaint(page) {
  return page.evaluate(async () => {
    const t0 = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', graphs: [window.__data] } }));
    const drawn = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (document.body.dataset.ready !== 'true' || document.body.dataset.error) throw new Error(document.querySelector('.hp-message')?.textContent || 'not ready');
    const st = window.hotpathFlame.state();
    return { drawn, painted: performance.now() - t0, nodes: st.nodes, rects: st.drawnRects, partial: st.layoutComplete === false };
  });
}

async function naiveFirstPaint(page) {
  return page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 1280; c.height = 520;
    document.body.prepend(c);
    const t0 = performance.now();
    window.__naive = naiveRenderer(c, window.__data);
    c.addEventListener('pointerup', (e) => window.__naive.clickZoom(e.offsetX, e.offsetY));
    window.__naive.draw();
    const drawn = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { drawn, painted: performance.now() - t0 };
  });
}

/**
 * Click-to-zoom with real input events (page.mouse: pointerdown/up on the canvas): from the
 * event's timestamp to the end of the first animation frame after it, i.e. the frame that shows
 * the zoomed view (a window listener runs after the canvas's own, so its frame callback runs
 * after the renderer's). Wide frames below the root are clicked in turn; the view is reset
 * between clicks (Escape for Hotpath). Hotpath's tree is complete first (as after idle).
 */
async function clickToZoom(page, which, clicks) {
  if (which === 'hotpath') await page.waitForFunction(() => window.hotpathFlame.state()?.layoutComplete, null, { timeout: 60_000 });
  const targets = await page.evaluate(({ which, clicks }) => {
    window.__clicks = [];
    window.addEventListener('pointerup', (e) => { const t = e.timeStamp; requestAnimationFrame(() => window.__clicks.push(performance.now() - t)); });
    if (which === 'naive') {
      const r = document.querySelector('canvas').getBoundingClientRect();
      return Array.from({ length: clicks }, (_, i) => ({ x: r.left + 40 + ((i * 211) % 1100), y: r.top + 18 * (2 + (i % 3)) + 9 }));
    }
    const r = document.querySelector('canvas').getBoundingClientRect();
    const wide = window.hotpathFlame.visibleFrames().filter((f) => f.y >= 18 && f.w >= 40).sort((a, b) => b.w - a.w);
    return Array.from({ length: clicks }, (_, i) => wide[(i * 7) % wide.length]).map((f) => ({ x: r.left + f.x + f.w / 2, y: r.top + f.y + f.h / 2 }));
  }, { which, clicks });
  for (const t of targets) {
    await page.mouse.click(t.x, t.y);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 60))));
    if (which === 'hotpath') await page.keyboard.press('Escape');
    else await page.evaluate(() => window.__naive.reset());
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30))));
  }
  return page.evaluate(() => window.__clicks);
}

/** Per-frame cost of zoom, pan and hover: each action runs inside a requestAnimationFrame callback. */
async function interactions(page, which, frames) {
  return page.evaluate(async ({ which, frames }) => {
    const canvas = which === 'hotpath' ? document.querySelector('canvas.hp-flame') : null;
    const W = canvas ? canvas.clientWidth : 1280;
    const act = {
      zoom: (i) => {
        const factor = i < frames / 2 ? 0.8 : 1.25;
        if (canvas) { canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: Math.log(factor) / Math.log(1.0015), clientX: 300, clientY: 100, bubbles: true, cancelable: true })); window.hotpathFlame.render(); }
        else window.__naive.zoom(300 / W, factor);
      },
      pan: (i) => {
        const dx = i % 2 ? 40 : -35;
        if (canvas) {
          if (i === 0) canvas.dispatchEvent(new PointerEvent('pointerdown', { clientX: 600, clientY: 100, button: 0, pointerId: 1, bubbles: true }));
          canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: 600 + (i % 2 ? 40 : 5) + i, clientY: 100, pointerId: 1, bubbles: true }));
          window.hotpathFlame.render();
          if (i === frames - 1) canvas.dispatchEvent(new PointerEvent('pointerup', { clientX: 600, clientY: 100, pointerId: 1, bubbles: true }));
        } else window.__naive.pan(dx);
      },
      hover: (i) => {
        const x = 20 + ((i * 97) % (W - 40)), y = 9 + 18 * (i % 12);
        if (canvas) canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: x + canvas.getBoundingClientRect().left, clientY: y + canvas.getBoundingClientRect().top, bubbles: true }));
        else window.__naive.hover(x, y);
      },
    };
    const out = {};
    for (const kind of ['zoom', 'pan', 'hover']) {
      const work = [];
      const intervals = [];
      let last = 0;
      await new Promise((done) => {
        let i = 0;
        const step = (ts) => {
          if (last) intervals.push(ts - last);
          last = ts;
          if (i === frames) return done();
          const t0 = performance.now();
          act[kind](i++);
          work.push(performance.now() - t0);
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      out[kind] = { work, intervals };
    }
    if (canvas) window.hotpathFlame.render();
    return out;
  }, { which, frames });
}

async function main() {
  const bundlePath = path.resolve(arg('--bundle', path.join(root, 'dist', 'webview', 'flame.js')));
  if (!fs.existsSync(bundlePath)) throw new Error('dist/webview/flame.js is missing: run `node esbuild.js --only webview`.');
  const bundle = fs.readFileSync(bundlePath, 'utf8');
  const css = fs.readFileSync(path.join(root, 'media', 'flame.css'), 'utf8');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const against = againstPath ? fs.readFileSync(path.resolve(againstPath), 'utf8') : null;
  let missed = 0;
  const paintMedian = new Map();
  try {
    for (const size of sizes) {
      const hp = { paint: [], drawn: [], cpu: [], thread: [], zoom: [], pan: [], hover: [], click: [], zoomIv: [], panIv: [], hoverIv: [] };
      const nv = { paint: [], drawn: [], cpu: [], thread: [], zoom: [], pan: [], hover: [], click: [] };
      const ag = { paint: [], drawn: [], cpu: [], thread: [], click: [] };
      let info;
      const probe = [];
      const contenders = ['hotpath', ...(skipNaive ? [] : ['naive']), ...(against ? ['against'] : [])];
      for (let r = 0; r < reps; r++) {
        // Rotate the order so drift in machine load hits every renderer alike.
        const order = contenders.map((_, k) => contenders[(k + r) % contenders.length]);
        for (const which of order) {
          const page = await newPage(browser, which === 'against' ? against : bundle, css, size);
          if (which === 'hotpath' || which === 'against') {
            const own = which === 'hotpath';
            if (own) probe.push(...(await loadProbe(page)));
            const fp = await withCpu(page, hotpathFirstPaint);
            const into = own ? hp : ag;
            into.paint.push(fp.painted); into.drawn.push(fp.drawn); into.cpu.push(fp.processCpu); into.thread.push(fp.threadCpu);
            if (own) info = fp;
            if (!paintOnly) {
              if (own) {
                const it = await interactions(page, 'hotpath', FRAMES);
                for (const k of ['zoom', 'pan', 'hover']) { hp[k].push(...it[k].work); hp[k + 'Iv'].push(...it[k].intervals); }
              }
              into.click.push(...(await clickToZoom(page, 'hotpath', CLICKS)));
            }
            // The first paint of a big graph lays out only what is visible; the rest follows when idle or on the first zoom.
            if (own) {
              await page.waitForFunction(() => window.hotpathFlame.state()?.layoutComplete, null, { timeout: 60_000 });
              info.fullNodes = await page.evaluate(() => window.hotpathFlame.state().nodes);
            }
          } else {
            const fp = await withCpu(page, naiveFirstPaint);
            nv.paint.push(fp.painted); nv.drawn.push(fp.drawn); nv.cpu.push(fp.processCpu); nv.thread.push(fp.threadCpu);
            if (!paintOnly) {
              const it = await interactions(page, 'naive', size > 200000 ? 4 : 10);
              for (const k of ['zoom', 'pan', 'hover']) nv[k].push(...it[k].work);
              nv.click.push(...(await clickToZoom(page, 'naive', size > 200000 ? 3 : CLICKS)));
            }
          }
          await page.close();
        }
      }
      console.log(`\n${size.toLocaleString('en-US')} call-tree nodes (${info.fullNodes.toLocaleString('en-US')} after merging${info.partial ? `; first paint laid out ${info.nodes.toLocaleString('en-US')}, the rest after it` : ''}), ${info.rects} rectangles drawn at full view, ${reps} runs`);
      const row = (label, a, b, target) => {
        const sa = stats(a), sb = b.length ? stats(b) : { median: NaN, p10: NaN, p90: NaN, n: 0 };
        const ok = target === undefined || size < 1_000_000 || sa.median <= target;
        if (!ok) missed++;
        console.log(`  ${label.padEnd(22)} hotpath ${fmt(sa).padEnd(40)} naive ${fmt(sb).padEnd(44)} ratio ${(sb.median / sa.median).toFixed(1)}x faster${target !== undefined ? `  target <= ${target} ms: ${size < 1_000_000 ? 'n/a' : ok ? 'PASS' : 'MISS'}` : ''}`);
      };
      row('first paint (framed)', hp.paint, nv.paint, TARGET_PAINT_MS);
      row('first paint (drawn)', hp.drawn, nv.drawn);
      row('first paint, CPU', hp.cpu, nv.cpu);
      row('  of it main thread', hp.thread, nv.thread);
      paintMedian.set(size, stats(hp.paint).median);
      if (!paintOnly) {
        row('zoom, per frame', hp.zoom, nv.zoom, TARGET_FRAME_MS);
        row('pan, per frame', hp.pan, nv.pan, TARGET_FRAME_MS);
        row('hover, per frame', hp.hover, nv.hover, TARGET_FRAME_MS);
        row('click to zoomed frame', hp.click, nv.click, TARGET_FRAME_MS);
        for (const k of ['zoom', 'pan', 'hover']) console.log(`  ${(k + ' rAF interval').padEnd(22)} hotpath ${fmt(stats(hp[k + 'Iv']))}`);
      }
      if (against) {
        // Paired by round: this bundle's first paint over the other's, measured next to it.
        const vs = (label, a, b) => {
          if (!a.length || !b.length) return;
          const ratios = a.map((x, k) => x / b[k]).filter((x) => x === x);
          console.log(`  ${label.padEnd(22)} against ${fmt(stats(b)).padEnd(40)} this/against per round ${stats(ratios).median.toFixed(2)}x (p10 ${stats(ratios).p10.toFixed(2)}, p90 ${stats(ratios).p90.toFixed(2)})`);
        };
        vs('first paint (framed)', hp.paint, ag.paint);
        vs('first paint (drawn)', hp.drawn, ag.drawn);
        vs('first paint, CPU', hp.cpu, ag.cpu);
        vs('  of it main thread', hp.thread, ag.thread);
        if (!paintOnly) console.log(`  ${'click to zoomed frame'.padEnd(22)} against ${fmt(stats(ag.click))}`);
      }
      const ps = stats(probe);
      console.log(`  load average ${require('os').loadavg().map((x) => x.toFixed(1)).join(' ')}`);
      console.log(`  load probe (1M-element loop, ~1 ms on an idle core): ${fmt(ps)}; min ${Math.min(...probe).toFixed(1)} ms`);
    }
    // Target (issue 17): a smaller graph paints no slower than the 1,000,000-node one.
    const big = paintMedian.get(1_000_000);
    for (const [size, ms] of paintMedian) {
      if (size >= 1_000_000 || big === undefined) continue;
      const ok = ms <= big;
      if (!ok) missed++;
      console.log(`\nfirst paint (framed) ${size.toLocaleString('en-US')} nodes ${ms.toFixed(1)} ms against 1,000,000 nodes ${big.toFixed(1)} ms: no slower: ${ok ? 'PASS' : 'MISS'}`);
    }
  } finally {
    await browser.close();
  }
  if (missed) {
    console.log(`\n${missed} target(s) missed.`);
    process.exitCode = 1;
  }
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
