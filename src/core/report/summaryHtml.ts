// The report's "Run summary" as a reader sees it: the sampled and measured time, then tables of
// the top functions, modules and allocation sites, then the notes. Not raw JSON. A summary of
// another shape (older callers) falls back to the JSON, formatted.
import type { ProfileSummary } from '../profile/types';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function ms(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 10) return `${v.toFixed(0)} ms`;
  return `${v.toFixed(1)} ms`;
}

function bytes(v: number): string {
  if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MB`;
  if (v >= 1024) return `${(v / 1024).toFixed(0)} KB`;
  return `${v} B`;
}

function table(head: string[], rows: string[][]): string {
  if (!rows.length) return '';
  const th = head.map((h, i) => `<th${i ? ' class="hp-num"' : ''}>${esc(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${i && i < r.length - 1 ? ' class="hp-num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table class="hp-summary-table"><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

function isSummary(s: unknown): s is ProfileSummary {
  const o = s as Partial<ProfileSummary> | null;
  return !!o && typeof o === 'object' && typeof o.cpuMs === 'number' && Array.isArray(o.topFunctions) && Array.isArray(o.modules) && Array.isArray(o.notes);
}

/** The inside of the report's "Run summary" details element. */
export function summaryHtml(summary: unknown, top = 10): string {
  if (!isSummary(summary)) return `<pre>${esc(JSON.stringify(summary, null, 2))}</pre>`;
  const s = summary;
  const parts: string[] = [];
  const facts = [`${ms(s.cpuMs)} sampled time on the threads' stacks (${s.samples.toLocaleString('en-US')} samples; not CPU time)`];
  if (s.waitingMs) facts.push(`${ms(s.waitingMs)} of it waiting in blocking calls`);
  if (s.measured) facts.push(`measured CPU ${ms(s.measured.cpuMs)} over ${ms(s.measured.wallMs)} wall`);
  else if (s.measured === null) facts.push('CPU time not measured');
  parts.push(`<p>${esc(facts.join('; '))}.</p>`);
  const loc = (f: { file: string; line?: number }) => (f.line ? `${f.file}:${f.line}` : f.file);
  parts.push(table(['Function', 'Self', 'Total', 'Samples', 'Location'],
    s.topFunctions.slice(0, top).map((f) => [f.name || '(anonymous)', ms(f.selfMs), ms(f.totalMs), String(f.samples), loc(f)])));
  if (s.modules.length) {
    const from = s.modulesSource === 'imports' ? 'measured load time' : 'module frames of the CPU profile';
    parts.push(`<p>Modules (${esc(from)}):</p>`);
    parts.push(table(['Module', 'Self', 'Total', 'File'],
      s.modules.slice(0, top).map((m) => [m.name, m.notMeasured ? `≥ ${ms(m.selfMs)}` : ms(m.selfMs), m.notMeasured ? `≥ ${ms(m.totalMs)}` : ms(m.totalMs), m.file])));
  }
  if (s.allocations.length) {
    parts.push('<p>Allocation sites (sampled bytes):</p>');
    parts.push(table(['Function', 'Bytes', 'Location'], s.allocations.slice(0, top).map((a) => [a.name || '(anonymous)', bytes(a.bytes), loc(a)])));
  }
  if (s.notes.length) parts.push(`<ul class="hp-summary-notes">${s.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  return `<div class="hp-summary-body">${parts.join('')}</div>`;
}
