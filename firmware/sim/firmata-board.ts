// A simulated Arduino Uno/Nano running StandardFirmata 2.5 (or ConfigurableFirmata reporting protocol 2.5): it reads
// the host's Firmata bytes from an injected stream and answers with the bytes the real sketch sends, so johnny-five
// and firmata.js cannot tell it from a board on /dev/ttyACM0. Behaviour follows firmata/protocol protocol.md and
// firmata/arduino examples/StandardFirmata/StandardFirmata.ino + Boards.h (ATmega328P section); the section names
// below are protocol.md's headings. A traffic driver plays vehicles over inductive loops from urban-day.ts.
import { urbanConditions } from './urban-day.js';

// protocol.md "Message Types" and "Sysex Message Format".
const DIGITAL_MESSAGE = 0x90;
const ANALOG_MESSAGE = 0xe0;
const REPORT_ANALOG = 0xc0;
const REPORT_DIGITAL = 0xd0;
const SET_PIN_MODE = 0xf4;
const SET_DIGITAL_PIN_VALUE = 0xf5;
const REPORT_VERSION = 0xf9;
const SYSTEM_RESET = 0xff;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const ANALOG_MAPPING_QUERY = 0x69;
const ANALOG_MAPPING_RESPONSE = 0x6a;
const CAPABILITY_QUERY = 0x6b;
const CAPABILITY_RESPONSE = 0x6c;
const PIN_STATE_QUERY = 0x6d;
const PIN_STATE_RESPONSE = 0x6e;
const STRING_DATA = 0x71;
const REPORT_FIRMWARE = 0x79;
const SAMPLING_INTERVAL = 0x7a;

/** Pin modes (protocol.md "Set pin mode"; PULLUP 0x0B added in 2.5). */
export const PIN_MODE = { INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, SERVO: 0x04, I2C: 0x06, PULLUP: 0x0b } as const;

// FirmataConstants.h MAX_DATA_BYTES: a longer sysex overflows the sketch's buffer and is dropped.
const MAX_SYSEX_DATA = 64;
// StandardFirmata 2.5 MINIMUM_SAMPLING_INTERVAL; 19 ms is its default.
const MIN_SAMPLING_MS = 1;
const DEFAULT_SAMPLING_MS = 19;

