/**
 * Buffers handed back for reuse. With `--jobs`, a unit's bytes move to a worker and its
 * encoded output moves back; moved once and dropped, each became garbage in a thread that
 * allocates too little else for V8 to collect it soon (the main thread held 60 MB of spent
 * outputs). Moved back once used, the same few buffers go round instead.
 */
export class SpareBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly max: number) {}

  /** A buffer no one else uses any more. Past `max` it is dropped, for the GC. */
  give(buffer: ArrayBuffer): void {
    if (this.free.length < this.max && buffer.byteLength > 0) this.free.push(buffer);
  }

  /** A buffer of at least `bytes`: a spare one if there is one large enough. */
  take(bytes: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      if (this.free[i]!.byteLength >= bytes) return Buffer.from(this.free.splice(i, 1)[0]!);
    }
    return Buffer.allocUnsafeSlow(bytes);
  }
}
