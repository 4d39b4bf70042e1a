// A simulated Arduino Uno/Nano running StandardFirmata 2.5 (or ConfigurableFirmata reporting protocol 2.5): it reads
// the host's Firmata bytes from an injected stream and answers with the bytes the real sketch sends, so johnny-five
// and firmata.js cannot tell it from a board on /dev/ttyACM0. Behaviour follows firmata/protocol protocol.md and
// firmata/arduino examples/StandardFirmata/StandardFirmata.ino + Boards.h (ATmega328P section); the section names
// below are protocol.md's headings. A traffic driver plays vehicles over inductive loops from urban-day.ts.
//
// I2C and serial follow firmata/protocol i2c.md and serial-1.0.md as ConfigurableFirmata implements them
// (firmata/ConfigurableFirmata src/I2CFirmata.cpp + .h, src/SerialFirmata.cpp + .h); I2C is the same in
// StandardFirmata. Chips hang on the bus as I2cDeviceSim (attachI2c), UART parts on a software serial port
// (attachSerial), so a device simulator that speaks the real registers or frames works behind the board unchanged.
import type { I2cDeviceSim } from '../buses/i2c.js';
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
const SERIAL_MESSAGE = 0x60;
const I2C_REQUEST = 0x76;
const I2C_REPLY = 0x77;
const I2C_CONFIG = 0x78;

/** Pin modes (protocol.md "Set pin mode"; PULLUP 0x0B added in 2.5; SERIAL 0x0A in serial-1.0.md). */
export const PIN_MODE = {
  INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, SERVO: 0x04, I2C: 0x06, SERIAL: 0x0a, PULLUP: 0x0b,
} as const;

// I2CFirmata.h: mode bits of byte 3 of an I2C request.
const I2C_MODE_MASK = 0x18;
const I2C_WRITE = 0x00;
const I2C_READ = 0x08;
const I2C_READ_CONTINUOUSLY = 0x10;
const I2C_STOP_READING = 0x18;
const I2C_10BIT_ADDRESS_MODE = 0x20;
/** Bits 0-2: the 10-bit address MSB, reused by ConfigurableFirmata as a sequence number echoed in the reply. */
const I2C_SEQUENCE_MASK = 0x07;
const I2C_MAX_QUERIES = 8;
/** Wire's buffer on AVR (Wire.h BUFFER_LENGTH 32): requestFrom() returns at most 32 bytes, a write sends at most 32. */
const WIRE_BUFFER = 32;

/** Serial port ids (serial-1.0.md "Port IDs", SerialFirmata.h). */
export const SERIAL_PORT = {
  HW_SERIAL0: 0x00, HW_SERIAL1: 0x01, HW_SERIAL2: 0x02, HW_SERIAL3: 0x03,
  SW_SERIAL0: 0x08, SW_SERIAL1: 0x09, SW_SERIAL2: 0x0a, SW_SERIAL3: 0x0b,
} as const;
// SerialFirmata.h: sub-command in the high nibble, port id in the low one.
const SERIAL_CONFIG = 0x10;
const SERIAL_WRITE = 0x20;
const SERIAL_READ = 0x30;
const SERIAL_REPLY = 0x40;
const SERIAL_CLOSE = 0x50;
const SERIAL_FLUSH = 0x60;
const SERIAL_LISTEN = 0x70;
const SERIAL_READ_CONTINUOUSLY = 0x00;
const SERIAL_STOP_READING = 0x01;
/** Port ids at or above this are not handled at all (SERIAL_READ_ARR_LEN). */
const SERIAL_PORT_LIMIT = 12;
const MAX_SERIAL_PORTS = 8;
/** SoftwareSerial.h _SS_MAX_RX_BUFF: one receive buffer, shared by every SoftwareSerial instance. */
const SW_SERIAL_RX_BUFFER = 64;
const isSwSerial = (portId: number) => portId >= SERIAL_PORT.SW_SERIAL0 && portId <= SERIAL_PORT.SW_SERIAL3;

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

/** Which board pins a serial device is wired to: device TX → `rxPin`, device RX ← `txPin`. */
export interface SerialWiring {
  rxPin?: number;
  txPin?: number;
}

