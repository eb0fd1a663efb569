// The profile diff panel as one self-contained HTML page (bundle, CSS and data inlined, nonce CSP):
// for tests in headless Chromium and for sharing a diff outside VS Code. No `vscode` here.
import * as path from 'path';
import { inlinedPage } from '../../core/report/html';
import type { ToDiffMessage } from '../../protocol/diff';

export const DIFF_BUNDLE = path.join('dist', 'webview', 'diff.js');
export const DIFF_STYLE = path.join('media', 'diff.css');

export function diffStandaloneHtml(message: ToDiffMessage, title: string): string {
  return inlinedPage({ bundle: DIFF_BUNDLE, style: DIFF_STYLE, title, data: message });
}
