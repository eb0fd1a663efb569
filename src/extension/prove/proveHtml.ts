// The prove panel as one self-contained HTML page (bundle, CSS and data inlined, nonce CSP):
// for tests in headless Chromium and for sharing a result outside VS Code. No `vscode` here.
import * as path from 'path';
import { CHARTJS_BUNDLE, inlinedPage } from '../../core/report/html';
import type { ToProveMessage } from '../../protocol/prove';

export const PROVE_BUNDLE = path.join('dist', 'webview', 'prove.js');
export const PROVE_STYLE = path.join('media', 'prove.css');

export function proveStandaloneHtml(message: ToProveMessage, title: string): string {
  return inlinedPage({ bundle: PROVE_BUNDLE, libs: [CHARTJS_BUNDLE], style: PROVE_STYLE, title, data: message });
}
