// Entry of the prove panel page (esbuild target "webview" -> dist/webview/prove.js). Inside
// VS Code the data arrives as a 'show' message; in a standalone page it is embedded as JSON.
import { isProveViewState, type FromProveMessage, type ProveViewState } from '../../src/protocol/prove';
import { embeddedData } from '../embedded';
import { App, type Host } from './app';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** Read-only hooks for tests (window.hotpathProve). */
export interface HotpathProveHooks {
  state(): { kind: string; metric: string; datasets: { label: string; points: number }[]; sentence: string | null } | null;
}
declare global {
  interface Window { hotpathProve: HotpathProveHooks }
}

function createHost(): Host & { standalone: boolean } {
  const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  if (!api) return { standalone: true, post: () => undefined, loadState: () => undefined, saveState: () => undefined };
  return {
    standalone: false,
    post: (msg: FromProveMessage) => api.postMessage(msg),
    loadState: () => {
      const s = api.getState();
      return isProveViewState(s) ? s : undefined;
    },
    saveState: (state: ProveViewState) => {
      api.setState(state);
      api.postMessage({ type: 'state', state } satisfies FromProveMessage);
    },
  };
}

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add('pv');
  const host = createHost();
  const app = new App(root, host);
  window.hotpathProve = {
    state() {
      const cur = app.current;
      if (!cur) return null;
      return {
        kind: cur.view.kind,
        metric: cur.metric,
        // What the chart drew: one element per point (chart.js metadata, not the input data).
        datasets: cur.chart ? cur.chart.data.datasets.map((d, i) => ({ label: String(d.label ?? ''), points: cur.chart!.getDatasetMeta(i).data.filter((e) => !(e as unknown as { skip?: boolean }).skip).length })) : [],
        sentence: document.getElementById('pv-sentence')?.textContent ?? null,
      };
    },
  };
  window.addEventListener('message', (e: MessageEvent) => {
    try {
      app.handle(e.data);
    } catch (err) {
      app.fail(`The chart failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const data = embeddedData();
  if (data) app.handle(data);
  else host.post({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
