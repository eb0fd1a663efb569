// The profile diff panel as one self-contained HTML page (bundle, CSS and data inlined, nonce CSP):
// for tests in headless Chromium and for sharing a diff outside VS Code. No `vscode` here.
import * as fs from 'fs';
import * as path from 'path';
import { locateAsset, makeNonce, pageHead, scriptJson } from '../../core/report/html';
import type { ToDiffMessage } from '../../protocol/diff';

export const DIFF_BUNDLE = path.join('dist', 'webview', 'diff.js');
export const DIFF_STYLE = path.join('media', 'diff.css');

export function diffStandaloneHtml(message: ToDiffMessage, title: string): string {
  const script = fs.readFileSync(locateAsset(DIFF_BUNDLE), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '');
  const style = fs.readFileSync(locateAsset(DIFF_STYLE), 'utf8');
  const nonce = makeNonce();
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:`;
  return `${pageHead(csp, title)}
<style nonce="${nonce}">${style.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="hotpath-data">${scriptJson(message)}</script>
<script nonce="${nonce}">${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
