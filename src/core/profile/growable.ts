// Growable typed arrays: profiles hold millions of ids and samples, and plain arrays of numbers
// would cost 2 to 4 times the memory (the ingest benchmark has a 2x-file-size budget).

export class IntList {
  data: Int32Array;
  length = 0;
  /** Negative values read as 0 (time deltas: samples recorded out of order). */
  negatives = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  /** Makes room for `n` more values in one allocation (no doubling copies). */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const next = new Int32Array(this.length + n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  private grow(): void {
    const next = new Int32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  /** A view of the filled part (no copy). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

export class FloatList {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const next = new Float64Array(this.length + n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
