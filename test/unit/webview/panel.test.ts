// The panel page as VS Code serves it (webviewHtml + nonce CSP), with a stand-in for
// acquireVsCodeApi: the ready -> init handshake, openSource on click, state saved with
// setState + {type:'state'} and restored, malformed messages ignored.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, webviewHtml } from '../../../src/core/report/html';
import type { FlameGraphData } from '../../../src/protocol/flame';
import { profileFixture } from './realProfile';
import { buildOnly } from '../build';

const ROOT = path.resolve(__dirname, '../../..');
const RESULTS = path.join(ROOT, 'test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Posted { type: string; path?: string; line?: number; state?: { inverted?: boolean; graph: number } }

describe('flame panel page with a VS Code host stand-in', function () {
  this.timeout(120_000);
  let browser: Browser;
  let graph: FlameGraphData;
  let pageFile: string;

  before(async () => {
    buildOnly('webview');
    graph = profileFixture();
    fs.mkdirSync(RESULTS, { recursive: true });
    pageFile = path.join(RESULTS, 'flame-panel.html');
    fs.writeFileSync(pageFile, webviewHtml({
      scriptUri: pathToFileURL(path.join(ROOT, 'dist/webview/flame.js')).href,
      styleUri: pathToFileURL(path.join(ROOT, 'media/flame.css')).href,
      nonce: makeNonce(), cspSource: 'file:', title: 'Hotpath', page: 'flame',
    }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  });

  after(async () => { await browser?.close(); });

  /** Opens the page with a fake VS Code API holding `saved` as the persisted state. */
  async function openPage(saved: unknown): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    // A string, not a function: tsx would wrap named arrows in a helper the page does not have.
    await page.addInitScript(`window.__posted = []; window.__state = ${JSON.stringify(saved ?? null)} ?? undefined;
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`);
    await page.goto(pathToFileURL(pageFile).href);
    await page.waitForFunction(() => (globalThis as any).__posted.some((m: Posted) => m.type === 'ready')); // eslint-disable-line @typescript-eslint/no-explicit-any
    return page;
  }

  const posted = (page: Page): Promise<Posted[]> => page.evaluate(() => (globalThis as any).__posted); // eslint-disable-line @typescript-eslint/no-explicit-any
  const send = (page: Page, msg: unknown) => page.evaluate((m) => (globalThis as any).postMessage(m, '*'), msg); // eslint-disable-line @typescript-eslint/no-explicit-any

  it('ignores malformed messages, draws on init, posts openSource and state', async () => {
    const page = await openPage(undefined);
    await send(page, { type: 'init', graphs: 'not an array' });
    await send(page, { type: 'bogus' });
    await page.waitForTimeout(100);
    assert.equal(await page.getAttribute('body', 'data-ready'), null);

    await send(page, { type: 'init', graphs: [graph] });
    await page.waitForSelector('body[data-ready="true"]');
    assert.match((await page.textContent('#summary'))!, /^hotLoop: /);
    assert.equal(await page.isVisible('#hp-live'), false, 'no live series: no "Live metrics" button');

    const frames: { name: string; x: number; y: number; w: number; h: number }[] = await page.evaluate(() => (globalThis as any).hotpathFlame.visibleFrames()); // eslint-disable-line @typescript-eslint/no-explicit-any
    const warm = frames.find((f) => f.name === 'warmLoop')!;
    const box = (await page.locator('canvas.hp-flame').boundingBox())!;
    await page.mouse.click(box.x + warm.x + warm.w / 2, box.y + warm.y + warm.h / 2);
    const source = (await posted(page)).find((m) => m.type === 'openSource');
    assert.ok(source, 'openSource was posted');
    assert.equal(source.path, path.join(__dirname, 'fixture', 'hot.js'));
    assert.equal(source.line, 10);

    // The editor asks to reveal a line inside hotLoop (lines 3-8 of the fixture); warmLoop is selected now.
    await send(page, { type: 'revealFrame', path: path.join(__dirname, 'fixture', 'hot.js'), line: 5 });
    await page.waitForFunction(() => (globalThis as any).hotpathFlame.state().selected.name === 'hotLoop'); // eslint-disable-line @typescript-eslint/no-explicit-any

    await page.check('#hp-inverted');
    await page.waitForFunction(() => (globalThis as any).__posted.some((m: Posted) => m.type === 'state' && m.state?.inverted === true)); // eslint-disable-line @typescript-eslint/no-explicit-any
    const saved = await page.evaluate(() => (globalThis as any).__state); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(saved.inverted, true);
    await page.close();

    // A reload (hidden panel shown again) restores the view from getState. This run kept a live
    // series: "Live metrics" asks the extension to open it.
    const again = await openPage(saved);
    await send(again, { type: 'init', graphs: [graph], liveSeries: true });
    await again.waitForSelector('body[data-ready="true"]');
    await again.click('#hp-live');
    await again.waitForFunction(() => (globalThis as any).__posted.some((m: Posted) => m.type === 'showLive')); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(await again.isChecked('#hp-inverted'), true);
    assert.equal((await again.evaluate(() => (globalThis as any).hotpathFlame.state())).inverted, true); // eslint-disable-line @typescript-eslint/no-explicit-any
    await again.close();
  });
});
