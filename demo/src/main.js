// Demo target for Hotpath: a report generator with three deliberate performance problems.
//  1. a heavy dependency loaded at top level but used only by the rarely used --check flag
//  2. repeated pure work (slugify of the same titles again and again)
//  3. allocation churn in a hot loop (a fresh point object per step)
// It also starts a child Node process, to show that every process is profiled.
const { spawnSync } = require('child_process');
const path = require('path');
const ts = require('typescript');
const { slugify } = require('./text');
const { simulate } = require('./geometry');

function checkConfig(source) {
  const result = ts.transpileModule(source, { reportDiagnostics: true });
  return result.diagnostics ? result.diagnostics.length : 0;
}

function buildIndex(titles, rounds) {
  const index = new Map();
  for (let r = 0; r < rounds; r++) {
    for (const title of titles) {
      const slug = slugify(title);
      index.set(slug, (index.get(slug) || 0) + 1);
    }
  }
  return index;
}

function main() {
  if (process.argv.includes('--check')) {
    console.log('config diagnostics:', checkConfig('const x: number = 1;'));
    return;
  }
  const titles = [];
  for (let i = 0; i < 200; i++) titles.push(`Quarterly Report ${i % 40}: Revenue & Growth (Draft ${i % 7})`);
  const index = buildIndex(titles, 250);
  const distance = simulate(300000);
  const child = spawnSync(process.execPath, [path.join(__dirname, 'stats.js')], { encoding: 'utf8' });
  console.log(`indexed ${index.size} slugs; path length ${distance.toFixed(1)}; ${child.stdout.trim()}`);
}

main();
