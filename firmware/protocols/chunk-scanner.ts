// The chunk carry every byte-stream frame scanner needs: frames split anywhere across reads. Only the unfinished
// tail of a chunk is kept (in a scratch buffer of two maximum frames); the next chunk is scanned in place, so a
// chunk is never copied whole — which keeps parsers at millions of frames per second.
import { Transform, type TransformCallback } from 'node:stream';

export abstract class ChunkScanner {
  /** Tail (< one frame) plus enough of the next chunk to finish any frame that starts inside the tail. */
  protected readonly scratch: Uint8Array;
  private tailLen = 0;

  constructor(maxFrameBytes: number) {
    this.scratch = new Uint8Array(2 * maxFrameBytes);
  }

  /**
   * Resolves every frame candidate that STARTS in [from, limit) of buf[.. to): reports frames and refusals to the
   * sink and returns the offset of the first byte not consumed (the start of an unfinished candidate, or `to`).
   */
  protected abstract scan(buf: Uint8Array, from: number, to: number, limit: number): number;

  /** Bytes kept from the previous chunk (an unfinished frame, or a lone first header byte). */
  get pending(): number {
    return this.tailLen;
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    if (this.tailLen > 0) {
      const tailLen = this.tailLen;
      const take = Math.min(chunk.length, this.scratch.length - tailLen);
      this.scratch.set(chunk.subarray(0, take), tailLen);
      const filled = tailLen + take;
      // Only candidates that START inside the old tail are resolved here; the chunk itself is scanned in place.
      const stop = this.scan(this.scratch, 0, filled, tailLen);
      if (stop < tailLen) {
        // Still unfinished: only possible when the whole chunk fit into the scratch buffer.
        this.scratch.copyWithin(0, stop, filled);
        this.tailLen = filled - stop;
        return;
      }
      this.tailLen = 0;
      offset = stop - tailLen;
    }
    const stop = this.scan(chunk, offset, chunk.length, chunk.length);
    if (stop < chunk.length) {
      this.scratch.set(chunk.subarray(stop), 0);
      this.tailLen = chunk.length - stop;
    }
  }

  /** Takes the kept tail (for end-of-input reporting) and forgets it. */
  takeTail(): number {
    const n = this.tailLen;
    this.tailLen = 0;
    return n;
  }
}

/**
 * A ChunkScanner as a node-serialport-style parser (`port.pipe(parser)`): bytes in, decoded event objects out;
 * `_flush` lets the scanner report a frame left unfinished at the end of input.
 */
export class ScannerTransform<S extends ChunkScanner & { end(): void }> extends Transform {
  protected readonly scanner: S;

  constructor(make: (emit: (event: unknown) => void) => S) {
    super({ readableObjectMode: true });
    this.scanner = make((e) => this.push(e));
  }

  /** Forget a half-received frame (used by drivers after a silence). */
  reset(): void {
    this.scanner.takeTail();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.scanner.push(chunk);
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.scanner.end();
    cb();
  }
}
