/**
 * An insertion-ordered map for a handful of entries: keys and values alternate in one plain
 * array searched linearly (keys compared with ===). A query has a few parameters and a model
 * body four fields; a Map for each (a hash table of its own) cost more memory and time in a
 * 10,000-line file than the look-ups it served, and a checked query keeps its parameter map for
 * as long as the document.
 */
export class SmallMap<K, V> implements ReadonlyMap<K, V> {
  /** key₀, value₀, key₁, value₁, … in the first 2·count slots. */
  private slots: (K | V | undefined)[];
  private count = 0;

  /** @param capacity the expected number of entries (the array holds that many exactly; it grows if needed) */
  constructor(capacity = 4) {
    this.slots = new Array(2 * Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** The slot of `key`, or −1. */
  private slotOf(key: K): number {
    const slots = this.slots;
    for (let i = 0; i < 2 * this.count; i += 2) if (slots[i] === key) return i;
    return -1;
  }

  get(key: K): V | undefined {
    const i = this.slotOf(key);
    return i < 0 ? undefined : (this.slots[i + 1] as V);
  }

  has(key: K): boolean {
    return this.slotOf(key) >= 0;
  }

  set(key: K, value: V): this {
    const i = this.slotOf(key);
    if (i >= 0) {
      this.slots[i + 1] = value;
      return this;
    }
    const at = 2 * this.count;
    if (at === this.slots.length) {
      const grown = new Array<K | V | undefined>(2 * this.slots.length);
      for (let j = 0; j < at; j++) grown[j] = this.slots[j];
      this.slots = grown;
    }
    this.slots[at] = key;
    this.slots[at + 1] = value;
    this.count++;
    return this;
  }

  delete(key: K): boolean {
    const i = this.slotOf(key);
    if (i < 0) return false;
    const slots = this.slots;
    const end = 2 * this.count;
    for (let j = i; j + 2 < end; j++) slots[j] = slots[j + 2];
    slots[end - 2] = undefined;
    slots[end - 1] = undefined;
    this.count--;
    return true;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    const slots = this.slots;
    for (let i = 0; i < 2 * this.count; i += 2)
      callback.call(thisArg, slots[i + 1] as V, slots[i] as K, this);
  }

  entries(): MapIterator<[K, V]> {
    const out: [K, V][] = [];
    for (let i = 0; i < 2 * this.count; i += 2) out.push([this.slots[i] as K, this.slots[i + 1] as V]);
    return out.values();
  }

  keys(): MapIterator<K> {
    const out: K[] = [];
    for (let i = 0; i < 2 * this.count; i += 2) out.push(this.slots[i] as K);
    return out.values();
  }

  values(): MapIterator<V> {
    const out: V[] = [];
    for (let i = 0; i < 2 * this.count; i += 2) out.push(this.slots[i + 1] as V);
    return out.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
