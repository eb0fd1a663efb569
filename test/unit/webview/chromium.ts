// Headless Chromium for the page tests (flame report, prove page, diff page): one launch and one
// way to open a self-contained page and collect what went wrong on it (page errors, and what the
// nonce-only CSP refused: an inline style, eval).
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../../..');
/** Where the tests leave their pages and screenshots for people to look at. */
export const RESULTS = path.join(ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package.`);
  fs.mkdirSync(RESULTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * Opens `file` and waits until the page says it is ready (body[data-ready]). `errors` keeps
 * collecting after the return, so a test can check it again after interacting.
 */
export async function openPage(browser: Browser, file: string, viewport: { width: number; height: number }, scheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport, colorScheme: scheme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text()); });
  await page.goto('file://' + file);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return { page, errors };
}
