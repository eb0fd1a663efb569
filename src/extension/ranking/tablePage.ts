// The ranking table page: a plain HTML table, sortable by any column, with a small inline script
// allowed by a per-load nonce (CSP default-src 'none'). Rows arrive by postMessage.
import { randomBytes } from 'crypto';
import type { FactorName, ModuleRank } from '../../core/rank/types';

export const TABLE_FACTORS: FactorName[] = ['startupImpact', 'heavyDependencies', 'memory', 'initComplexity', 'cpu'];

export interface TableRow {
  file: string;
  path: string;
  score: number;
  risk: string;
  factors: { score: number; measured: boolean; notCaptured?: boolean }[];
  patterns: string;
}

export type ToTable = { type: 'rows'; rows: TableRow[]; note: string };
export type FromTable = { type: 'open'; path: string } | { type: 'ready' };

export function isFromTable(m: unknown): m is FromTable {
  const x = m as FromTable;
  return !!x && (x.type === 'ready' || (x.type === 'open' && typeof x.path === 'string'));
}

export function toRow(m: ModuleRank): TableRow {
  return {
    // Listed with hotpath.ranking.includeAll: a test, example... says so beside its name.
    file: m.role && m.role !== 'product' ? `${m.file} [${m.role}]` : m.file, path: m.path, score: m.score, risk: m.risk,
    factors: TABLE_FACTORS.map((n) => ({ score: m.factors[n].score, measured: m.factors[n].measured, ...(m.factors[n].notCaptured ? { notCaptured: true } : {}) })),
    patterns: m.patterns.map((p) => `${p.kind} (${p.sites.map((s) => s.line).join(', ')})`).join('; '),
  };
}

const SCRIPT = `
const vscode = acquireVsCodeApi();
const RISK = { low: 0, medium: 1, high: 2 };
let rows = [];
let sort = (vscode.getState() || {}).sort || { col: 1, desc: true };
const key = (r, col) => col === 0 ? r.file : col === 1 ? r.score : col === 2 ? RISK[r.risk] : col === 8 ? r.patterns : r.factors[col - 3].score;
function render() {
  const body = document.getElementById('rows');
  body.textContent = '';
  const sorted = [...rows].sort((a, b) => {
    const x = key(a, sort.col), y = key(b, sort.col);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return sort.desc ? -c : c;
  });
  for (const r of sorted) {
    const tr = document.createElement('tr');
    const file = document.createElement('td');
    const a = document.createElement('a');
    a.href = '#';
    a.textContent = r.file;
    a.addEventListener('click', (e) => { e.preventDefault(); vscode.postMessage({ type: 'open', path: r.path }); });
    file.appendChild(a);
    tr.appendChild(file);
    const cells = [r.score.toFixed(1), r.risk, ...r.factors.map((f) => (f.notCaptured ? 'not captured' : f.score.toFixed(1) + (f.measured ? ' *' : ''))), r.patterns];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (i !== 1 && i !== cells.length - 1) td.className = 'num';
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  document.querySelectorAll('th').forEach((th, i) => th.setAttribute('aria-sort', i === sort.col ? (sort.desc ? 'descending' : 'ascending') : 'none'));
}
document.querySelectorAll('th').forEach((th, i) => th.addEventListener('click', () => {
  sort = { col: i, desc: sort.col === i ? !sort.desc : i !== 0 };
  vscode.setState({ sort });
  render();
}));
window.addEventListener('message', (e) => {
  const m = e.data;
  if (!m || m.type !== 'rows' || !Array.isArray(m.rows)) return;
  rows = m.rows;
  document.getElementById('note').textContent = m.note;
  render();
});
vscode.postMessage({ type: 'ready' });
`;

export function tableHtml(cspSource: string): string {
  const nonce = randomBytes(16).toString('hex');
  const head = ['Module', 'Score', 'Risk', 'Startup', 'Dependencies', 'Memory', 'Init', 'CPU', 'Recommended (lines)'];
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hotpath ranking</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border); text-align: left; }
th { cursor: pointer; user-select: none; position: sticky; top: 0; background: var(--vscode-editor-background); }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
/* Narrow panels: a long module path wraps (at any character) instead of pushing score and risk off screen. */
td:first-child { max-width: 45vw; overflow-wrap: anywhere; }
a { color: var(--vscode-textLink-foreground); }
#note { color: var(--vscode-descriptionForeground); }
</style></head><body data-hotpath-page="ranking">
<p id="note"></p>
<table><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody id="rows"></tbody></table>
<script nonce="${nonce}">${SCRIPT}</script>
</body></html>`;
}
