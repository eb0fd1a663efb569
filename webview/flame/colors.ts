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

/** Hex, because the canvas parses fillStyle on every assignment and hex parses fastest. */
function toCss(c: Hsl): string {
  const s = c.s / 100;
  const l = c.l / 100;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + c.h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** Colours per frame, computed on first use: a profile can have 100,000 frames, few drawn. */
export class FramePalette {
  private fills: string[] = [];
  private dims: string[] = [];
  private texts: string[] = [];
  private readonly dark: boolean;

  constructor(private frames: FlameFrame[], private categories: FlameCategory[], private theme: ThemeKind) {
    this.dark = isDark(theme);
  }

  fill(f: number): string {
    return this.fills[f] ?? this.compute(f, 0);
  }

  dimmed(f: number): string {
    return this.dims[f] ?? this.compute(f, 1);
  }

  text(f: number): string {
    return this.texts[f] ?? this.compute(f, 2);
  }

  private compute(f: number, which: 0 | 1 | 2): string {
    const fr = this.frames[f];
    const jitter = (hashString(fr.name + fr.file) % 9) - 4;
    const c = adjust(baseColor(this.categories[fr.category]), jitter, this.theme);
    this.fills[f] = toCss(c);
    this.dims[f] = toCss({ h: c.h, s: Math.round(c.s * 0.25), l: this.dark ? 24 : 88 });
    this.texts[f] = c.l > 52 ? '#1b1b1b' : '#f4f4f4';
    return which === 0 ? this.fills[f] : which === 1 ? this.dims[f] : this.texts[f];
  }
}
