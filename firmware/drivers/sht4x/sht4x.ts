// SHT4x driver: one measurement per read over an injected I2cBus (Datasheet SHT4x §4.5). The SHT4x has no clock
// stretching and NACKs the read header until the result is ready, which the bus reports as an I2cError: the
// driver waits the datasheet's maximum measurement time, then retries the read a bounded number of times.
import type { I2cBus } from '../../buses/i2c.js';
import { defaultSleep, hex, SensirionDataError, SensirionI2cDriver } from '../sensirion-i2c.js';
import { sht4xOptionsSchema, type Sht4xOptions, type Sht4xOptionsInput } from './options.js';
import {
  decodeMeasurement, decodeSerial, ESD_SUSPECT_WORD, MEASURE_COMMAND, MEASURE_MS, READ_SERIAL, READ_SERIAL_MS, SOFT_RESET,
  SOFT_RESET_MS, type Sht4xMeasurement,
} from './protocol.js';

export interface Sht4xDeps {
  /** Injected so tests run without real waits; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}


/** A reply that failed its CRC or had the wrong length, with where it came from. */
export class Sht4xDataError extends SensirionDataError {}

export interface Sht4xReading {
  values: { temperature_c: number; humidity_pct: number };
  /** 'sensor_error' when both words read 0x8000 (see ESD_SUSPECT_WORD). */
  flags: string[];
}

export class Sht4x extends SensirionI2cDriver {
  readonly options: Sht4xOptions;

  constructor(bus: I2cBus, options: Sht4xOptionsInput = {}, deps: Sht4xDeps = {}) {
    const parsed = sht4xOptionsSchema.parse(options);
    super(bus, parsed.address, parsed.max_read_attempts, deps.sleep ?? defaultSleep, 'SHT4x', 'check wiring, the part number (it fixes the address) and the supply (1.08–3.6 V)', Sht4xDataError);
    this.options = parsed;
  }

  private command(command: number): Promise<void> {
    return this.bus.write(this.options.address, Uint8Array.of(command));
  }

  /**
   * Soft reset, then the serial number: the SHT4x has no status register, so a serial read with valid CRCs is
   * the proof that the chip at this address is an SHT4x and the line is clean.
   */
  async init(): Promise<number> {
    await this.command(SOFT_RESET);
    await this.sleep(SOFT_RESET_MS);
    return this.readSerialNumber();
  }

  async readSerialNumber(): Promise<number> {
    await this.command(READ_SERIAL);
    await this.sleep(READ_SERIAL_MS);
    return this.decode(await this.readReply(6, 'serial number'), decodeSerial);
  }

  /** One measurement at the configured precision, heater off. */
  async measure(): Promise<Sht4xMeasurement> {
    const { precision } = this.options;
    await this.command(MEASURE_COMMAND[precision]);
    await this.sleep(MEASURE_MS[precision]);
    return this.decode(await this.readReply(6, 'measurement'), decodeMeasurement);
  }

  async read(): Promise<Sht4xReading> {
    const m = await this.measure();
    const esd = m.rawTemperature === ESD_SUSPECT_WORD && m.rawHumidity === ESD_SUSPECT_WORD;
    return { values: { temperature_c: m.temperature_c, humidity_pct: m.humidity_pct }, flags: esd ? ['sensor_error'] : [] };
  }
}
