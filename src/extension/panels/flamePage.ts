// The flame panel's page: the shared template from core/report with this webview's URIs and a
// fresh nonce, and the only folders the page may load from.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { webviewHtml } from '../../core/report/html';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // State is restored from getState/setState instead of keeping hidden panels alive.
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function flamePageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'flame.js');
  // esbuild emits flame.css only when the webview imports CSS; media/ holds a hand-written fallback.
  const builtStyle = vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'flame.css');
  const style = fs.existsSync(builtStyle.fsPath) ? builtStyle : vscode.Uri.joinPath(extensionUri, 'media', 'flame.css');
  return webviewHtml({
    scriptUri: webview.asWebviewUri(script).toString(),
    styleUri: webview.asWebviewUri(style).toString(),
    nonce: randomBytes(16).toString('hex'),
    cspSource: webview.cspSource,
    title,
    page: 'flame',
  });
}

/** A script-free page that says why there is no flame graph. */
export function errorPage(webview: vscode.Webview, message: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline';">
<title>Hotpath</title></head>
<body data-hotpath-page="error" style="font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 1em 2em">
<h2>No flame graph</h2><p role="alert">${text}</p></body></html>`;
}

/**
 * A panel page of the extension's own bundle and style (`dist/webview/<name>.js`,
 * `media/<name>.css`) set into `panel`, with the options above; what the diff and leaks panels
 * share.
 */
export function setPanelPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, name: string, libs: string[] = []): void {
  panel.webview.options = webviewOptions(extensionUri);
  panel.webview.html = webviewHtml({
    scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${name}.js`)).toString(),
    libUris: libs.map((l) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${l}.js`)).toString()),
    styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${name}.css`)).toString(),
    nonce: randomBytes(16).toString('hex'),
    cspSource: panel.webview.cspSource,
    title: panel.title,
    page: name,
  });
}
