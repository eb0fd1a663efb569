// The prove panel page: benchmark history or a before/after comparison, a chart with a data
// table beside it (the same numbers, readable by keyboard and screen reader), failed runs and
// the verdict in words. Data arrives as a validated 'show' message.
import type { Chart } from 'chart.js';
import {
  parseToProve, type BenchView, type CompareView, type FromProveMessage, type HistoryView, type MetricView, type ProfileDiffView, type ProveMetric, type ProveViewState, type ToProveMessage,
} from '../../src/protocol/prove';
import { compareChart, historyChart, keyboardNavigation, palette } from './charts';
import { medianWithCI, ms, pct, pointLabel, pValue, ratio, shortTime } from './format';

export interface Host {
  post(msg: FromProveMessage): void;
  loadState(): ProveViewState | undefined;
  saveState(state: ProveViewState): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class App {
  private message: ToProveMessage | undefined;
  private state: ProveViewState | undefined;
  private chart: Chart | undefined;
  private readonly canvas: HTMLCanvasElement;
  private readonly body: HTMLElement;
  private readonly live: HTMLElement;

  constructor(root: HTMLElement, private readonly host: Host) {
    root.textContent = '';
    this.body = root.appendChild(el('div', { class: 'pv-body' }));
    this.canvas = el('canvas', { id: 'pv-canvas', tabindex: '0', role: 'img' });
    this.live = el('p', { class: 'pv-sr', 'aria-live': 'polite', id: 'pv-live' });
    keyboardNavigation(this.canvas, () => this.chart, (text) => { this.live.textContent = text; });
    new MutationObserver(() => this.render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => this.render());
    this.body.append(el('p', { class: 'pv-muted' }, 'Loading benchmark results…'));
  }

  /** Handles one message from the host; malformed ones are reported, not drawn. */
  handle(raw: unknown): void {
    const msg = parseToProve(raw);
    if (!msg) {
      if ((raw as { type?: unknown })?.type === 'show') this.fail('The benchmark data is malformed; nothing is drawn.');
      return;
    }
    this.message = msg;
    const saved = this.host.loadState();
    this.state = msg.state ?? saved ?? { source: msg.view.kind === 'history' ? { kind: 'history' } : { kind: 'compare', before: msg.view.before.id, after: msg.view.after.id } };
    if (saved && msg.state && JSON.stringify(saved.source) === JSON.stringify(msg.state.source)) this.state = { ...msg.state, ...saved };
    this.render();
    this.host.saveState(this.state);
    document.body.dataset.ready = 'true';
  }

  fail(message: string): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.body.textContent = '';
    this.body.append(el('p', { class: 'pv-error', role: 'alert' }, message));
    this.host.post({ type: 'error', message });
    document.body.dataset.ready = 'true';
  }

  get current(): { view: ToProveMessage['view']; metric: ProveMetric; chart: Chart | undefined } | undefined {
    return this.message && { view: this.message.view, metric: this.metric(), chart: this.chart };
  }

  private metric(): ProveMetric {
    return this.state?.metric ?? 'wall';
  }

  private setState(patch: Partial<ProveViewState>): void {
    if (!this.state) return;
    this.state = { ...this.state, ...patch };
    this.host.saveState(this.state);
    this.render();
  }

  private render(): void {
    if (!this.message) return;
    this.chart?.destroy();
    this.chart = undefined;
    this.body.textContent = '';
    const view = this.message.view;
    if (view.kind === 'history') this.renderHistory(view);
    else this.renderCompare(view);
  }

  private metricPicker(cpuAvailable: boolean, cpuSource: string): HTMLElement {
    const label = el('label', { class: 'pv-field' }, 'Metric ');
    const select = el('select', { id: 'pv-metric' });
    select.append(el('option', { value: 'wall' }, 'Wall time'));
    const cpu = el('option', { value: 'cpu' }, cpuAvailable ? 'CPU time (process tree, 10 ms ticks)' : `CPU time (not measured${cpuSource === 'none' ? ' on this platform' : ''})`);
    if (!cpuAvailable) cpu.setAttribute('disabled', '');
    select.append(cpu);
    select.value = this.metric();
    select.addEventListener('change', () => this.setState({ metric: select.value === 'cpu' ? 'cpu' : 'wall' }));
    label.append(select);
    return label;
  }

  private chartBox(description: string): HTMLElement {
    this.canvas.setAttribute('aria-label', `${description} Use the arrow keys to step through the points; the table below lists the same numbers.`);
    const box = el('div', { class: 'pv-chart' });
    box.append(this.canvas);
    return box;
  }

  // ---- history --------------------------------------------------------------------------

