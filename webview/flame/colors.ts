// Frame colours by category: your code warm, each dependency package its own stable cool hue,
// Node internals muted green, GC red, idle grey. Lightness varies a little per function so
// neighbouring frames stay distinguishable.
import type { CategoryKind, FlameCategory, FlameFrame } from '../../src/protocol/flame';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

interface Hsl { h: number; s: number; l: number }

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function baseColor(cat: FlameCategory | undefined): Hsl {
  const kind: CategoryKind = cat?.kind ?? 'program';
  switch (kind) {
    case 'workspace': return { h: 24, s: 85, l: 60 };
    case 'dependency': return { h: 165 + (hashString(cat?.label ?? '') % 150), s: 55, l: 62 };
    case 'node': return { h: 95, s: 28, l: 62 };
    case 'gc': return { h: 350, s: 65, l: 62 };
    case 'idle': return { h: 210, s: 8, l: 78 };
    case 'native': return { h: 48, s: 60, l: 60 };
    default: return { h: 220, s: 10, l: 66 };
  }
}

function isDark(theme: ThemeKind): boolean {
  return theme === 'dark' || theme === 'high-contrast';
}

export function categoryColor(cat: FlameCategory | undefined, theme: ThemeKind): string {
  return toCss(adjust(baseColor(cat), 0, theme));
}

function adjust(c: Hsl, jitter: number, theme: ThemeKind): Hsl {
  const l = isDark(theme) ? c.l - 22 + jitter : c.l + jitter;
  return { h: c.h, s: c.s, l: Math.max(15, Math.min(88, l)) };
}

function toCss(c: Hsl, alpha = 1): string {
  return alpha === 1 ? `hsl(${c.h} ${c.s}% ${c.l}%)` : `hsl(${c.h} ${c.s}% ${c.l}% / ${alpha})`;
}

export interface FramePalette {
  fill: string[];
  dimmed: string[];
  text: string[];
}

/** One colour per frame, computed once per graph and theme. */
export function framePalette(frames: FlameFrame[], categories: FlameCategory[], theme: ThemeKind): FramePalette {
  const fill: string[] = new Array(frames.length);
  const dimmed: string[] = new Array(frames.length);
  const text: string[] = new Array(frames.length);
  const dark = isDark(theme);
  for (let f = 0; f < frames.length; f++) {
    const fr = frames[f];
    const jitter = (hashString(fr.name + fr.file) % 9) - 4;
    const c = adjust(baseColor(categories[fr.category]), jitter, theme);
    fill[f] = toCss(c);
    dimmed[f] = toCss({ h: c.h, s: Math.round(c.s * 0.25), l: dark ? 24 : 88 });
    text[f] = c.l > 52 ? '#1b1b1b' : '#f4f4f4';
  }
  return { fill, dimmed, text };
}
