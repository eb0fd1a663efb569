// Frame colours by category: your code warm orange, Node internals muted green, native yellow,
// GC red, idle and program grey, waiting in a blocking call slate blue and hatched, code outside the workspace a neutral grey-blue, and each
// dependency package one of a few well-separated cool hues (teal to magenta, away from the fixed
// kinds' hues). A package's hue comes from its name; when two packages of a graph want the same
// one, the heavier keeps it and the lighter takes the next free one. Lightness varies a little
// per function so neighbouring frames stay distinguishable.
import type { CategoryKind, FlameCategory, FlameFrame } from '../../src/protocol/flame';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

interface Hsl { h: number; s: number; l: number }

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Package hues: 30 degrees apart and at least 38 from orange (24), yellow (48), green (95) and red (350). */
export const PACKAGE_HUES = [165, 192, 222, 252, 282, 312];
/** Lightness offsets: every hue at the base lightness first, then a lighter variant. */
const PACKAGE_SHADES = [0, 11];
export const PACKAGE_SLOTS = PACKAGE_HUES.length * PACKAGE_SHADES.length;
const OUTSIDE_WORKSPACE = '(outside workspace)';

/** The slot a package name asks for: always one at the base lightness. */
export function preferredSlot(label: string): number {
  return hashString(label) % PACKAGE_HUES.length;
}

/**
 * Colour slots for packages given heaviest first: each takes its preferred slot when free,
 * else the next free hue at the base lightness, else any free slot; past PACKAGE_SLOTS they share.
 */
export function assignPackageSlots(labels: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const taken = new Uint8Array(PACKAGE_SLOTS);
  for (const label of labels) {
    if (out.has(label)) continue;
    const want = preferredSlot(label);
    let slot = -1;
    for (let k = 0; k < PACKAGE_SLOTS && slot < 0; k++) {
      const s = (want + k) % PACKAGE_SLOTS;
      if (!taken[s]) slot = s;
    }
    if (slot < 0) slot = want;
    taken[slot] = 1;
    out.set(label, slot);
  }
  return out;
}

function packageColor(slot: number): Hsl {
  const hue = PACKAGE_HUES[slot % PACKAGE_HUES.length];
  const shade = PACKAGE_SHADES[Math.floor(slot / PACKAGE_HUES.length) % PACKAGE_SHADES.length];
  return { h: hue, s: 52, l: 60 + shade };
}

function baseColor(cat: FlameCategory | undefined, slots?: Map<string, number>): Hsl {
  const kind: CategoryKind = cat?.kind ?? 'program';
  switch (kind) {
    case 'workspace': return { h: 24, s: 85, l: 60 };
    case 'dependency': {
      const label = cat?.label ?? '';
      if (label === OUTSIDE_WORKSPACE) return { h: 208, s: 30, l: 58 };
      return packageColor(slots?.get(label) ?? preferredSlot(label));
    }
    case 'node': return { h: 95, s: 28, l: 62 };
    case 'gc': return { h: 350, s: 65, l: 62 };
    case 'idle': return { h: 210, s: 6, l: 78 };
    case 'native': return { h: 48, s: 60, l: 60 };
    // Drawn hatched too (renderer.ts): time on the stack while the thread waits, not CPU.
    case 'waiting': return { h: 215, s: 22, l: 72 };
    default: return { h: 0, s: 0, l: 66 };
  }
}

function isDark(theme: ThemeKind): boolean {
  return theme === 'dark' || theme === 'high-contrast';
}

export function categoryColor(cat: FlameCategory | undefined, theme: ThemeKind, slots?: Map<string, number>): string {
  return toCss(adjust(baseColor(cat, slots), 0, theme));
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

  /** `slots`: package colour slots from assignPackageSlots (heaviest packages first). */
  constructor(private frames: FlameFrame[], private categories: FlameCategory[], private theme: ThemeKind, private slots?: Map<string, number>) {
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

  /** Frames drawn hatched: blocking calls the thread waits in (category 'waiting'). */
  hatched(f: number): boolean {
    return this.categories[this.frames[f]?.category]?.kind === 'waiting';
  }

  private compute(f: number, which: 0 | 1 | 2): string {
    const fr = this.frames[f];
    const jitter = (hashString(fr.name + fr.file) % 9) - 4;
    const c = adjust(baseColor(this.categories[fr.category], this.slots), jitter, this.theme);
    this.fills[f] = toCss(c);
    this.dims[f] = toCss({ h: c.h, s: Math.round(c.s * 0.25), l: this.dark ? 24 : 88 });
    this.texts[f] = c.l > 52 ? '#1b1b1b' : '#f4f4f4';
    return which === 0 ? this.fills[f] : which === 1 ? this.dims[f] : this.texts[f];
  }
}
