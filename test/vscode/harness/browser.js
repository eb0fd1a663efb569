// Debian Chromium driven by playwright-core (no browser download is possible on these machines).
// Launched as a server so the harness holds the process and can kill it if it wedges; Playwright
// gives each launch a fresh temporary profile.
'use strict';
const { chromium } = require('playwright-core');

async function launchBrowser(executablePath) {
  const server = await chromium.launchServer({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    timeout: 60_000,
  });
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    pid: server.process().pid,
    newPage: async () => (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage(),
    async close() {
      const graceful = Promise.all([browser.close().catch(() => {}), server.close().catch(() => {})]);
      const timedOut = await Promise.race([graceful.then(() => false), new Promise((r) => setTimeout(() => r(true), 5000))]);
      if (timedOut) await server.kill().catch(() => {});
    },
  };
}

module.exports = { launchBrowser };