/** A software serial port as the host configured it (for tests and status pages). */
export interface SerialPortState {
  portId: number;
  baud: number;
  rxPin: number;
  txPin: number;
  listening: boolean;
  reading: boolean;
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

interface I2cQuery {
  address: number;
  register: number | null;
  length: number;
}

/** One SoftwareSerial instance (SerialFirmata swSerial0–3). */
interface SwSerial {
  rxPin: number;
  txPin: number;
  baud: number;
}

interface SerialAttachment {
  wire: DeviceStream;
  wiring: SerialWiring;
  onData: (chunk: Buffer) => void;
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
  // I2C (I2CFirmata): enabled by I2C_CONFIG, continuous reads polled every sampling interval.
  private readonly i2cDevices = new Map<number, I2cDeviceSim>();
  private i2cOn = false;
  private i2cQueries: I2cQuery[] = [];
  // Serial (SerialFirmata over SoftwareSerial): ports the host configured, the one listening, the shared RX buffer.
  private readonly serialWires = new Map<number, SerialAttachment>();
  private readonly swSerial = new Map<number, SwSerial>();
  private serialReporting: number[] = [];
  private readonly serialBytesToRead = new Map<number, number>();
  private listeningPort: number | null = null;
  private swRx: number[] = [];

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
    for (const a of this.serialWires.values()) a.wire.on('data', a.onData);
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
    for (const a of this.serialWires.values()) a.wire.removeListener('data', a.onData);
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

  /** Put a chip on the board's I2C bus (A4 SDA, A5 SCL) at a 7-bit address; it sees the transfers Wire makes. */
  attachI2c(address: number, device: I2cDeviceSim): this {
    if (!Number.isInteger(address) || address < 0 || address > 0x7f) throw new RangeError(`I2C address must be 0x00-0x7f; got ${address}`);
    this.i2cDevices.set(address, device);
    return this;
  }

  detachI2c(address: number): void {
    this.i2cDevices.delete(address);
  }

  /** Whether the host has enabled I2C (I2C_CONFIG) and not disabled it since (pin mode change, reset). */
  i2cEnabled(): boolean {
    return this.i2cOn;
  }

  /**
   * Wire a UART device to a software serial port. `wire` is the board's end of the cable: what the device writes
   * arrives on it, and what the host sends with SERIAL_WRITE is written into it. With duplexPair() from
   * firmware/buses/serial.ts: `sim.attachSerial(0x08, pair.host); new Pms5003Simulator(pair.device).start()`.
   * `wiring` names the board pins the device is on; a port the host configures on other pins then hears nothing.
   * Only software ports 0x08-0x0B exist on an ATmega328P: SerialFirmata refuses HW_SERIAL0 (it is the USB link to
   * the host; getPortFromId() returns NULL for it) and Serial1-3 exist only on a Mega (Boards.h PIN_SERIAL1_RX).
   */
  attachSerial(portId: number, wire: DeviceStream, wiring: SerialWiring = {}): this {
    if (!isSwSerial(portId)) {
      throw new RangeError(
        `serial port 0x${portId.toString(16)} does not exist on an ATmega328P under ConfigurableFirmata: use a software ` +
          'serial port 0x08-0x0B (HW_SERIAL0 is the USB link, HW_SERIAL1-3 exist only on a Mega)',
      );
    }
    this.detachSerial(portId);
    const attachment: SerialAttachment = { wire, wiring, onData: (chunk: Buffer) => this.onDeviceSerial(portId, chunk) };
    this.serialWires.set(portId, attachment);
    if (this.running) wire.on('data', attachment.onData);
    return this;
  }

  detachSerial(portId: number): void {
    const a = this.serialWires.get(portId);
    if (!a) return;
    a.wire.removeListener('data', a.onData);
    this.serialWires.delete(portId);
  }

  /** A software serial port as the host configured it; undefined before SERIAL_CONFIG or after a reset. */
  serialPort(portId: number): SerialPortState | undefined {
    const p = this.swSerial.get(portId);
    if (!p) return undefined;
    return {
      portId,
      baud: p.baud,
      rxPin: p.rxPin,
      txPin: p.txPin,
      listening: this.listeningPort === portId,
      reading: this.serialReporting.includes(portId),
    };
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
      case I2C_CONFIG:
        return this.i2cConfig(argv);
      case I2C_REQUEST:
        return this.i2cRequest(argv);
      case SERIAL_MESSAGE:
        return this.serialMessage(argv);
      default:
        return; // servo config, one-wire …: not simulated, ignored like an unknown sysex
    }
  }