  private renderHistory(view: HistoryView): void {
    const head = this.body.appendChild(el('header', { class: 'pv-head' }));
    head.append(el('h1', {}, 'Benchmark history'));
    if (!view.series.length) {
      this.body.append(el('p', { class: 'pv-empty' }, 'No benchmark stored yet. Run "Hotpath: Benchmark Command…" to measure one.'));
      this.warnings(view.warnings);
      return;
    }
    const series = view.series.find((s) => s.command === this.state?.command) ?? view.series[0];
    const tools = head.appendChild(el('div', { class: 'pv-tools' }));
    const label = el('label', { class: 'pv-field' }, 'Command ');
    const select = el('select', { id: 'pv-command' });
    for (const s of view.series) select.append(el('option', { value: s.command }, `${s.command} (${s.points.length})`));
    select.value = series.command;
    select.addEventListener('change', () => this.setState({ command: select.value }));
    label.append(select);
    const cpuAvailable = series.points.some((p) => p.cpu);
    if (this.metric() === 'cpu' && !cpuAvailable) this.state = { ...this.state!, metric: 'wall' };
    tools.append(label, this.metricPicker(cpuAvailable, series.points[0].cpuSource));

    const metric = this.metric();
    const last = series.points[series.points.length - 1];
    const lastStats = last[metric];
    this.body.append(el('p', { class: 'pv-summary', id: 'pv-summary' },
      `${series.points.length} benchmark(s) of ${series.command}. Latest (${last.commit ? `${pointLabel(last)}, ` : ''}${shortTime(last.createdAt)}): ${lastStats ? medianWithCI(lastStats) : 'no successful run'}, n = ${last.n}${last.failed ? `, ${last.failed} failed` : ''}.${series.points.some((p) => p.dirty) ? ' * = uncommitted changes.' : ''}`));
    this.body.append(this.chartBox(`Median ${metric} time per benchmark with 95 % confidence intervals, ${series.points.length} benchmarks.`), this.live);
    this.chart = historyChart(this.canvas, series.points, metric, palette(document.body));
    this.table(['commit', 'time', 'label', 'n', 'failed', 'median', '95 % CI', 'IQR', 'range'], [...series.points].reverse().map((p) => {
      const m = p[metric];
      return [(p.commit ? pointLabel(p) : '—') + (p.ref ? ` (${p.ref})` : ''), shortTime(p.createdAt), p.label ?? '', String(p.n), String(p.failed),
        m ? ms(m.median) : 'n/a', m ? `${ms(m.lo)}–${ms(m.hi)}` : 'n/a', m ? `${ms(m.iqr)} (${ms(m.q1)}–${ms(m.q3)})` : 'n/a', m ? `${ms(m.min)}–${ms(m.max)}` : 'n/a'];
    }));
    this.failedRuns(series.points);
    this.warnings(view.warnings);
  }

  // ---- before/after ---------------------------------------------------------------------

