// What every sensor part declares about itself (STYLE.md "devices as data"): validation, QC, dashboards and the
// CLI read these definitions instead of repeating unit, range and precision facts.

export interface QuantitySpec {
  /** Canonical quantity name (DESIGN.md §3), unit in the name. */
  name: string;
  unit: string;
  /** Plausible range from the datasheet; values outside are flagged, not silently dropped. */
  min: number;
  max: number;
  /** Decimal places the part actually resolves. */
  precision: number;
}

export interface PartDefinition {
  /** Registry key, also the `part` tag: lower-case, e.g. "pms5003". */
  id: string;
  maker: string;
  model: string;
  bus: 'uart' | 'i2c' | 'analog' | 'firmata';
  quantities: QuantitySpec[];
  /** Seconds after power-up or wake during which readings are marked `warmup`. */
  warmupS: number;
  /** Datasheet or other primary source the facts above come from. */
  source: string;
}

/** Decoded values keyed by canonical quantity name. */
export type Values = Record<string, number>;

// ---- How the node runtime opens a part (one PartModule per part folder, listed in drivers/index.ts) ----
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { I2cBus } from '../buses/i2c.js';

export interface SerialLink {
  stream: Duplex;
  /** Human-readable place, for errors: "/dev/ttyAMA0" or "simulated pty /tmp/…/host". */
  where: string;
  close(): Promise<void>;
}

/**
 * Where a part is wired, from the station file: the Pi's own UART or I2C bus, or — on an Arduino satellite running
 * ConfigurableFirmata — one of its software serial ports or its I2C bus, reached through Firmata.
 */
export type BusConfig =
  | { type: 'uart'; path: string; baud_rate?: number | undefined }
  | { type: 'i2c'; bus: number }
  | { type: 'firmata-serial'; port_id: number; rx_pin: number; tx_pin: number; baud_rate?: number | undefined; level_shifted?: boolean }
  | { type: 'firmata-i2c'; level_shifted?: boolean }
  | { type: 'firmata-analog'; channel: number };

/** Whether a bus carries a byte stream (UART parts), register transfers (I2C parts) or a voltage (analog inputs). */
export function busKind(bus: BusConfig): 'serial' | 'i2c' | 'analog' {
  if (bus.type === 'uart' || bus.type === 'firmata-serial') return 'serial';
  return bus.type === 'firmata-analog' ? 'analog' : 'i2c';
}

/** An analog input: the latest ADC reading, reported continuously by the board. */
export interface AnalogInput {
  /** Latest 10-bit value (0–1023), or undefined before the first report. */
  latest(): number | undefined;
  /** The ADC's full-scale voltage in mV (the board's analog reference). */
  referenceMv: number;
  where: string;
  close(): Promise<void>;
}

export interface PartEnv {
  /** The bus this part is wired to. */
  bus: BusConfig;
  /** True on the demo or a bench station: the part attaches its device simulator to the bus it is given. */
  simulate: boolean;
  log: Logger;
  /**
   * The serial line of the part's bus at `baudRate` (unless the station file sets `baud_rate`), or on a simulated
   * station one whose far end `attachDevice` drives. Fails plainly when the part is wired to an I2C bus.
   */
  serial(baudRate: number, attachDevice: (deviceEnd: Duplex) => { stop(): void }): Promise<SerialLink>;
  /**
   * The I2C bus the part is wired to, shared with the node's other parts on it (on a simulated station a FakeI2cBus
   * the part attaches its simulator to). Fails plainly when the part is wired to a serial line.
   */
  i2c(): Promise<I2cBus>;
  /**
   * The analog input the part is wired to (an Arduino satellite's A0–A5 through Firmata). On a simulated station
   * `simulatedMv` gives the voltage the virtual board's pin sees at each moment.
   */
  analog?(simulatedMv: () => number): Promise<AnalogInput>;
  /** Latest value of a quantity from another part on the same node (e.g. temperature for the NO2 correction). */
  latest(quantity: string): number | undefined;
}

export interface PartSample {
  values: Values;
  /** When the sample was taken, if the driver knows better than "now" (e.g. when the frame completed). */
  time?: Date;
  flags?: string[];
}

export interface PartHandle {
  /** Polled parts (I2C): take one sample now. */
  read?(): Promise<PartSample>;
  /**
   * Streaming parts (UART in active mode): deliver each sample as it arrives and each refused frame; `onLost`
   * when the link itself is gone (cable unplugged, port closed) — the runtime then closes and reopens the part.
   */
  stream?(onSample: (s: PartSample) => void, onError: (reason: string) => void, onLost: (reason: string) => void): void;
  /** Parts that can rest their laser or fan between samples (duty cycling). */
  sleep?(): Promise<void>;
  wake?(): Promise<void>;
  /** Seconds after wake during which samples are flagged `warmup` (defaults to the definition's warmupS). */
  warmupS?: number;
  close(): Promise<void>;
}

export interface PartModule<O = unknown> {
  definition: PartDefinition;
  /** The part's options schema: the single source of its option types and defaults. */
  options: ZodType<O>;
  open(options: O, env: PartEnv): Promise<PartHandle>;
  /** What the part occupies and tolerates on its bus (datasheet facts), for `airlane config check`. */
  wiring?(options: O): PartWiring;
}

// ---- Wiring facts: compared with the board maps (hardware/boards/) by gateway/config/wiring.ts ----

/** One I2C device a part puts on its bus. */
export interface I2cDeviceFact {
  /** 7-bit address with the given options. */
  address: number;
  /** The chip, when it is not the part itself (the ADS1115 behind a no2-b43f). */
  chip?: string;
  /** Options key that sets the address; absent when the address is fixed. */
  optionKey?: string;
  /**
   * Every address the chip can have and how: `rewire` when a strap on the board selects it (an ADDR or SDO pin),
   * not when it takes another variant of the part.
   */
  choices?: { address: number; how: string; rewire: boolean }[];
}

export interface PartWiring {
  /** Bus kinds the part speaks; a part wired to another kind is refused when it is opened, so checks skip it. */
  buses: ('serial' | 'i2c' | 'analog')[];
  /** I2C devices it occupies, on an I2C bus. */
  i2c?: I2cDeviceFact[];
  /** Logic levels of its signal pins (not its supply). */
  logic: {
    /** Highest voltage its inputs take (stated interface level or absolute maximum), V. */
    maxInputV: number;
    /** Level its push-pull outputs drive high, V; absent for open-drain I2C, where the pull-ups set the level. */
    outputHighV?: number;
    /** Datasheet and section; [U] where not checked against the maker's own document. */
    source: string;
  };
}
