// What the two packages share (scripts/package.js: the .vsix; scripts/pack-cli.js: the npm CLI):
// a production build into a staging folder (never over the development build in dist/), and the
// README they carry, made from the repository's README.md:
// - `<!-- package:skip ... -->` ... `<!-- /package:skip -->` blocks (developer set-up) are left out;
// - `npm run hotpath -- <command>` becomes `npx hotpath <command>` (how a user of the package runs it);
// - every relative link must name a file of the repository; those files (docs/*.md, images) are
//   packaged at the same relative path, so the links work in the package, and the links of a
//   packaged Markdown file are followed the same way. A missing target fails the build;
// - a packaged Markdown file (docs/CLI.md, ...) gets the same treatment as the README.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/**
 * A clean staging folder `out/<name>`; keeps its production dist/engines/typescript.js (rebuilt by
 * esbuild.js only when the TypeScript version changes) so a repackage does not minify it again.
 */
function stage(name) {
  const dir = path.join(repo, 'out', name);
  const keep = path.join(dir, 'dist', 'engines', 'typescript.js');
  const saved = fs.existsSync(keep) ? fs.readFileSync(keep) : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  if (saved) {
    fs.mkdirSync(path.dirname(keep), { recursive: true });
    fs.writeFileSync(keep, saved);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** `node esbuild.js --production --out-root <dir> --only <targets>`: minified, no source maps. */
function buildProduction(dir, targets) {
  run(process.execPath, ['esbuild.js', '--production', '--quiet', '--out-root', dir, '--only', targets.join(',')]);
}

/** Copies repository files (relative paths) into `dir`, keeping their paths. */
function copyFiles(dir, files) {
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(path.join(repo, rel), path.join(dir, rel));
  }
}

/** Inline links and images `[t](target)` / `![a](target "title")`, and `<a href>` / `<img src>`. */
function markdownLinks(text) {
  const out = [];
  const code = /```[\s\S]*?```|`[^`\n]*`/g; // links inside code are not links
  const prose = text.replace(code, (m) => ' '.repeat(m.length));
  for (const m of prose.matchAll(/!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]);
  for (const m of prose.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)\s*=\s*"([^"]+)"/gi)) out.push(m[1]);
  for (const m of prose.matchAll(/<(https?:\/\/[^>\s]+)>/g)) out.push(m[1]);
  return out;
}

const isExternal = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function headingSlugs(text) {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const seen = new Map();
  const slugs = new Set();
  for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1].replace(/<[^>]+>/g, '').replace(/`/g, '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n ? `${base}-${n}` : base);
  }
  return slugs;
}

/** The package README: README.md without the skipped blocks, with user-facing commands. */
function packageReadmeText(source = fs.readFileSync(path.join(repo, 'README.md'), 'utf8'), name = 'README.md') {
  const open = /<!--\s*package:skip\b[\s\S]*?-->/g;
  let text = '';
  let at = 0;
  for (const m of source.matchAll(open)) {
    if (m.index < at) continue;
    const close = source.indexOf('<!-- /package:skip -->', m.index);
    if (close < 0) throw new Error(`${name}: a <!-- package:skip --> block has no <!-- /package:skip --> end`);
    text += source.slice(at, m.index);
    at = close + '<!-- /package:skip -->'.length;
  }
  text += source.slice(at);
  if (text.includes('/package:skip')) throw new Error(`${name}: a <!-- /package:skip --> end without its start`);
  return text.replace(/npm run hotpath -- /g, 'npx hotpath ').replace(/\n{3,}/g, '\n\n');
}

/**
 * The files the package README links to, followed through linked Markdown files: repository
 * paths relative to the root. Throws on a link to a file that does not exist, or outside the repo.
 */
function linkedFiles(readmeText) {
  const files = new Set();
  const queue = [{ text: readmeText, from: '' }];
  while (queue.length) {
    const { text, from } = queue.shift();
    for (const link of markdownLinks(text)) {
      if (isExternal(link) || link.startsWith('#')) continue;
      const rel = path.posix.normalize(path.posix.join(from, decodeURI(link.split('#')[0])));
      if (rel.startsWith('..') || path.posix.isAbsolute(rel)) throw new Error(`${from || 'README.md'}: the link ${link} leaves the repository`);
      if (!fs.existsSync(path.join(repo, rel)) || !fs.statSync(path.join(repo, rel)).isFile()) throw new Error(`${from || 'README.md'}: the link ${link} names no file (${rel})`);
      if (files.has(rel)) continue;
      files.add(rel);
      if (rel.endsWith('.md')) queue.push({ text: packageReadmeText(fs.readFileSync(path.join(repo, rel), 'utf8'), rel), from: path.posix.dirname(rel) });
    }
  }
  return [...files].sort();
}

/** Writes README.md and the files it links to into `dir`; returns the linked files. */
function writePackageReadme(dir) {
  const text = packageReadmeText();
  const files = linkedFiles(text);
  if (files.includes('README.md')) throw new Error('a packaged Markdown file links to README.md, which would replace the package README');
  fs.writeFileSync(path.join(dir, 'README.md'), text);
  copyFiles(dir, files.filter((f) => !f.endsWith('.md')));
  for (const f of files.filter((f) => f.endsWith('.md'))) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), packageReadmeText(fs.readFileSync(path.join(repo, f), 'utf8'), f));
  }
  return files;
}

module.exports = { repo, run, stage, buildProduction, copyFiles, markdownLinks, isExternal, headingSlugs, packageReadmeText, linkedFiles, writePackageReadme };