  private renderCompare(view: CompareView): void {
    const head = this.body.appendChild(el('header', { class: 'pv-head' }));
    head.append(el('h1', {}, 'Before / after'), el('p', { class: 'pv-muted' }, view.after.command));
    const cpuAvailable = !!view.cpu;
    if (this.metric() === 'cpu' && !cpuAvailable) this.state = { ...this.state!, metric: 'wall' };
    head.appendChild(el('div', { class: 'pv-tools' })).append(this.metricPicker(cpuAvailable, view.after.cpuSource));
    const metric = this.metric();
    const c = view[metric];

    const verdict = this.body.appendChild(el('section', { class: `pv-verdict pv-${c ? c.verdict.replace(/ /g, '-') : 'inconclusive'}`, role: 'status', id: 'pv-verdict' }));
    verdict.append(el('p', { class: 'pv-sentence', id: 'pv-sentence' }, c ? c.sentence : 'No comparison: one side has no successful run.'));
    if (c) {
      const facts = verdict.appendChild(el('dl', { class: 'pv-facts' }));
      const fact = (k: string, v: string) => facts.append(el('dt', {}, k), el('dd', {}, v));
      fact('verdict', c.verdict);
      fact('ratio after / before', `${ratio(c.ratio)} (${Math.round(c.level * 100)} % CI ${ratio(c.ratioLo)}–${ratio(c.ratioHi)})`);
      fact('change', `${pct(c.changePct)} (${Math.round(c.level * 100)} % CI ${pct(c.changePctLo)} to ${pct(c.changePctHi)})`);
      fact('p-value', `${pValue(c.p)} (Mann-Whitney, ${c.method}; alpha ${c.alpha})`);
      fact('runs', `${view.before.n}+${view.after.n} successful, ${view.before.failed}+${view.after.failed} failed`);
      fact('how', view.interleaved ? 'interleaved in one session (before, after, before, …), so machine load hits both alike'
        : 'two separately stored benchmarks: machine load may have differed between them');
      if (c.reasons.length) {
        const reasons = verdict.appendChild(el('ul', { class: 'pv-reasons' }));
        for (const r of c.reasons) reasons.append(el('li', {}, r));
      }
    }
    const sides: [{ name: string; bench: BenchView; stats: MetricView | null }, { name: string; bench: BenchView; stats: MetricView | null }] = [
      { name: `before: ${view.beforeLabel}`, bench: view.before, stats: view.before[metric] },
      { name: `after: ${view.afterLabel}`, bench: view.after, stats: view.after[metric] },
    ];
    this.body.append(this.chartBox(`Every ${metric} time run of before (${view.before.n} runs) and after (${view.after.n} runs), with boxes from Q1 to Q3 and the median's 95 % interval.`), this.live);
    this.chart = compareChart(this.canvas, sides, metric, palette(document.body));
    this.table(['', 'n', 'failed', 'median', '95 % CI', 'Q1', 'Q3', 'IQR', 'min', 'max', 'outliers'], sides.map((s) => {
      const m = s.stats;
      return [s.name, String(s.bench.n), String(s.bench.failed), m ? ms(m.median) : 'n/a', m ? `${ms(m.lo)}–${ms(m.hi)}` : 'n/a',
        m ? ms(m.q1) : 'n/a', m ? ms(m.q3) : 'n/a', m ? ms(m.iqr) : 'n/a', m ? ms(m.min) : 'n/a', m ? ms(m.max) : 'n/a', m ? String(m.outliers.length) : 'n/a'];
    }));
    const runs = this.body.appendChild(el('details', { class: 'pv-runs' }));
    runs.append(el('summary', {}, 'Every run (ms, in the order they ran)'));
    for (const s of sides) runs.append(el('p', {}, `${s.name}: ${(s.stats?.values ?? []).map((v) => ms(v).replace(' ms', '')).join(', ') || 'none'}`));
    if (view.profile) this.profileSection(view.profile);
    this.failedRuns([view.before, view.after]);
  }