  // ---- board behaviour (StandardFirmata.ino callbacks) -----------------------------------------------------------

  private systemReset(): void {
    this.reportPorts.fill(false);
    this.previousPorts.fill(0);
    this.analogToReport = 0;
    this.stopSampling();
    // I2CFirmata::reset() disables I2C and its continuous reads; SerialFirmata::reset() drops the SoftwareSerial
    // ports and stops every serial read.
    this.disableI2c();
    this.swSerial.clear();
    this.serialReporting = [];
    this.serialBytesToRead.clear();
    this.listeningPort = null;
    this.swRx = [];
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
    // Taking SDA or SCL away from I2C disables I2C and its continuous reads (setPinModeCallback, I2CFirmata).
    if (this.i2cOn && pin.mode === PIN_MODE.I2C && mode !== PIN_MODE.I2C) this.disableI2c();
    // setPinModeCallback turns analog reporting on for ANALOG and off for anything else, and reports at once.
    if (isAnalog(p)) this.reportAnalog(p - 14, mode === PIN_MODE.ANALOG);
    const supported =
      mode === PIN_MODE.INPUT ||
      mode === PIN_MODE.PULLUP ||
      mode === PIN_MODE.OUTPUT ||
      mode === PIN_MODE.SERVO ||
      // SerialFirmata::handlePinMode accepts SERIAL on any pin: the port itself is set up by SERIAL_CONFIG.
      mode === PIN_MODE.SERIAL ||
      (mode === PIN_MODE.ANALOG && isAnalog(p)) ||
      (mode === PIN_MODE.PWM && isPwm(p)) ||
      (mode === PIN_MODE.I2C && isI2c(p));
    if (!supported) return this.sendString('Unknown pin mode');
    pin.mode = mode;
    pin.pullUp = mode === PIN_MODE.PULLUP;
    pin.output = 0;
    this.checkDigitalInputs();
  }

