// The page's host: VS Code (acquireVsCodeApi present) or a standalone HTML report, where the
// data is embedded in the page and "open source" can only be shown, not performed.
import type { FlameViewState, FromWebviewMessage } from '../../src/protocol/flame';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

export interface Host {
  readonly standalone: boolean;
  post(msg: FromWebviewMessage): void;
  loadState(): FlameViewState | undefined;
  saveState(state: FlameViewState): void;
}

export function createHost(): Host {
  const api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  if (!api) {
    return { standalone: true, post: () => undefined, loadState: () => undefined, saveState: () => undefined };
  }
  return {
    standalone: false,
    post: (msg) => api.postMessage(msg),
    loadState: () => {
      const s = api.getState() as FlameViewState | undefined;
      return s && typeof s === 'object' && Number.isInteger(s.graph) ? s : undefined;
    },
    saveState: (state) => {
      api.setState(state);
      api.postMessage({ type: 'state', state } satisfies FromWebviewMessage);
    },
  };
}