// Boards.h, ATmega328P with 6 analog inputs (Uno, Nano): 20 pins, 0/1 are the USB serial link.
const TOTAL_PINS = 20;
const TOTAL_PORTS = Math.ceil(TOTAL_PINS / 8);
const isDigital = (p: number) => p >= 2 && p <= 19;
const isAnalog = (p: number) => p >= 14 && p <= 19;
const isPwm = (p: number) => p === 3 || p === 5 || p === 6 || p === 9 || p === 10 || p === 11; // digitalPinHasPWM
const isI2c = (p: number) => p === 18 || p === 19;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
// Looked up at call time so vitest's fake timers apply.
const globalTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** The device end of the serial link: a serialport instance on a pty, or one end of duplexPair(). */
export interface DeviceStream {
  write(chunk: Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

export interface FirmataBoardSimOptions {
  /** Reported by the firmware query; the sketch reports its file name with ".ino" (Firmata.cpp strips only ".cpp"). */
  firmwareName?: string;
  firmwareVersion?: [major: number, minor: number];
  protocolVersion?: [major: number, minor: number];
  /** Send the version and firmware reports at start(), as the sketch does in Firmata.begin() after a reset. */
  announce?: boolean;
  timers?: Timers;
}

interface PinState {
  mode: number;
  pullUp: boolean;
  output: 0 | 1;
  pwm: number;
}

export class FirmataBoardSimulator {
  private readonly opts: Required<FirmataBoardSimOptions>;
  private readonly pins: PinState[] = [];
  /** Levels forced by the outside world (a detector output); absent = not driven. */
  private readonly driven = new Map<number, 0 | 1>();
  private readonly analogValues = new Array<number>(6).fill(0);
  private readonly reportPorts = new Array<boolean>(TOTAL_PORTS).fill(false);
  private readonly previousPorts = new Array<number>(TOTAL_PORTS).fill(0);
  private analogToReport = 0;
  private samplingMs = DEFAULT_SAMPLING_MS;
  private samplingTimer: unknown = null;
  private readonly pulses = new Map<number, { timer: unknown; done: Array<() => void> }>();
  private readonly onData = (chunk: Buffer) => {
    for (const b of chunk) this.onByte(b);
  };
  private running = false;
  private readonly drivers: TrafficDriver[] = [];
  // Parser state: a MIDI-style command waiting for its data bytes, or an open sysex.
  private command = 0;
  private needed = 0;
  private args: number[] = [];
  private sysex: number[] | null = null;
  private sysexOverflow = false;

  constructor(
    private readonly stream: DeviceStream,
    options: FirmataBoardSimOptions = {},
  ) {
    this.opts = {
      firmwareName: options.firmwareName ?? 'StandardFirmata.ino',
      firmwareVersion: options.firmwareVersion ?? [2, 5],
      protocolVersion: options.protocolVersion ?? [2, 5],
      announce: options.announce ?? true,
      timers: options.timers ?? globalTimers,
    };
    // Zero-initialised like the sketch's globals: pins 0/1, untouched by the reset, stay at mode 0.
    for (let p = 0; p < TOTAL_PINS; p++) this.pins.push({ mode: PIN_MODE.INPUT, pullUp: false, output: 0, pwm: 0 });
    this.systemReset();
  }

  /** Power on: listen to the host and, like Firmata.begin(), announce protocol version and firmware. */
  start(): this {
    if (this.running) return this;
    this.running = true;
    this.stream.on('data', this.onData);
    if (this.opts.announce) {
      this.sendVersion();
      this.sendFirmware();
    }
    return this;
  }

  /** Power off: stop listening, stop traffic drivers and cancel every timer (pulses end without their falling edge). */
  stop(): void {
    this.running = false;
    this.stream.removeListener('data', this.onData);
    for (const d of this.drivers.splice(0)) d.stop();
    this.stopSampling();
    for (const [, p] of this.pulses) {
      this.opts.timers.clearTimeout(p.timer);
      for (const done of p.done) done();
    }
    this.pulses.clear();
  }

  /** Drive a pin from outside (a detector output) to a level; a reporting input port sends the change at once. */
  setDigital(pin: number, level: 0 | 1 | boolean): void {
    this.driven.set(pin, level ? 1 : 0);
    this.checkDigitalInputs();
  }

  /** Stop driving the pin: it reads HIGH through its pull-up, LOW otherwise (an external pull-down is assumed). */
  release(pin: number): void {
    this.driven.delete(pin);
    this.checkDigitalInputs();
  }

  /**
   * One vehicle over the loop: the pin is held at its active level for `durationMs` (the occupancy time). The active
   * level is LOW on a pin with its pull-up on (a relay or optocoupler closing to GND) and HIGH otherwise (a push-pull
   * detector output). A pulse on a pin already pulsing extends it, as two bumper-to-bumper vehicles look to a loop.
   */
  pulse(pin: number, durationMs: number): Promise<void> {
    const active: 0 | 1 = this.pins[pin]?.pullUp ? 0 : 1;
    const existing = this.pulses.get(pin);
    if (existing) this.opts.timers.clearTimeout(existing.timer);
    else this.setDigital(pin, active);
    const entry = existing ?? { timer: null as unknown, done: [] as Array<() => void> };
    const finished = new Promise<void>((resolve) => entry.done.push(resolve));
    entry.timer = this.opts.timers.setTimeout(() => {
      this.pulses.delete(pin);
      this.release(pin);
      for (const done of entry.done) done();
    }, durationMs);
    this.pulses.set(pin, entry);
    return finished;
  }

  /** Value (0–1023, 10-bit ADC) the sketch's analogRead() returns for channel A0–A5. */
  setAnalog(channel: number, value: number): void {
    if (channel >= 0 && channel < this.analogValues.length) this.analogValues[channel] = Math.round(value) & 0x3ff;
  }

  /** The mode the host last set on a pin (for tests and the demo's status page). */
  pinMode(pin: number): number | undefined {
    return this.pins[pin]?.mode;
  }

  /** Generate vehicles on the given pins (one lane each) from urbanConditions(); see TrafficDriver. */
  startTraffic(options: TrafficDriverOptions): TrafficDriver {
    const driver = new TrafficDriver(this, { timers: this.opts.timers, ...options });
    this.drivers.push(driver);
    return driver;
  }

  // ---- host → board --------------------------------------------------------------------------------------------

  private onByte(b: number): void {
    if (this.sysex) {
      if (b === END_SYSEX) {
        const data = this.sysex;
        this.sysex = null;
        if (!this.sysexOverflow) this.onSysex(data);
      } else if (this.sysex.length < MAX_SYSEX_DATA + 1) this.sysex.push(b);
      else this.sysexOverflow = true;
      return;
    }
    if (b & 0x80) {
      // A command byte always starts a new message; an unfinished one is dropped, as FirmataParser does.
      this.needed = 0;
      if (b === START_SYSEX) {
        this.sysex = [];
        this.sysexOverflow = false;
        return;
      }
      const n = dataBytes(b);
      if (n === 0) this.onCommand(b, []);
      else if (n > 0) {
        this.command = b;
        this.needed = n;
        this.args = [];
      }
      return;
    }
    if (this.needed === 0) return; // a stray data byte
    this.args.push(b);
    if (this.args.length === this.needed) {
      this.needed = 0;
      this.onCommand(this.command, this.args);
    }
  }

  private onCommand(cmd: number, a: number[]): void {
    const [a0 = 0, a1 = 0] = a;
    if (cmd === REPORT_VERSION) return this.sendVersion();
    if (cmd === SYSTEM_RESET) return this.systemReset();
    if (cmd === SET_PIN_MODE) return this.setPinMode(a0, a1);
    if (cmd === SET_DIGITAL_PIN_VALUE) {
      // StandardFirmata setPinValueCallback: OUTPUT pins only, never a pull-up.
      const pin = this.pins[a0];
      if (pin && isDigital(a0) && pin.mode === PIN_MODE.OUTPUT) pin.output = a1 ? 1 : 0;
      return;
    }
    const type = cmd & 0xf0;
    const channel = cmd & 0x0f;
    if (type === DIGITAL_MESSAGE) return this.writePort(channel, a0 | (a1 << 7));
    if (type === ANALOG_MESSAGE) {
      const pin = this.pins[channel];
      if (pin && (pin.mode === PIN_MODE.PWM || pin.mode === PIN_MODE.SERVO)) pin.pwm = a0 | (a1 << 7);
      return;
    }
    if (type === REPORT_ANALOG) return this.reportAnalog(channel, a0 !== 0);
    if (type === REPORT_DIGITAL) {
      if (channel >= TOTAL_PORTS) return;
      this.reportPorts[channel] = a0 !== 0;
      // protocol.md "Toggle digital port reporting": as of 2.4 the port value is sent on enable.
      if (a0 !== 0) this.outputPort(channel, true);
    }
  }

  private onSysex(data: number[]): void {
    const [command, ...argv] = data;
    switch (command) {
      case REPORT_FIRMWARE:
        return this.sendFirmware();
      case CAPABILITY_QUERY:
        return this.send([START_SYSEX, CAPABILITY_RESPONSE, ...capabilities(), END_SYSEX]);
      case ANALOG_MAPPING_QUERY: {
        const map: number[] = [];
        for (let p = 0; p < TOTAL_PINS; p++) map.push(isAnalog(p) ? p - 14 : 127);
        return this.send([START_SYSEX, ANALOG_MAPPING_RESPONSE, ...map, END_SYSEX]);
      }
      case PIN_STATE_QUERY: {
        const p = argv[0];
        if (p === undefined) return;
        const reply = [START_SYSEX, PIN_STATE_RESPONSE, p];
        const pin = this.pins[p];
        if (pin) {
          const state = this.pinStateValue(pin);
          reply.push(pin.mode, state & 0x7f);
          if (state & 0xff80) reply.push((state >> 7) & 0x7f);
          if (state & 0xc000) reply.push((state >> 14) & 0x7f);
        }
        return this.send([...reply, END_SYSEX]);
      }
      case SAMPLING_INTERVAL:
        if (argv.length > 1) {
          this.samplingMs = Math.max(MIN_SAMPLING_MS, (argv[0] ?? 0) | ((argv[1] ?? 0) << 7));
          if (this.samplingTimer !== null) {
            this.stopSampling();
            this.scheduleSampling();
          }
        }
        return;
      default:
        return; // I2C, serial, servo config …: not simulated, ignored like an unknown sysex
    }
  }

  // ---- board behaviour (StandardFirmata.ino callbacks) -----------------------------------------------------------

  private systemReset(): void {
    this.reportPorts.fill(false);
    this.previousPorts.fill(0);
    this.analogToReport = 0;
    this.stopSampling();
    for (let p = 0; p < TOTAL_PINS; p++) {
      const pin = this.pins[p]!;
      pin.pullUp = false;
      pin.output = 0;
      pin.pwm = 0;
      // systemResetCallback: analog-capable pins default to ANALOG, the other digital pins to OUTPUT.
      if (isAnalog(p)) pin.mode = PIN_MODE.ANALOG;
      else if (isDigital(p)) pin.mode = PIN_MODE.OUTPUT;
    }
  }

  private setPinMode(p: number, mode: number): void {
    const pin = this.pins[p];
    if (!pin || !isDigital(p)) return; // pins 0/1 (serial) and unknown pins are ignored
    // setPinModeCallback turns analog reporting on for ANALOG and off for anything else, and reports at once.
    if (isAnalog(p)) this.reportAnalog(p - 14, mode === PIN_MODE.ANALOG);
    const supported =
      mode === PIN_MODE.INPUT ||
      mode === PIN_MODE.PULLUP ||
      mode === PIN_MODE.OUTPUT ||
      mode === PIN_MODE.SERVO ||
      (mode === PIN_MODE.ANALOG && isAnalog(p)) ||
      (mode === PIN_MODE.PWM && isPwm(p)) ||
      (mode === PIN_MODE.I2C && isI2c(p));
    if (!supported) return this.sendString('Unknown pin mode');
    pin.mode = mode;
    pin.pullUp = mode === PIN_MODE.PULLUP;
    pin.output = 0;
    this.checkDigitalInputs();
  }

  private writePort(port: number, value: number): void {
    for (let i = 0; i < 8; i++) {
      const p = port * 8 + i;
      const pin = this.pins[p];
      if (!pin || !isDigital(p)) continue;
      const bit: 0 | 1 = (value >> i) & 1 ? 1 : 0;
      if (pin.mode === PIN_MODE.OUTPUT) pin.output = bit;
      // digitalWriteCallback (2.5): a HIGH written to an INPUT pin turns its pull-up on, for backwards compatibility.
      else if (pin.mode === PIN_MODE.INPUT && bit) pin.pullUp = true;
    }
    this.checkDigitalInputs();
  }

  private reportAnalog(channel: number, enable: boolean): void {
    if (channel >= this.analogValues.length) return;
    if (enable) {
      this.analogToReport |= 1 << channel;
      // protocol.md "Toggle analogIn reporting": as of 2.4 the value is sent on enable.
      this.sendAnalog(channel);
      if (this.samplingTimer === null) this.scheduleSampling();
    } else {
      this.analogToReport &= ~(1 << channel);
      if (this.analogToReport === 0) this.stopSampling();
    }
  }

  private scheduleSampling(): void {
    this.samplingTimer = this.opts.timers.setTimeout(() => {
      this.samplingTimer = null;
      for (let ch = 0; ch < this.analogValues.length; ch++) {
        if (this.analogToReport & (1 << ch) && this.pins[ch + 14]?.mode === PIN_MODE.ANALOG) this.sendAnalog(ch);
      }
      if (this.analogToReport !== 0 && this.running) this.scheduleSampling();
    }, this.samplingMs);
  }

  private stopSampling(): void {
    if (this.samplingTimer !== null) this.opts.timers.clearTimeout(this.samplingTimer);
    this.samplingTimer = null;
  }

  private level(p: number): 0 | 1 {
    const d = this.driven.get(p);
    if (d !== undefined) return d;
    return this.pins[p]?.pullUp ? 1 : 0;
  }

  private readPort(port: number): number {
    let value = 0;
    for (let i = 0; i < 8; i++) {
      const p = port * 8 + i;
      const mode = this.pins[p]?.mode;
      // portConfigInputs: only INPUT and PULLUP pins are reported; the others read as 0.
      if (isDigital(p) && (mode === PIN_MODE.INPUT || mode === PIN_MODE.PULLUP) && this.level(p)) value |= 1 << i;
    }
    return value;
  }

  /** outputPort(): send when forced or when the port's input bits differ from what was last sent. */
  private outputPort(port: number, force: boolean): void {
    const value = this.readPort(port);
    if (!force && value === this.previousPorts[port]) return;
    this.previousPorts[port] = value;
    // protocol.md "Data Message Expansion": bits 0-6 then bit 7.
    this.send([DIGITAL_MESSAGE | port, value & 0x7f, (value >> 7) & 0x7f]);
  }

  private checkDigitalInputs(): void {
    for (let port = 0; port < TOTAL_PORTS; port++) if (this.reportPorts[port]) this.outputPort(port, false);
  }

  private pinStateValue(pin: PinState): number {
    if (pin.mode === PIN_MODE.OUTPUT) return pin.output;
    if (pin.mode === PIN_MODE.PULLUP || pin.mode === PIN_MODE.INPUT) return pin.pullUp ? 1 : 0;
    if (pin.mode === PIN_MODE.PWM || pin.mode === PIN_MODE.SERVO) return pin.pwm;
    return 0;
  }

  // ---- board → host --------------------------------------------------------------------------------------------

  private sendVersion(): void {
    this.send([REPORT_VERSION, ...this.opts.protocolVersion]);
  }

  private sendFirmware(): void {
    // protocol.md "Query Firmware Name and Version": each name byte as two 7-bit bytes, LSB first.
    this.send([START_SYSEX, REPORT_FIRMWARE, ...this.opts.firmwareVersion, ...twoSevenBit(this.opts.firmwareName), END_SYSEX]);
  }

  private sendAnalog(channel: number): void {
    const v = this.analogValues[channel] ?? 0;
    this.send([ANALOG_MESSAGE | channel, v & 0x7f, (v >> 7) & 0x7f]);
  }

  private sendString(text: string): void {
    this.send([START_SYSEX, STRING_DATA, ...twoSevenBit(text), END_SYSEX]);
  }

  private send(bytes: number[]): void {
    // A closed serialport would queue writes until it reopens: drop them, as a board's UART talks into the void.
    if (!this.running || (this.stream as { isOpen?: boolean }).isOpen === false) return;
    try {
      this.stream.write(Buffer.from(bytes));
    } catch {
      // A closed port: a real board also talks into the void when unplugged.
    }
  }
}

/** Data bytes that follow a command byte (protocol.md "Message Types"); -1 = not a host→board command. */
function dataBytes(cmd: number): number {
  if (cmd === REPORT_VERSION || cmd === SYSTEM_RESET) return 0;
  if (cmd === SET_PIN_MODE || cmd === SET_DIGITAL_PIN_VALUE) return 2;
  const type = cmd & 0xf0;
  if (type === DIGITAL_MESSAGE || type === ANALOG_MESSAGE) return 2;
  if (type === REPORT_ANALOG || type === REPORT_DIGITAL) return 1;
  return -1;
}

function twoSevenBit(text: string): number[] {
  const out: number[] = [];
  for (const byte of Buffer.from(text, 'latin1')) out.push(byte & 0x7f, (byte >> 7) & 0x7f);
  return out;
}

/** The CAPABILITY_QUERY answer of StandardFirmata 2.5 on a 328P: (mode, resolution) pairs per pin, 127 ends a pin. */
function capabilities(): number[] {
  const out: number[] = [];
  for (let p = 0; p < TOTAL_PINS; p++) {
    if (isDigital(p)) out.push(PIN_MODE.INPUT, 1, PIN_MODE.PULLUP, 1, PIN_MODE.OUTPUT, 1);
    if (isAnalog(p)) out.push(PIN_MODE.ANALOG, 10);
    if (isPwm(p)) out.push(PIN_MODE.PWM, 8);
    if (isDigital(p)) out.push(PIN_MODE.SERVO, 14);
    if (isI2c(p)) out.push(PIN_MODE.I2C, 1);
    out.push(127);
  }
  return out;
}

// ---- traffic -----------------------------------------------------------------------------------------------------

export interface TrafficDriverOptions {
  /** One lane per pin. */
  pins: number[];
  /** Wall clock (ms) fed to urbanConditions(); defaults to Date.now. */
  now?: () => number;
  /** Uniform [0, 1) source; pass a seeded one for repeatable runs. */
  random?: () => number;
  timers?: Timers;
}

export interface LaneStats {
  vehicles: number;
  heavy: number;
}

// Project choices, not measurements: a 2 m loop, a 4.5 m car, a 12 m rigid truck or city bus, 30–50 km/h urban
// speeds. On-time = (vehicle length + loop length) / speed: cars 0.47–0.78 s, heavy vehicles 1.01–1.68 s, so the
// vehicle counter's 1000 ms default threshold separates them.
const LOOP_M = 2;
const CAR_M = 4.5;
const HEAVY_M = 12;
const SPEED_KMH: [number, number] = [30, 50];
/** Smallest gap between two vehicles on one loop, so their pulses never merge. */
const MIN_GAP_MS = 300;

/**
 * Vehicles arrive on each lane as a Poisson process at urbanConditions().vehiclesPerMin (re-read at every arrival, so
 * rush hours show), a share `heavyShare` of them heavy; each one is a pulse as long as it occupies the loop.
 */
export class TrafficDriver {
  readonly stats = new Map<number, LaneStats>();
  private readonly timers = new Map<number, unknown>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly clock: Timers;
  private stopped = false;

  constructor(
    private readonly sim: FirmataBoardSimulator,
    options: TrafficDriverOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.clock = options.timers ?? globalTimers;
    for (const pin of options.pins) {
      this.stats.set(pin, { vehicles: 0, heavy: 0 });
      this.scheduleNext(pin, 0);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private scheduleNext(pin: number, minDelayMs: number): void {
    if (this.stopped) return;
    const perMs = urbanConditions(new Date(this.now())).vehiclesPerMin / 60_000;
    const gap = perMs > 0 ? -Math.log(1 - this.random()) / perMs : 60_000;
    this.timers.set(pin, this.clock.setTimeout(() => this.arrive(pin), Math.max(minDelayMs, gap)));
  }

  private arrive(pin: number): void {
    const { heavyShare } = urbanConditions(new Date(this.now()));
    const heavy = this.random() < heavyShare;
    const speedMs = (SPEED_KMH[0] + this.random() * (SPEED_KMH[1] - SPEED_KMH[0])) / 3.6;
    const onMs = Math.round((((heavy ? HEAVY_M : CAR_M) + LOOP_M) / speedMs) * 1000);
    const s = this.stats.get(pin)!;
    s.vehicles++;
    if (heavy) s.heavy++;
    void this.sim.pulse(pin, onMs);
    this.scheduleNext(pin, onMs + MIN_GAP_MS);
  }
}
