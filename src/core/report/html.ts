// HTML around the flame graph webview bundle: the standalone report (one self-contained file,
// data embedded) and the page the VS Code panel loads (script and style by URI, nonce CSP).
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import type { FlameGraphData, ToWebviewMessage } from '../../protocol/flame';
import { summaryHtml } from './summaryHtml';

export interface HtmlReportInput {
  title: string;
  graphs: FlameGraphData[];
  /** Run summary (CLI --json output); shown folded under the title. */
  summary?: unknown;
}

export interface WebviewHtmlInput {
  scriptUri: string;
  styleUri: string;
  nonce: string;
  cspSource: string;
  title: string;
  /** Which page this is ('flame', 'prove', 'leaks', 'live', 'diff'; the ranking table and error pages say 'ranking' and 'error'): `<body data-hotpath-page>`, how UI tests tell the panels apart. */
  page: string;
  /** Scripts that run before the bundle (dist/webview/chartjs.js for the pages that chart). */
  libUris?: string[];
}

const BUNDLE = path.join('dist', 'webview', 'flame.js');
/** chart.js, shared by the pages that chart (esbuild.js: sharedChartJs); loaded before their bundle. */
export const CHARTJS_BUNDLE = path.join('dist', 'webview', 'chartjs.js');
const STYLE = path.join('media', 'flame.css');

/**
 * Finds a file of the extension from this module's folder: dist/ when bundled (cli.js,
 * extension.js), src/core/report/ when run through tsx. Walks up until it is found.
 */
export function locateAsset(relative: string, from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const hint = relative === BUNDLE ? ' Build it with `node esbuild.js --only webview`.' : '';
  throw new Error(`Cannot find ${relative} near ${from}.${hint}`);
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** For text and double-quoted attributes (single quotes stay readable in the CSP). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** JSON that cannot close its <script> element or start a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The start of both pages, up to the open <head>'s shared tags: CSP first, before anything loads. */
export function pageHead(csp: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>`;
}

/** The page of the VS Code panel; the data then arrives as an 'init' message. */
export function webviewHtml(o: WebviewHtmlInput): string {
  const csp = `default-src 'none'; script-src 'nonce-${o.nonce}'; style-src ${o.cspSource} 'nonce-${o.nonce}'; img-src ${o.cspSource} data:`;
  return `${pageHead(csp, o.title)}
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}" nonce="${o.nonce}">
</head>
<body data-hotpath-page="${escapeHtml(o.page)}">
<div id="app"></div>
${(o.libUris ?? []).map((u) => `<script nonce="${o.nonce}" src="${escapeHtml(u)}"></script>\n`).join('')}<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** Where a page is written: into a string (small pages) or a file, piece by piece. */
type Sink = (text: string) => void;

/** The escapes of scriptJson, for one piece of JSON text. */
const escapeScriptJson = (text: string) => text.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Elements per piece when an array of plain values is written. */
const BATCH = 65_536;

/**
 * The text of scriptJson(value), written in pieces: arrays element by element in batches, objects
 * key by key. A flame graph of millions of nodes never becomes one string (a JS string stops near
 * 512 MB: "Invalid string length").
 */
export function writeScriptJson(value: unknown, write: Sink): void {
  if (Array.isArray(value)) {
    write('[');
    for (let i = 0; i < value.length; i += BATCH) {
      const end = Math.min(value.length, i + BATCH);
      let plain = true;
      for (let k = i; k < end && plain; k++) plain = typeof value[k] !== 'object' || value[k] === null;
      if (i > 0) write(',');
      if (plain) write(escapeScriptJson(JSON.stringify(value.slice(i, end)).slice(1, -1)));
      else {
        for (let k = i; k < end; k++) {
          if (k > i) write(',');
          const v = value[k];
          if (v === undefined || typeof v === 'function' || typeof v === 'symbol') write('null');
          else writeScriptJson(v, write);
        }
      }
    }
    write(']');
    return;
  }
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    write('{');
    let first = true;
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      write(`${first ? '' : ','}${escapeScriptJson(JSON.stringify(k))}:`);
      first = false;
      writeScriptJson(v, write);
    }
    write('}');
    return;
  }
  write(escapeScriptJson(JSON.stringify(value) ?? 'null'));
}

