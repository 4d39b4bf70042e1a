// An in-process serial link for unit tests: what one end writes, the other end reads.
import { Duplex, PassThrough } from 'node:stream';

export function duplexPair(): { host: Duplex; device: Duplex } {
  const toDevice = new PassThrough();
  const toHost = new PassThrough();
  return {
    host: Duplex.from({ readable: toHost, writable: toDevice }),
    device: Duplex.from({ readable: toDevice, writable: toHost }),
  };
}

/** Lets queued stream callbacks (nextTick/microtasks) run. */
export const settle = () => new Promise<void>((r) => setImmediate(r));
