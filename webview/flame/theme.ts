// Reads the colours the canvas needs from CSS variables, which follow VS Code's theme inside
// the editor and fall back to light/dark defaults (prefers-color-scheme) in the HTML report.
import type { ThemeKind } from './colors';
import type { DrawOptions } from './renderer';

export function currentTheme(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-dark')) return 'dark';
  if (c.contains('vscode-light')) return 'light';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function canvasColors(el: Element, theme: ThemeKind): DrawOptions['colors'] {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const highContrast = theme === 'high-contrast' || theme === 'high-contrast-light';
  const family = v('--vscode-editor-font-family', '') || v('--vscode-font-family', '') || 'system-ui, sans-serif';
  return {
    background: v('--hp-bg', theme === 'dark' ? '#1e1e1e' : '#ffffff'),
    merged: theme === 'dark' || theme === 'high-contrast' ? '#50555c' : '#c3c9d0',
    outline: v('--hp-focus', '#0078d4'),
    foreground: v('--hp-fg', theme === 'dark' ? '#d4d4d4' : '#1f2328'),
    border: highContrast ? v('--hp-border', '#6fc3df') : null,
    font: `12px ${family}`,
  };
}

/** Calls back when VS Code switches theme (body class) or the OS scheme changes. */
export function onThemeChange(cb: () => void): void {
  new MutationObserver(cb).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', cb);
}