  /** Firmata.setPinMode() from inside the sketch (I2C, serial): the mode is taken without the host's checks. */
  private claimPin(p: number, mode: number): void {
    const pin = this.pins[p];
    if (!pin || !isDigital(p)) return;
    if (isAnalog(p) && mode !== PIN_MODE.ANALOG) this.reportAnalog(p - 14, false);
    pin.mode = mode;
    pin.pullUp = false;
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
      if (!this.needsSampling()) this.stopSampling();
    }
  }

  /** The sketch's sampling-interval block reports analog channels and then the continuous I2C reads. */
  private needsSampling(): boolean {
    return this.analogToReport !== 0 || this.i2cQueries.length > 0;
  }

  private scheduleSampling(): void {
    this.samplingTimer = this.opts.timers.setTimeout(() => {
      this.samplingTimer = null;
      for (let ch = 0; ch < this.analogValues.length; ch++) {
        if (this.analogToReport & (1 << ch) && this.pins[ch + 14]?.mode === PIN_MODE.ANALOG) this.sendAnalog(ch);
      }
      for (const q of this.i2cQueries) this.i2cReadAndReport(q.address, q.register, q.length, 0);
      if (this.needsSampling() && this.running) this.scheduleSampling();
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

  // ---- I2C (i2c.md; I2CFirmata.cpp) ------------------------------------------------------------------------------

  private i2cConfig(argv: number[]): void {
    // The optional read delay (argv[0..1]) only spaces a register write from the read on real hardware.
    if (this.i2cOn) return;
    // enableI2CPins(): SDA and SCL are marked I2C so digital and analog requests leave them alone.
    for (let p = 0; p < TOTAL_PINS; p++) if (isI2c(p)) this.claimPin(p, PIN_MODE.I2C);
    this.i2cOn = true;
  }

  private disableI2c(): void {
    this.i2cOn = false;
    this.i2cQueries = [];
    if (!this.needsSampling()) this.stopSampling();
  }

  private i2cRequest(argv: number[]): void {
    if (!this.i2cOn) return; // before I2C_CONFIG the request is not handled at all
    const [address = 0, modeByte = 0] = argv;
    if (modeByte & I2C_10BIT_ADDRESS_MODE) return this.sendString('10-bit addressing not supported');
    const sequence = modeByte & I2C_SEQUENCE_MASK;
    // Byte 4 on: 14-bit values as LSB, MSB pairs (i2c.md "I2C read/write request").
    const values = fromSevenBitPairs(argv.slice(2));
    switch (modeByte & I2C_MODE_MASK) {
      case I2C_WRITE: {
        // Wire.beginTransmission / write / endTransmission: one transfer, at most Wire's buffer.
        const data = Uint8Array.from(values.slice(0, WIRE_BUFFER), (v) => v & 0xff);
        this.onDevice(address, (d) => d.onWrite(data));
        return;
      }
      case I2C_READ:
      case I2C_READ_CONTINUOUSLY: {
        // With six argument bytes a register precedes the byte count; otherwise only the count is given.
        const register = argv.length === 6 ? (values[0] ?? 0) : null;
        const length = (argv.length === 6 ? values[1] : values[0]) ?? 0;
        if ((modeByte & I2C_MODE_MASK) === I2C_READ) return this.i2cReadAndReport(address, register, length, sequence);
        if (this.i2cQueries.length >= I2C_MAX_QUERIES) return this.sendString('too many queries');
        this.i2cQueries.push({ address, register, length });
        if (this.samplingTimer === null) this.scheduleSampling();
        return;
      }
      case I2C_STOP_READING: {
        // As in I2CFirmata: with one query left any stop clears it; otherwise the first query for the address goes
        // (or, with none for it, the first query of all).
        if (this.i2cQueries.length <= 1) this.i2cQueries = [];
        else this.i2cQueries.splice(Math.max(0, this.i2cQueries.findIndex((q) => q.address === address)), 1);
        if (!this.needsSampling()) this.stopSampling();
        return;
      }
    }
  }

  /** readAndReportData(): optional register pointer write, requestFrom(), then I2C_REPLY with what came back. */
  private i2cReadAndReport(address: number, register: number | null, length: number, sequence: number): void {
    if (register !== null) this.onDevice(address, (d) => d.onWrite(Uint8Array.of(register & 0xff)));
    // The byte count is held in a byte; Wire returns at most its buffer; an address nobody acknowledges returns 0
    // bytes, and the reply then carries the register alone.
    const wanted = Math.min(length & 0xff, WIRE_BUFFER);
    const data = (wanted > 0 && this.onDevice(address, (d) => d.onRead(wanted))) || new Uint8Array(0);
    const reg = register === null ? 0 : register & 0xff;
    this.send([
      START_SYSEX, I2C_REPLY, address & 0x7f, sequence, reg & 0x7f, reg >> 7,
      ...toSevenBitPairs(data.subarray(0, wanted)), END_SYSEX,
    ]);
  }

  /** A transfer to a chip; a missing chip or one that throws is a NACK (nothing transferred). */
  private onDevice<T>(address: number, transfer: (d: I2cDeviceSim) => T): T | undefined {
    const device = this.i2cDevices.get(address);
    if (!device) return undefined;
    try {
      return transfer(device);
    } catch {
      return undefined;
    }
  }

  // ---- serial (serial-1.0.md; SerialFirmata.cpp over SoftwareSerial) --------------------------------------------

  private serialMessage(argv: number[]): void {
    const [sub = 0] = argv;
    const command = sub & 0xf0;
    const portId = sub & 0x0f;
    if (portId >= SERIAL_PORT_LIMIT) return;
    const port = this.swSerial.get(portId);
    switch (command) {
      case SERIAL_CONFIG: {
        // HW_SERIAL0 is refused and Serial1-3 do not exist on a 328P: getPortFromId() returns NULL, nothing happens.
        if (!isSwSerial(portId)) return;
        if (argv.length <= 4) return this.sendString('Specify serial RX and TX pins');
        const baud = (argv[1] ?? 0) | ((argv[2] ?? 0) << 7) | ((argv[3] ?? 0) << 14);
        const rxPin = argv[4] ?? 0;
        const txPin = argv[5] ?? 0;
        // `new SoftwareSerial(rx, tx)` happens only for a port that has no instance yet: a second config with other
        // pins still marks the new pins SERIAL but the port keeps listening on its first pins.
        const sw = port ?? { rxPin, txPin, baud };
        sw.baud = baud;
        this.swSerial.set(portId, sw);
        this.claimPin(rxPin, PIN_MODE.SERIAL);
        this.claimPin(txPin, PIN_MODE.SERIAL);
        this.listen(portId); // SoftwareSerial::begin() ends with listen()
        return;
      }
      case SERIAL_WRITE: {
        if (!port) return;
        const bytes = fromSevenBitPairs(argv.slice(1)).map((v) => v & 0xff);
        const a = this.connected(portId);
        if (a && bytes.length > 0) {
          try {
            a.wire.write(Buffer.from(bytes));
          } catch {
            // an unplugged device: the bytes leave the TX pin and go nowhere
          }
        }
        return;
      }
      case SERIAL_READ: {
        if (argv[1] === SERIAL_READ_CONTINUOUSLY) {
          if (this.serialReporting.length >= MAX_SERIAL_PORTS) return;
          // maxBytesToRead (optional): how much one loop pass relays; 0 = everything available.
          this.serialBytesToRead.set(portId, argv.length > 2 ? (argv[2] ?? 0) | ((argv[3] ?? 0) << 7) : 0);
          this.serialReporting.push(portId);
          this.checkSerial();
        } else if (argv[1] === SERIAL_STOP_READING) {
          // As in SerialFirmata: with one port reading any stop clears it; otherwise the first entry for the port
          // goes (or, with none for it, the first entry of all).
          if (this.serialReporting.length <= 1) this.serialReporting = [];
          else this.serialReporting.splice(Math.max(0, this.serialReporting.indexOf(portId)), 1);
        }
        return;
      }
      case SERIAL_CLOSE:
        // SoftwareSerial::end() stops listening; what sat in the receive buffer is no longer available().
        if (port && this.listeningPort === portId) {
          this.listeningPort = null;
          this.swRx = [];
        }
        return;
      case SERIAL_FLUSH:
        // serial-1.0.md "Serial Flush": on a software port flush abandons the received bytes.
        if (port && this.listeningPort === portId) this.swRx = [];
        return;
      case SERIAL_LISTEN:
        if (port) this.listen(portId);
        return;
    }
  }

  /** SoftwareSerial::listen(): one port receives at a time; switching empties the shared receive buffer. */
  private listen(portId: number): void {
    if (this.listeningPort !== portId) this.swRx = [];
    this.listeningPort = portId;
  }

  /** The device wired to a configured port, if the port listens on the pins the device is wired to. */
  private connected(portId: number): SerialAttachment | undefined {
    const a = this.serialWires.get(portId);
    const port = this.swSerial.get(portId);
    if (!a || !port) return undefined;
    const { rxPin, txPin } = a.wiring;
    if ((rxPin !== undefined && rxPin !== port.rxPin) || (txPin !== undefined && txPin !== port.txPin)) return undefined;
    return a;
  }

  private onDeviceSerial(portId: number, chunk: Buffer): void {
    if (!this.running || this.listeningPort !== portId || !this.connected(portId)) return; // nobody samples the RX pin
    for (const b of chunk) {
      if (this.swRx.length < SW_SERIAL_RX_BUFFER) this.swRx.push(b); // a full buffer drops the byte (overflow)
    }
    this.checkSerial();
  }

  /**
   * checkSerial(): every port in continuous-read mode that is listening relays what it has received, at most
   * maxBytesToRead per loop pass. The simulated loop runs as soon as bytes arrive.
   */
  private checkSerial(): void {
    for (const portId of [...this.serialReporting]) {
      if (this.listeningPort !== portId || !this.swSerial.has(portId)) continue;
      const limit = this.serialBytesToRead.get(portId) ?? 0;
      while (this.swRx.length > 0 && this.listeningPort === portId) {
        const bytes = this.swRx.splice(0, limit === 0 ? this.swRx.length : limit);
        this.send([START_SYSEX, SERIAL_MESSAGE, SERIAL_REPLY | portId, ...toSevenBitPairs(bytes), END_SYSEX]);
      }
    }
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

/** Data bytes as 7-bit LSB, MSB pairs (sendValueAsTwo7bitBytes). */
function toSevenBitPairs(bytes: Iterable<number>): number[] {
  const out: number[] = [];
  for (const b of bytes) out.push(b & 0x7f, (b >> 7) & 0x7f);
  return out;
}

/** LSB, MSB pairs back to 14-bit values; an odd trailing byte is dropped, as the sketches' loops do. */
function fromSevenBitPairs(data: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) out.push((data[i] ?? 0) | ((data[i + 1] ?? 0) << 7));
  return out;
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
