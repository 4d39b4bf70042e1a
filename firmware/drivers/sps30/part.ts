// The SPS30 as the node runtime opens it (PartModule, firmware/drivers/types.ts). One part id, two buses: the
// station file's `bus` picks the UART driver (115200 8N1; the Pi's UART or a satellite's firmata-serial port) or
// the I2C driver (0x69; the Pi's bus or a satellite's firmata-i2c). Polled either way: the
// measurement starts at open, and each read() waits for a new measurement (UART: a non-empty read reply; I2C: the
// data-ready flag) and returns it, flagged `warmup` inside the warm-up time. On a simulated station the part
// attaches its own simulator to the far end of the serial line or to the FakeI2cBus.
import { FakeI2cBus } from '../../buses/i2c.js';
import { busKind, type BusConfig, type PartEnv, type PartModule, type PartSample, type Values } from '../types.js';
import { isWarmingUp, sps30Definition } from './definition.js';
import { Sps30I2c } from './driver-i2c.js';
import { Sps30Uart } from './driver-uart.js';
import { SPS30_I2C_ADDRESS } from './i2c-protocol.js';
import { sps30OptionsSchema, type Sps30Options } from './options.js';
import { Sps30I2cSimulator } from './simulator-i2c.js';
import { Sps30UartSimulator } from './simulator-uart.js';

/** SPS30 datasheet v1.0 §5 (UART): 115 200 baud, 8 data bits, no parity, 1 stop bit. */
export const SPS30_BAUD = 115_200;
/** How often a read asks again while no new measurement is ready (the sensor makes one per second). */
const POLL_MS = 100;

/** What the part needs from either driver. */
export interface Sps30Link {
  where: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  sleep(): Promise<void>;
  wake(): Promise<void>;
  /** A new measurement, or null while there is none. */
  poll(): Promise<{ values: Values; deviceError: boolean } | null>;
  setAutoCleanInterval(seconds: number): Promise<void>;
  close(): Promise<void>;
}

async function uartLink(options: Sps30Options, env: PartEnv): Promise<Sps30Link> {
  // The station file's baud_rate, if any, wins over this default (PartEnv.serial).
  const serial = await env.serial(SPS30_BAUD, (device) => new Sps30UartSimulator(device, { intervalMs: options.sim_interval_ms }));
  const driver = new Sps30Uart(serial.stream, { commandTimeoutMs: options.command_timeout_ms });
  driver.on('frame_error', (e) => env.log.warn({ code: e.code, reason: e.reason }, `sps30: frame refused on ${serial.where}`));
  driver.on('error', (e) => env.log.warn({ err: e.message }, `sps30: serial line ${serial.where} failed`));
  return {
    where: serial.where,
    start: () => driver.start(),
    stop: () => driver.stop(),
    sleep: () => driver.sleep(),
    wake: () => driver.wake(),
    poll: () => driver.readMeasurement(),
    setAutoCleanInterval: (s) => driver.setAutoCleanInterval(s),
    async close() {
      driver.close();
      await serial.close();
    },
  };
}

/** Where an I2C-wired SPS30 is, for messages: "i2c-1 0x69" or "firmata-i2c 0x69". */
function i2cWhere(bus: BusConfig): string {
  return `${bus.type === 'i2c' ? `i2c-${bus.bus}` : bus.type} 0x69`;
}

async function i2cLink(options: Sps30Options, env: PartEnv): Promise<Sps30Link> {
  const bus = await env.i2c();
  const simulated = env.simulate && bus instanceof FakeI2cBus;
  if (simulated) bus.attach(SPS30_I2C_ADDRESS, new Sps30I2cSimulator({ intervalMs: options.sim_interval_ms }));
  const driver = new Sps30I2c(bus);
  return {
    where: i2cWhere(env.bus),
    start: () => driver.start(),
    stop: () => driver.stop(),
    sleep: () => driver.sleep(),
    wake: () => driver.wake(),
    poll: async () => ((await driver.dataReady()) ? { values: await driver.readMeasurement(), deviceError: false } : null),
    setAutoCleanInterval: (s) => driver.setAutoCleanInterval(s),
    async close() {
      if (simulated) bus.detach(SPS30_I2C_ADDRESS);
    },
  };
}

/**
 * Gets the sensor measuring whatever state a previous run left it in: idle (start works), still measuring (start is
 * refused: stop, then start, so the warm-up is timed from now), or asleep (no answer: wake, then start).
 */
export async function ensureMeasuring(link: Pick<Sps30Link, 'start' | 'stop' | 'wake'>): Promise<void> {
  const errors: string[] = [];
  for (const before of [undefined, () => link.stop(), () => link.wake()]) {
    if (before) await before().catch(() => undefined);
    try {
      await link.start();
      return;
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  throw new Error(`SPS30 would not start measuring (tried start; stop + start; wake + start): ${errors.at(-1)}`);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const sps30Part: PartModule<Sps30Options> = {
  definition: sps30Definition,
  options: sps30OptionsSchema,
  // Datasheet v2.0 (2023) §2.1 Table 2: VIH up to 5.5 V, VOH 2.9–3.37 V; §2.2 Table 3: I/O pins −0.3…5.5 V; §3
  // Table 4: RX/TX "TTL 5V and LVTTL 3.3V compatible". I2C address 0x69, fixed (§6).
  wiring: () => ({
    buses: ['serial', 'i2c'],
    i2c: [{ address: SPS30_I2C_ADDRESS }],
    logic: { maxInputV: 5.5, outputHighV: 3.3, source: 'Sensirion SPS30 datasheet v2.0 §2.1, §2.2, §3: TTL 5V and LVTTL 3.3V compatible' },
  }),
  async open(options, env) {
    const link = busKind(env.bus) === 'serial' ? await uartLink(options, env) : await i2cLink(options, env);
    let startedAt: number;
    try {
      await ensureMeasuring(link);
      startedAt = Date.now();
      if (options.auto_clean_interval_s !== undefined) await link.setAutoCleanInterval(options.auto_clean_interval_s);
    } catch (e) {
      await link.close().catch(() => undefined);
      throw new Error(`${(e as Error).message} (at ${link.where})`);
    }
    return {
      // The runtime times its duty cycle with this: the longer (low-concentration) warm-up, to be safe.
      warmupS: options.warmup_low_count_s,
      async read(): Promise<PartSample> {
        const deadline = Date.now() + options.ready_timeout_ms;
        for (;;) {
          const m = await link.poll();
          if (m) {
            const flags: string[] = [];
            if (isWarmingUp((Date.now() - startedAt) / 1000, m.values, options.warmup_s, options.warmup_low_count_s)) flags.push('warmup');
            if (m.deviceError) flags.push('sensor_error');
            return flags.length ? { values: m.values, flags } : { values: m.values };
          }
          if (Date.now() >= deadline) {
            throw new Error(
              `no new SPS30 measurement within ${options.ready_timeout_ms} ms at ${link.where} (stale): the sensor makes one a ` +
                'second while measuring — check its 5 V supply and that the fan runs',
            );
          }
          await pause(POLL_MS);
        }
      },
      /** Duty cycling: fan and laser off (sleep is only allowed from idle, so stop first). */
      async sleep() {
        await link.stop().catch(() => undefined);
        await link.sleep();
      },
      /** ...and on again: the measurement restarts, so the warm-up is timed from now. */
      async wake() {
        await link.wake();
        await link.start();
        startedAt = Date.now();
      },
      async close() {
        // Leave the fan and laser off between runs; a sensor that no longer answers is closed all the same.
        await link.stop().catch(() => undefined);
        await link.close();
      },
    };
  },
};