interface PageInput { bundle: string; style: string; title: string; data: unknown; extraHead?: string; appHtml?: string; /** Bundles inlined before `bundle` (CHARTJS_BUNDLE). */ libs?: string[] }

/** The page of inlinedPage, written to `write` (the data in pieces, see writeScriptJson). */
function writePage(o: PageInput, write: Sink, onData?: (start: boolean) => void): void {
  const script = [...(o.libs ?? []), o.bundle].map((b) => fs.readFileSync(locateAsset(b), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '')).join(';\n');
  const style = fs.readFileSync(locateAsset(o.style), 'utf8');
  const nonce = makeNonce();
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:`;
  write(`${pageHead(csp, o.title)}${o.extraHead ?? ''}
<style nonce="${nonce}">${style.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body>
<div id="app">${o.appHtml ?? ''}</div>
<script type="application/json" id="hotpath-data">`);
  onData?.(true);
  writeScriptJson(o.data, write);
  onData?.(false);
  write(`</script>
<script nonce="${nonce}">${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`);
}

/**
 * One self-contained HTML page: a webview bundle and its CSS inlined with a nonce CSP, the data as
 * JSON in #hotpath-data (which the page reads instead of waiting for an 'init' message); works from
 * file:// with no network. `extraHead`/`appHtml` are trusted HTML built by the caller.
 */
export function inlinedPage(o: PageInput): string {
  const parts: string[] = [];
  writePage(o, (t) => parts.push(t));
  return parts.join('');
}

function reportPage(input: HtmlReportInput): PageInput {
  const message: ToWebviewMessage = { type: 'init', graphs: input.graphs };
  const summary = input.summary === undefined ? '' : `<details class="hp-run-summary"><summary>Run summary</summary>${summaryHtml(input.summary)}</details>`;
  const kinds = input.graphs.map((g) => g.title).join(' · ');
  return {
    bundle: BUNDLE, style: STYLE, title: input.title, data: message,
    extraHead: '\n<meta name="generator" content="Hotpath">',
    appHtml: `<div class="hp-report-head"><h1>${escapeHtml(input.title)}</h1><span class="hp-meta">${escapeHtml(kinds)}</span>${summary}</div>`,
  };
}

/** One self-contained HTML file: bundle, CSS and data inlined; works from file:// with no network. */
export function renderHtmlReport(input: HtmlReportInput): string {
  return inlinedPage(reportPage(input));
}

/**
 * The longest data a browser can read: the page reads #hotpath-data as one string, and Chromium's
 * (V8's) strings stop at 2^29 - 24 characters (Firefox: 2^30 - 2).
 */
export const MAX_REPORT_DATA_CHARS = 2 ** 29 - 24;

export class ReportTooLargeError extends Error {
  constructor(readonly dataChars: number) {
    super(`the report's data reached ${(dataChars / 1e6).toFixed(0)} MB, more than a browser can read (${(MAX_REPORT_DATA_CHARS / 1e6).toFixed(0)} MB of text)`);
    this.name = 'ReportTooLargeError';
  }
}

/**
 * Writes renderHtmlReport's page to `file` piece by piece (never one string of the whole page).
 * When the data passes `maxDataChars` the file is removed and ReportTooLargeError thrown.
 * Returns the length of the data written.
 */
export function writeHtmlReport(file: string, input: HtmlReportInput, maxDataChars = MAX_REPORT_DATA_CHARS): { dataChars: number } {
  const fd = fs.openSync(file, 'w');
  let pending: string[] = [];
  let pendingChars = 0;
  let inData = false;
  let dataChars = 0;
  const flush = () => {
    if (pending.length) fs.writeSync(fd, pending.join(''));
    pending = [];
    pendingChars = 0;
  };
  try {
    writePage(reportPage(input), (text) => {
      if (inData) {
        dataChars += text.length;
        if (dataChars > maxDataChars) throw new ReportTooLargeError(dataChars);
      }
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars >= 4_000_000) flush();
    }, (start) => { inData = start; });
    flush();
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return { dataChars };
}
