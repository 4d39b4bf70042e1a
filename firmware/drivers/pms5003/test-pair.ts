// Test helpers for the PMS5003 driver: the shared in-process serial link, and a way to let stream callbacks run.
export { duplexPair } from '../../buses/serial.js';

/** Lets queued stream callbacks (nextTick/microtasks) run. */
export const settle = () => new Promise<void>((r) => setImmediate(r));
