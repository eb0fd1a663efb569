// The data a self-contained page carries (HTML report, shared prove and diff pages; see
// src/core/report/html.ts inlinedPage): a JSON script block the CSP does not need to run, read
// instead of waiting for the extension's first message. One reader for all three bundles.

/** The page's embedded JSON (#hotpath-data), or undefined when there is none or it does not parse. */
export function embeddedData(): unknown {
  const text = document.getElementById('hotpath-data')?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
