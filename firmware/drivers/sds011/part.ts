// The SDS011 as the node runtime opens it (PartModule, firmware/drivers/types.ts): a UART part that streams a
// reading per frame in active mode, or is polled (one query-data command per `every_s`) in query mode; it can
// sleep and wake for the runtime's duty cycling. On a simulated station the simulator drives the far end of the
// serial line, so the driver runs unchanged.
import type { Logger } from 'pino';
import type { PartHandle, PartModule } from '../types.js';
import { SDS_ALL_DEVICES } from './commands.js';
import { sds011 } from './definition.js';
import { Sds011, type SdsDriverReading } from './driver.js';
import { sdsOptionsSchema, type SdsOptions } from './options.js';
import { Sds011Simulator } from './simulator.js';

/** 9600 8N1 (SDS011 specification V1.3, "The UART communication protocol"). */
const BAUD = 9600;

const sample = (r: SdsDriverReading) => ({ values: r.values, flags: r.flags, time: r.time });

/**
 * Wakes the sensor (it may have been left asleep by a previous run) and brings reporting mode and working
 * period to the configured ones, writing only what differs: both live in the sensor's flash (ESPEasy PR #668).
 */
async function configure(driver: Sds011, options: SdsOptions, where: string, log: Logger): Promise<void> {
  try {
    await driver.wake();
    if ((await driver.getMode()) !== options.reporting_mode) await driver.setMode(options.reporting_mode);
    if ((await driver.getWorkingPeriod()) !== options.working_period_min) await driver.setWorkingPeriod(options.working_period_min);
  } catch (e) {
    // A sensor that streams but does not hear us (host TX → sensor RX broken: ricki-z/SDS011 #21) still gives
    // readings in active mode; in query mode it gives nothing, so refuse to open and let the runtime retry.
    if (options.reporting_mode === 'query') throw new Error(`SDS011 on ${where} does not answer commands: ${(e as Error).message}`);
    log.warn({ err: (e as Error).message }, `SDS011 on ${where} did not confirm its settings; streaming what it sends`);
  }
}

export const sds011Part: PartModule<SdsOptions> = {
  definition: sds011,
  options: sdsOptionsSchema,
  // Specification V1.3, "Interface specification": pins 6/7 are "RX/TX of UART(TTL)@3.3V", pin 3 the 5 V supply.
  // Nova states no 5 V tolerance, so 3.3 V is the limit taken here [U].
  wiring: () => ({
    buses: ['serial'],
    logic: { maxInputV: 3.3, outputHighV: 3.3, source: 'Nova SDS011 specification V1.3, Interface specification: UART TTL @3.3V' },
  }),
  async open(options, env) {
    const deviceId = options.device_id === undefined ? SDS_ALL_DEVICES : parseInt(options.device_id, 16);
    const link = await env.serial(BAUD, (device) => {
      const sim = new Sds011Simulator(device, { intervalMs: options.sim_interval_ms, ...(deviceId === SDS_ALL_DEVICES ? {} : { deviceId }) });
      sim.start();
      return sim;
    });
    const driver = new Sds011(link.stream, { deviceId, warmupS: options.warmup_s, staleAfterMs: options.stale_after_ms });
    // An 'error' event without a listener would throw; in query mode a failed line surfaces as failed reads.
    driver.on('error', (e) => env.log.warn({ err: e.message }, `serial line ${link.where} failed`));
    try {
      await configure(driver, options, link.where, env.log);
    } catch (e) {
      driver.close();
      await link.close();
      throw e;
    }
    const handle: PartHandle = {
      warmupS: options.warmup_s,
      async close() {
        driver.close();
        await link.close();
      },
    };
    // With a working period the sensor duty-cycles itself; a second sleep/wake schedule on top would fight it.
    if (options.working_period_min === 0) {
      handle.sleep = () => driver.sleep();
      handle.wake = () => driver.wake();
    }
    if (options.reporting_mode === 'query') {
      handle.read = async () => sample(await driver.query());
    } else {
      handle.stream = (onSample, onError, onLost) => {
        const silenceMs = options.stale_after_ms + options.working_period_min * 60_000;
        driver.on('reading', (r) => onSample(sample(r)));
        driver.on('frame_error', (e) => onError(`${e.reason} on ${link.where}`));
        driver.on('stale', () =>
          onError(`no frame from sds011 on ${link.where} for ${silenceMs} ms: check 5 V power, the sensor TX → host RX wire and that nothing put it to sleep`),
        );
        driver.on('error', (e) => onLost(`serial line ${link.where} failed: ${e.message}`));
        link.stream.once('close', () => onLost(`serial line ${link.where} closed (cable unplugged?)`));
      };
    }
    return handle;
  },
};
