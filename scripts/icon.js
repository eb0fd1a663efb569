// Draws the extension icon, media/icon.png (256 x 256), from the SVG below with the Chromium
// the tests use (/usr/bin/chromium, or CHROMIUM=<path>). Our own drawing: a flame made of
// flame-graph bars (the widest at the bottom, as a flame graph's roots are) rising to a tip,
// and a check-mark ("and proves it") on a dark rounded square. Run: node scripts/icon.js
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const SIZE = 256;
// Bars of a flame graph, bottom up: per row, [x, width] on a 256 grid; each row is hotter, and the
// stacks narrow unevenly, as a real program's do.
const rows = [[[36, 184]], [[36, 126], [166, 54]], [[44, 104], [166, 40]], [[52, 82], [172, 22]], [[60, 56]], [[66, 34]], [[72, 16]]];
const colours = ['#b3261e', '#d9381e', '#ec5a1c', '#f57f17', '#f9a825', '#fbc02d', '#fde68a'];
const barH = 22;
const gap = 4;
const base = 214;
const bars = rows.flatMap((row, i) => row.map(([x, w]) => {
  const y = base - (i + 1) * barH - i * gap;
  return `<rect x="${x}" y="${y}" width="${w}" height="${barH}" rx="4" fill="${colours[i]}"/>`;
})).join('\n  ');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 256 256">
  <rect x="8" y="8" width="240" height="240" rx="44" fill="#1e2430"/>
  ${bars}
  <circle cx="184" cy="72" r="36" fill="#2e7d32" stroke="#1e2430" stroke-width="6"/>
  <path d="M165 72 l13 14 l25 -27" fill="none" stroke="#ffffff" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

async function main() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const out = path.join(__dirname, '..', 'media', 'icon.png');
    await page.locator('svg').screenshot({ path: out, omitBackground: true });
    console.log(`wrote ${path.relative(process.cwd(), out)} (${fs.statSync(out).size} bytes)`);
  } finally {
    await browser.close();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
