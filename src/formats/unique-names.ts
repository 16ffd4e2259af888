/**
 * Names that must be unique within a run (BibTeX keys, CSL ids), in constant time per name
 * and a few bytes per name: what is remembered is a 32-bit hash of each name given out, and
 * for each base name the next suffix to try. A hash collision can only make a name skip to
 * its next suffix, never give a name twice.
 */
export class UniqueNames {
  private readonly used = new Set<number>();
  private readonly next = new Map<number, number>();

  constructor(private readonly suffix: (n: number) => string) {}

  /** `base` the first time, then `base` with suffix 0, 1, 2, … until one is unused. */
  take(base: string): string {
    const baseHash = hash(base);
    let n = this.next.get(baseHash) ?? -1;
    let name = n < 0 ? base : base + this.suffix(n);
    while (this.used.has(hash(name))) {
      n++;
      name = base + this.suffix(n);
    }
    this.next.set(baseHash, n + 1);
    this.used.add(hash(name));
    return name;
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
