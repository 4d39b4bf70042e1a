// The PMS5003 family as the node runtime opens it (PartModule, firmware/drivers/types.ts): a UART part in
// active mode, streaming a reading per frame. On a simulated station the simulator drives the far end of the
// serial line, so the driver runs unchanged over a real pty.
import type { PartDefinition, PartModule } from '../types.js';
import { Pms5003 } from './driver.js';
import { pms5003 } from './definition.js';
import { pmsOptionsSchema, type PmsOptions } from './options.js';
import type { PmsVariant } from './protocol.js';
import { Pms5003Simulator } from './simulator.js';

/** 9600 8N1 (PMS5003 manual V2.3). */
const BAUD = 9600;

export function pmsPart(variant: PmsVariant, definition: PartDefinition): PartModule<PmsOptions> {
  return {
    definition,
    options: pmsOptionsSchema,
    // PMS5003 manual V2.3 and PMS7003 manual V2.5, "Circuit Attentions" 1: 5 V supply for the fan, "but the high
    // level of data pin is 3.3V. Level conversion unit should be used if the power of host MCU is 5V".
    wiring: () => ({
      buses: ['serial'],
      logic: { maxInputV: 3.3, outputHighV: 3.3, source: 'Plantower PMS5003 manual V2.3 / PMS7003 manual V2.5, Circuit Attentions 1' },
    }),
    async open(options, env) {
      const link = await env.serial(BAUD, (device) => {
        const sim = new Pms5003Simulator(device, { variant, intervalMs: options.sim_interval_ms });
        sim.start();
        return sim;
      });
      const driver = new Pms5003(link.stream, { variant, warmupS: options.warmup_s, staleAfterMs: options.stale_after_ms });
      return {
        warmupS: options.warmup_s,
        stream(onSample, onError, onLost) {
          driver.on('reading', (r) => onSample({ values: r.values, flags: r.flags, time: r.time }));
          driver.on('frame_error', (e) => onError(`${e.reason} on ${link.where}`));
          driver.on('stale', () => onError(`no frame from ${definition.id} on ${link.where} for ${options.stale_after_ms} ms: check power, TX/RX wiring and the SET pin`));
          driver.on('error', (e) => onLost(`serial line ${link.where} failed: ${e.message}`));
          link.stream.once('close', () => onLost(`serial line ${link.where} closed (cable unplugged?)`));
        },
        sleep: () => driver.sleep(),
        wake: () => driver.wake(),
        async close() {
          driver.close();
          await link.close();
        },
      };
    },
  };
}

export const pms5003Part = pmsPart('pms5003', pms5003);
