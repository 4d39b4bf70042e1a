// What every UART driver that asks its sensor questions needs: commands run one at a time (replies carry no
// sequence number, so only one question may be open), and a write that says which bytes failed.
import type { Writable } from 'node:stream';

export class OneAtATime {
  private chain: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it, whether those succeeded or failed. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** Writes `buf`; rejects with "<who>: writing <hex> failed: <why>". */
export function writeBytes(port: Writable, buf: Buffer, who: string): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(buf, (err) => (err ? reject(new Error(`${who}: writing ${buf.toString('hex')} failed: ${err.message}`)) : resolve()));
  });
}