  /** "Where the time moved": the profiled runs' diff (recorded after the timed runs), with Open Profile Diff. */
  private profileSection(p: ProfileDiffView): void {
    const box = this.body.appendChild(el('section', { class: 'pv-profile', id: 'pv-profile', 'aria-labelledby': 'pv-profile-title' }));
    const every = p.intervalUs ? `, sampled every ${p.intervalUs / 1000} ms` : '';
    const runs = `${p.requested} profiled run${p.requested > 1 ? 's' : ''} per side${every}, recorded after the timed runs (not part of the statistics above)`;
    box.append(el('h2', { id: 'pv-profile-title' }, 'Where the time moved'), el('p', { class: 'pv-muted' }, runs));
    const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${ms(Math.abs(v))}`;
    if (p.error) {
      box.append(el('p', { class: 'pv-profile-error', id: 'pv-profile-error' }, `No profile diff: ${p.error}.`));
    } else {
      const verdict = (v: string) => (v === 'not tested' ? 'no verdict (1 run per side)' : v);
      if (p.story) box.append(el('p', { class: 'pv-profile-story', id: 'pv-profile-story', role: 'note' }, p.story));
      if (p.total) box.append(el('p', { id: 'pv-profile-total' }, `Sampled time on the threads' stacks per run (not CPU time): ${ms(p.total.before)} before, ${ms(p.total.after)} after; change ${signed(p.total.delta)} ± ${ms(p.total.margin)}: ${verdict(p.total.verdict)}.`));
      if (p.onCpu) {
        const parts = [
          p.onCpu.cpu ? `measured on CPU ${ms(p.onCpu.cpu.before)} → ${ms(p.onCpu.cpu.after)} (${signed(p.onCpu.cpu.delta)} ± ${ms(p.onCpu.cpu.margin)}: ${verdict(p.onCpu.cpu.verdict)})` : 'CPU not measured',
          ...(p.onCpu.runQueue ? [`waiting for a CPU (other load) ${ms(p.onCpu.runQueue.before)} → ${ms(p.onCpu.runQueue.after)}`] : []),
          ...(p.onCpu.waiting.before || p.onCpu.waiting.after ? [`in blocking calls (waiting, sampled) ${ms(p.onCpu.waiting.before)} → ${ms(p.onCpu.waiting.after)}`] : []),
        ];
        box.append(el('p', { id: 'pv-profile-oncpu' }, `Per run: ${parts.join('; ')}.`));
      }
      if (p.changedFiles?.length) box.append(el('p', { class: 'pv-muted', id: 'pv-profile-files' }, `Files the change touched (their functions first): ${p.changedFiles.join(', ')}.`));
      const tested = p.tested !== undefined ? ` (false discovery rate ${(p.fdr ?? 0.05) * 100} % over ${p.tested} functions tested)` : '';
      box.append(el('p', { id: 'pv-profile-lead' }, p.method === 'sampling'
        ? `1 profiled run per side: sampling error only, so no function gets a verdict; the ${p.rows.length} largest changes:`
        : p.changed || p.rows.some((r) => r.changedFile)
          ? `${p.changed} function${p.changed === 1 ? '' : 's'} changed beyond the noise${tested}${p.changed > p.rows.length ? ` (the ${p.rows.length} largest)` : ''}:`
          : `No function changed beyond the noise${tested}; the ${p.rows.length} largest changes:`));
      // A wide table scrolls in its own box; the page keeps the panel's width.
      const table = box.appendChild(el('div', { class: 'pv-scroll' })).appendChild(el('table', { class: 'pv-table pv-profile-table', id: 'pv-profile-table' }));
      const tr = table.appendChild(el('thead')).appendChild(el('tr'));
      // Key columns first (as in the profile diff): a narrow panel scrolls only to "where".
      for (const h of ['function', 'Δ ± noise', 'verdict', 'before', 'after', 'where']) tr.append(el('th', { scope: 'col' }, h));
      const body = table.appendChild(el('tbody'));
      for (const r of p.rows) {
        const row = body.appendChild(el('tr', { class: `pv-profile-${r.verdict.replace(/ /g, '-')}${r.blocking ? ' pv-profile-waiting' : ''}` }));
        const name = el('th', { scope: 'row' }, r.name);
        if (r.blocking) name.append(el('span', { class: 'pv-badge', title: 'A blocking call: time on the stack while the thread waits (not CPU time)' }, r.blocking));
        if (r.changedFile) name.append(el('span', { class: 'pv-badge', title: 'In a file the change touched' }, 'changed file'));
        const ratio = r.ratio ? ` (×${r.ratio.value.toFixed(2)}, ${r.ratio.lo.toFixed(2)}–${r.ratio.hi.toFixed(2)})` : '';
        const delta = el('td', { class: 'pv-delta' }, `${signed(r.delta)} ± ${ms(r.margin)}`);
        if (ratio) delta.append(el('span', { class: 'pv-ratio' }, ratio));
        row.append(
          name, delta, el('td', { class: 'pv-verdict-cell' }, verdict(r.verdict)),
          el('td', {}, `${ms(r.before)}${r.which === 'total' ? ' total' : ''}`), el('td', {}, ms(r.after)),
          el('td', { class: 'pv-where' }, `${r.file}${r.line ? `:${r.line}` : ''}${r.status === 'both' ? '' : ` (not sampled ${r.status === 'removed' ? 'after' : 'before'})`}`),
        );
      }
      box.append(el('p', { class: 'pv-muted', id: 'pv-profile-noise' }, `Noise: ${p.noiseLabel}.`));
    }
    if (p.notes.length) {
      const list = box.appendChild(el('ul', { class: 'pv-warnings' }));
      for (const n of p.notes) list.append(el('li', {}, n));
    }
    if (p.runs.before.length && p.runs.after.length) {
      const button = box.appendChild(el('button', { type: 'button', id: 'pv-open-diff' }, 'Open Profile Diff'));
      button.addEventListener('click', () => this.host.post({ type: 'openProfileDiff' }));
    }
  }

  // ---- shared ---------------------------------------------------------------------------

  private table(headers: string[], rows: string[][]): void {
    const table = this.body.appendChild(el('div', { class: 'pv-scroll' })).appendChild(el('table', { class: 'pv-table', id: 'pv-table' }));
    const tr = table.appendChild(el('thead')).appendChild(el('tr'));
    for (const h of headers) tr.append(el('th', { scope: 'col' }, h));
    const body = table.appendChild(el('tbody'));
    for (const r of rows) {
      const row = body.appendChild(el('tr'));
      r.forEach((cell, i) => row.append(el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, cell)));
    }
  }

  private failedRuns(benches: BenchView[]): void {
    const failed = benches.flatMap((b) => b.failedRuns.map((f) => ({ b, f })));
    if (!failed.length) return;
    const box = this.body.appendChild(el('section', { class: 'pv-failed', id: 'pv-failed' }));
    box.append(el('h2', {}, `${failed.length} failed run(s), left out of the statistics`));
    const list = box.appendChild(el('ul'));
    for (const { b, f } of failed.slice(0, 50)) list.append(el('li', {}, `${pointLabel(b)} ${shortTime(b.createdAt)}, run ${f.order + 1}: ${f.error}`));
  }

  private warnings(warnings: string[]): void {
    if (!warnings.length) return;
    const list = this.body.appendChild(el('ul', { class: 'pv-warnings' }));
    for (const w of warnings) list.append(el('li', {}, w));
  }
}
