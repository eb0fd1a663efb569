// Entry of the flame graph page (esbuild target "webview" -> dist/webview/flame.js).
// Inside VS Code the data arrives as an 'init' message; in the HTML report it is embedded.
import { App } from './app';
import { installTestHooks } from './hooks';
import { embeddedData } from '../embedded';
import { createHost } from './host';

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add('hp');
  const host = createHost();
  const app = new App(root, host);
  installTestHooks(app);
  window.addEventListener('message', (e: MessageEvent) => {
    try {
      app.handle(e.data);
    } catch (err) {
      host.post({ type: 'error', message: `Flame graph failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
  const embedded = embeddedData();
  if (embedded) app.handle(embedded);
  else host.post({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
