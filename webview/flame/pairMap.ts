// (parent, frame) -> child id, open addressing over typed arrays: the inverted view does one
// lookup per stack frame per sample, tens of millions on big profiles, where a Map is too slow.
export class PairMap {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  private used = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get(a: number, b: number): number {
    let h = this.hash(a, b);
    for (;;) {
      const k = this.keysA[h];
      if (k === -1) return -1;
      if (k === a && this.keysB[h] === b) return this.values[h];
      h = (h + 1) & this.mask;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    let h = this.hash(a, b);
    while (this.keysA[h] !== -1 && !(this.keysA[h] === a && this.keysB[h] === b)) h = (h + 1) & this.mask;
    if (this.keysA[h] === -1) this.used++;
    this.keysA[h] = a;
    this.keysB[h] = b;
    this.values[h] = value;
  }

  private hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0 & this.mask;
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const cap = (this.mask + 1) * 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    this.used = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i], keysB[i], values[i]);
  }
}
