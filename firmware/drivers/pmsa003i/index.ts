// Plantower PMSA003I: PM over I2C at 0x12, the PMS5003 frame read as one 32-byte block.
import { decodeChunks as pmsDecodeChunks, type PmsDecoded } from '../pms5003/index.js';

export { pmsa003iDefinition } from './definition.js';
export { pmsa003iOptionsSchema, type Pmsa003iOptions, type Pmsa003iOptionsInput } from './options.js';
export { decodeBlock, PMSA003I_BLOCK_BYTES, type Pmsa003iBlock, type Pmsa003iBlockErrorCode } from './protocol.js';
export { Pmsa003i, Pmsa003iFrameError, type Pmsa003iDeps, type Pmsa003iReading } from './pmsa003i.js';
export { Pmsa003iSimulator, type Pmsa003iSimulatorOptions } from './simulator.js';
export { pmsa003iPart } from './part.js';

/** For `airlane decode pmsa003i`: captured blocks back to back decode like a PMS5003 stream. */
export function decodeChunks(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<PmsDecoded> {
  return pmsDecodeChunks(chunks, 'pms5003');
}
