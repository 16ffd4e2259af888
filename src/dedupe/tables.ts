/**
 * The typed-array tables behind --dedupe: a few bytes a record where Maps of strings take
 * over a hundred. Open addressing with linear probing over any table size (a slot is
 * `hash × size / 2³²`), at most 85% full and grown by half, so that the bytes a record
 * stay between 1.2× and 1.75× a slot's whatever the count (doubling at 70% swings 1.4–2.9×).
 */

const MAX_LOAD = 0.85;
const TWO_32 = 4294967296;

/** A 32-bit mix of a 32-bit key (murmur3's finaliser): neighbouring PMIDs land far apart. */
function mix32(k: number): number {
  k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
  k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
  return (k ^ (k >>> 16)) >>> 0;
}

/** The first slot for a hash in a table of `size` slots. */
function slotOf(hash: number, size: number): number {
  const i = Math.floor((hash >>> 0) * size / TWO_32);
  return i < size ? i : size - 1;
}

/** Non-zero 32-bit keys (PMIDs, PMC numbers) to 32-bit values: 8 bytes a slot. */
export class U32Map {
  private keys: Uint32Array;
  private values: Uint32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.keys = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity);
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    const { keys } = this;
    const n = keys.length;
    for (let i = slotOf(mix32(key), n); ; i = i + 1 === n ? 0 : i + 1) {
      const k = keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === 0) return -1;
    }
  }

  /** Sets `key` to `value` (a key already there is given the new value). */
  set(key: number, value: number): void {
    if (this.size + 1 > this.keys.length * MAX_LOAD) this.grow();
    const { keys } = this;
    const n = keys.length;
    for (let i = slotOf(mix32(key), n); ; i = i + 1 === n ? 0 : i + 1) {
      const k = keys[i]!;
      if (k === key || k === 0) {
        if (k === 0) this.size++;
        keys[i] = key;
        this.values[i] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    const size = Math.ceil(keys.length * 1.5);
    this.keys = new Uint32Array(size);
    this.values = new Uint32Array(size);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]!, values[i]!);
  }
}

/**
 * Works by the hash of their title, each with what tells two works of one title apart: the
 * hash of its DOI and a fingerprint (year, volume, first page), and a reference to the work.
 * One title may have several works (an "Editorial" each year): a lookup walks the slots of
 * its title, at most CHAIN of them, so that a title shared by thousands costs no more than one.
 * 16 bytes a slot.
 */
export class TitleIndex {
  static readonly CHAIN = 48;
  private titles = new Uint32Array(1024);
  private refs = new Uint32Array(1024);
  private dois = new Uint32Array(1024);
  private prints = new Uint32Array(1024);
  private size = 0;

  /** The slots holding `title`, in the order they were added (at most CHAIN). */
  slots(title: number): number[] {
    const found: number[] = [];
    const { titles } = this;
    const n = titles.length;
    for (let i = slotOf(title, n); found.length < TitleIndex.CHAIN; i = i + 1 === n ? 0 : i + 1) {
      const k = titles[i]!;
      if (k === 0) break;
      if (k === title) found.push(i);
    }
    return found;
  }

  ref(slot: number): number {
    return this.refs[slot]!;
  }

  doi(slot: number): number {
    return this.dois[slot]!;
  }

  print(slot: number): number {
    return this.prints[slot]!;
  }

  /** What a copy merged into the work knew that the work did not: its PMID, its DOI, its fingerprint's missing parts. */
  learn(slot: number, ref: number | null, doi: number, print: number): void {
    if (ref !== null) this.refs[slot] = ref;
    if (this.dois[slot] === 0) this.dois[slot] = doi;
    this.prints[slot] = fillPrint(this.prints[slot]!, print);
  }

  /** Adds a work; a title with CHAIN works already is not indexed again (`known` slots were found for it). */
  add(title: number, ref: number, doi: number, print: number, known: number): void {
    if (known >= TitleIndex.CHAIN) return;
    if (this.size + 1 > this.titles.length * MAX_LOAD) this.grow();
    const { titles } = this;
    const n = titles.length;
    let i = slotOf(title, n);
    while (titles[i] !== 0) i = i + 1 === n ? 0 : i + 1;
    titles[i] = title;
    this.refs[i] = ref;
    this.dois[i] = doi;
    this.prints[i] = print;
    this.size++;
  }

  private grow(): void {
    const { titles, refs, dois, prints } = this;
    const size = Math.ceil(titles.length * 1.5);
    this.titles = new Uint32Array(size);
    this.refs = new Uint32Array(size);
    this.dois = new Uint32Array(size);
    this.prints = new Uint32Array(size);
    this.size = 0;
    // in slot order from a title's home slot, so that each title's works keep their order
    for (let i = 0; i < titles.length; i++) if (titles[i] !== 0) this.add(titles[i]!, refs[i]!, dois[i]!, prints[i]!, 0);
  }
}

/**
 * A fingerprint: the year (7 bits, as `year mod 127 + 1`), the volume (9 bits) and the first
 * page (16 bits), each 0 when unknown.
 */
export const YEAR_BITS = 0xfe000000;
export const VOLUME_BITS = 0x01ff0000;
export const PAGE_BITS = 0x0000ffff;

/** `a` with its unknown parts taken from `b`. */
export function fillPrint(a: number, b: number): number {
  let out = a;
  for (const bits of [YEAR_BITS, VOLUME_BITS, PAGE_BITS]) if ((a & bits) === 0) out |= b & bits;
  return out >>> 0;
}

/**
 * Where each work's kept record is: its line in a Uint32Array by work number, the file from
 * the work numbers at which each input began. 4 bytes a work.
 */
export class WorkPlaces {
  private lines = new Uint32Array(1024);
  count = 0;
  /** [first work number, file index] each time the file changes. */
  private readonly starts: Array<[number, number]> = [];

  add(file: number, line: number): number {
    if (this.count === this.lines.length) {
      const bigger = new Uint32Array(Math.ceil(this.lines.length * 1.5));
      bigger.set(this.lines);
      this.lines = bigger;
    }
    if (this.starts.length === 0 || this.starts[this.starts.length - 1]![1] !== file) this.starts.push([this.count, file]);
    // a line past 2³² (a 4-billion-line input) is told as 0, "unknown"
    this.lines[this.count] = line < TWO_32 ? line : 0;
    return this.count++;
  }

  file(work: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]![0] <= work) lo = mid;
      else hi = mid - 1;
    }
    return this.starts[lo]![1];
  }

  line(work: number): number {
    return this.lines[work]!;
  }
}
