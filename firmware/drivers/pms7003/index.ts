// Plantower PMS7003: the PMS5003 protocol, driver and simulator (same 32-byte frame, same commands).
import { decodeChunks as pmsDecodeChunks, type PmsDecoded } from '../pms5003/index.js';

export { pms7003Definition } from './definition.js';
export { pms7003OptionsSchema, type Pms7003Options } from './options.js';
export { pms7003Part } from './part.js';
/** The PMS5003 frame layout, which the PMS7003 sends. */
export const variant = 'pms5003' as const;

/** For `airlane decode pms7003`: the PMS5003 decoder with the PMS5003 layout. */
export function decodeChunks(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<PmsDecoded> {
  return pmsDecodeChunks(chunks, variant);
}
