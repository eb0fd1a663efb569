// The report and panel HTML: self-contained, CSP with a nonce, data that cannot break out of
// its script element.
import { strict as assert } from 'assert';
import * as path from 'path';
import { locateAsset, renderHtmlReport, webviewHtml } from '../../../src/core/report/html';
import { smallGraph } from './synthetic';
import { buildOnly } from '../build';

const ROOT = path.resolve(__dirname, '../../..');

describe('flame report HTML', function () {
  this.timeout(60_000);
  before(() => buildOnly('webview'));

  it('finds the bundle from src/ (tsx) and from dist/ (bundled)', () => {
    assert.equal(locateAsset(path.join('dist', 'webview', 'flame.js')), path.join(ROOT, 'dist/webview/flame.js'));
    assert.equal(locateAsset(path.join('media', 'flame.css'), path.join(ROOT, 'dist')), path.join(ROOT, 'media/flame.css'));
    assert.throws(() => locateAsset(path.join('dist', 'webview', 'flame.js'), '/'), /node esbuild\.js --only webview/);
  });

  it('inlines script, style and data into one file with a nonce CSP', () => {
    const g = smallGraph();
    g.frames[2].name = '</script><img src=x onerror=alert(1)>';
    const html = renderHtmlReport({ title: 'T <b>', graphs: [g], summary: { wallMs: 12 } });
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(html)![1];
    assert.ok(nonce.length >= 16);
    assert.equal((html.match(/<\/script>/g) ?? []).length, 2, 'only the two real script elements close');
    assert.ok(!/\s(src|href)=/.test(html.replace(/\\u003c[^"]*/g, '')), 'no external resources');
    assert.ok(html.includes('T &lt;b&gt;'));
    assert.ok(html.includes(`<style nonce="${nonce}">`) && html.includes(`<script nonce="${nonce}">`));
    const data = JSON.parse(/<script type="application\/json" id="hotpath-data">(.*?)<\/script>/s.exec(html)![1]);
    assert.equal(data.graphs[0].frames[2].name, g.frames[2].name);
  });

  it('builds the panel page with the given URIs and CSP', () => {
    const html = webviewHtml({ scriptUri: 'vscode-resource://x/flame.js', styleUri: 'vscode-resource://x/flame.css', nonce: 'abc123', cspSource: 'vscode-resource:', title: 'Hotpath', page: 'flame' });
    assert.ok(html.includes('<body data-hotpath-page="flame">'), 'the page names its kind (UI tests tell the panels apart by it)');
    assert.ok(html.includes(`content="default-src 'none'; script-src 'nonce-abc123'; style-src vscode-resource: 'nonce-abc123'; img-src vscode-resource: data:"`));
    assert.ok(html.includes('<script nonce="abc123" src="vscode-resource://x/flame.js"></script>'));
    assert.ok(html.includes('<div id="app"></div>'));
  });
});
