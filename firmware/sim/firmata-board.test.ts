// Byte-exact checks of the simulated StandardFirmata board. Section names refer to firmata/protocol protocol.md;
// the sketch behaviour to firmata/arduino examples/StandardFirmata/StandardFirmata.ino (2.5) and Boards.h.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FirmataBoardSimulator, type DeviceStream } from './firmata-board.js';

/** A synchronous stand-in for the device end of the serial link: host bytes in, board bytes collected. */
function rig(options: ConstructorParameters<typeof FirmataBoardSimulator>[1] = {}) {
  const out: number[] = [];
  let listener: ((chunk: Buffer) => void) | null = null;
  const stream: DeviceStream = {
    write: (chunk: Buffer) => out.push(...chunk),
    on: (_event, l) => (listener = l),
    removeListener: () => (listener = null),
  };
  const sim = new FirmataBoardSimulator(stream, { announce: false, ...options }).start();
  /** Send host bytes, return what the board answered. */
  const host = (bytes: number[]) => {
    out.length = 0;
    listener?.(Buffer.from(bytes));
    return take();
  };
  const take = () => out.splice(0, out.length);
  return { sim, host, take, listening: () => listener !== null };
}

const hex = (s: string) => s.trim().split(/\s+/).map((b) => parseInt(b, 16));
const chars = (s: string) => [...s].flatMap((c) => [c.charCodeAt(0), 0]);

afterEach(() => {
  vi.useRealTimers();
});

describe('FirmataBoardSimulator: handshake', () => {
  it('announces protocol version then firmware at start, like Firmata.begin()', () => {
    const out: number[] = [];
    const stream: DeviceStream = { write: (c: Buffer) => out.push(...c), on: () => {}, removeListener: () => {} };
    new FirmataBoardSimulator(stream).start();
    // "Version report format" F9 major minor, then "Receive Firmware Name and Version".
    expect(out).toEqual([0xf9, 0x02, 0x05, 0xf0, 0x79, 0x02, 0x05, ...chars('StandardFirmata.ino'), 0xf7]);
  });

  it('answers the version request F9 with F9 02 05 ("Request version report")', () => {
    expect(rig().host([0xf9])).toEqual([0xf9, 0x02, 0x05]);
  });

  it('reproduces the firmware reply firmata.js parses in its own test', () => {
    // firmata/firmata.js test/unit/firmata.test.js, "SYSEX_RESPONSE QUERY_FIRMWARE": version 2.3, name
    // "StandardFirmata" as (char, 0) pairs.
    const { host } = rig({ firmwareName: 'StandardFirmata', firmwareVersion: [2, 3] });
    expect(host(hex('F0 79 F7'))).toEqual([
      0xf0, 0x79, 2, 3, 83, 0, 116, 0, 97, 0, 110, 0, 100, 0, 97, 0, 114, 0, 100, 0, 70, 0, 105, 0, 114, 0, 109, 0,
      97, 0, 116, 0, 97, 0, 0xf7,
    ]);
  });

  it('answers the capability query with the 20 pins of an Uno ("Capability Query")', () => {
    // StandardFirmata 2.5 CAPABILITY_QUERY over Boards.h ATmega328P: pins 0-1 (serial) have no modes; digital pins
    // INPUT 1, PULLUP 1, OUTPUT 1; A0-A5 ANALOG 10; 3 5 6 9 10 11 PWM 8; every digital pin SERVO 14; 18-19 I2C 1.
    const io = '00 01 0B 01 01 01';
    const plain = `${io} 04 0E 7F`;
    const pwm = `${io} 03 08 04 0E 7F`;
    const analog = `${io} 02 0A 04 0E 7F`;
    const i2c = `${io} 02 0A 04 0E 06 01 7F`;
    const pins = [
      '7F', '7F', plain, pwm, plain, pwm, pwm, plain, plain, pwm, pwm, pwm, plain, plain,
      analog, analog, analog, analog, i2c, i2c,
    ];
    expect(rig().host(hex('F0 6B F7'))).toEqual(hex(`F0 6C ${pins.join(' ')} F7`));
  });

  it('maps A0-A5 to pins 14-19 ("Analog Mapping Query")', () => {
    expect(rig().host(hex('F0 69 F7'))).toEqual(hex(`F0 6A ${'7F '.repeat(14)} 00 01 02 03 04 05 F7`));
  });

  it('answers the johnny-five opening sequence of protocols.md §7 byte for byte', () => {
    const { sim, host } = rig();
    sim.setAnalog(0, 512);
    expect(host([0xf9])).toEqual(hex('F9 02 05'));
    expect(host(hex('F0 79 F7')).slice(0, 4)).toEqual(hex('F0 79 02 05'));
    expect(host(hex('F0 6B F7'))[1]).toBe(0x6c);
    expect(host(hex('F0 69 F7'))[1]).toBe(0x6a);
    // "Toggle analogIn reporting": the value (512 = LSB 0x00, MSB 0x04) is sent on enable (2.4+).
    expect(host(hex('C0 01'))).toEqual(hex('E0 00 04'));
    expect(host(hex('F4 02 00'))).toEqual([]);
    // "Toggle digital port reporting": port 0 is sent on enable; pin 2 reads LOW.
    expect(host(hex('D0 01'))).toEqual(hex('90 00 00'));
    expect(sim.pinMode(2)).toBe(0);
  });

  it('survives chunks split anywhere and a message cut short by a new command', () => {
    const { host } = rig();
    expect(host([0xf0])).toEqual([]);
    expect(host([0x69])).toEqual([]);
    expect(host([0xf7]).slice(0, 2)).toEqual([0xf0, 0x6a]);
    // F4 02 without its mode byte, then F9: the cut message is dropped, the version request answered.
    expect(host(hex('F4 02 F9'))).toEqual(hex('F9 02 05'));
    // A stray data byte outside any message is ignored.
    expect(host(hex('05 F9'))).toEqual(hex('F9 02 05'));
  });
});

describe('FirmataBoardSimulator: digital inputs', () => {
  it('reports a changed input pin as a port message, bit 7 in the second byte ("Data Message Expansion")', () => {
    const { sim, host, take } = rig();
    host(hex('F4 02 00 F4 07 00 D0 01'));
    sim.setDigital(2, 1);
    expect(take()).toEqual(hex('90 04 00'));
    sim.setDigital(7, 1);
    expect(take()).toEqual(hex('90 04 01'));
    sim.setDigital(7, 1); // no change, nothing sent (outputPort only sends on change)
    expect(take()).toEqual([]);
    sim.setDigital(2, 0);
    expect(take()).toEqual(hex('90 00 01'));
  });

  it('does not report output pins or ports whose reporting is off', () => {
    const { sim, host, take } = rig();
    host(hex('F4 02 00'));
    sim.setDigital(2, 1);
    expect(take()).toEqual([]);
    host(hex('D0 01'));
    sim.setDigital(4, 1); // pin 4 is still OUTPUT after reset
    expect(take()).toEqual([]);
    expect(host(hex('D0 00'))).toEqual([]);
    sim.setDigital(2, 0);
    expect(take()).toEqual([]);
  });

  it('reads a PULLUP pin HIGH when undriven and a pulse pulls it LOW for the occupancy time', async () => {
    vi.useFakeTimers();
    const { sim, host, take } = rig();
    // Mode 0x0B PULLUP (protocol 2.5); the port value with pin 3 high is sent when reporting is enabled.
    expect(host(hex('F4 03 0B D0 01'))).toEqual(hex('90 08 00'));
    const done = sim.pulse(3, 1200);
    expect(take()).toEqual(hex('90 00 00'));
    await vi.advanceTimersByTimeAsync(1199);
    expect(take()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(take()).toEqual(hex('90 08 00'));
  });

  it('drives an INPUT pin HIGH for a pulse; a second pulse mid-way extends it', async () => {
    vi.useFakeTimers();
    const { sim, host, take } = rig();
    host(hex('F4 0A 00 D1 01')); // pin 10 = port 1 bit 2
    expect(take()).toEqual([]);
    void sim.pulse(10, 300);
    expect(take()).toEqual(hex('91 04 00'));
    await vi.advanceTimersByTimeAsync(200);
    void sim.pulse(10, 300);
    await vi.advanceTimersByTimeAsync(299);
    expect(take()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(take()).toEqual(hex('91 00 00'));
  });

  it('turns the pull-up on when HIGH is written to an INPUT pin (StandardFirmata 2.5 digitalWriteCallback)', () => {
    const { host } = rig();
    host(hex('F4 05 00 D0 01'));
    expect(host(hex('90 20 00'))).toEqual(hex('90 20 00'));
  });

  it('reports pin state ("Pin State Query") and ignores pins 0/1 and unknown modes with a string', () => {
    const { host } = rig();
    host(hex('F4 0D 01 F5 0D 01'));
    expect(host(hex('F0 6D 0D F7'))).toEqual(hex('F0 6E 0D 01 01 F7'));
    expect(host(hex('F0 6D 03 F7'))).toEqual(hex('F0 6E 03 01 00 F7'));
    expect(host(hex('F4 00 01 F0 6D 00 F7'))).toEqual(hex('F0 6E 00 00 00 F7'));
    // Mode 0x03 PWM on pin 2 (no PWM there): StandardFirmata sends STRING_DATA "Unknown pin mode".
    expect(host(hex('F4 02 03'))).toEqual([0xf0, 0x71, ...chars('Unknown pin mode'), 0xf7]);
  });

  it('forgets modes and reporting on SYSTEM_RESET (FF)', () => {
    const { sim, host, take } = rig();
    host(hex('F4 02 00 D0 01 FF'));
    expect(sim.pinMode(2)).toBe(1);
    expect(sim.pinMode(14)).toBe(2);
    sim.setDigital(2, 1);
    expect(take()).toEqual([]);
  });
});

describe('FirmataBoardSimulator: analog', () => {
  it('sends enabled channels every sampling interval, set by F0 7A LSB MSB F7 ("Sampling Interval")', async () => {
    vi.useFakeTimers();
    const { sim, host, take } = rig();
    sim.setAnalog(1, 1023);
    host(hex('F0 7A 64 00 F7')); // 100 ms
    expect(host(hex('C1 01'))).toEqual(hex('E1 7F 07'));
    await vi.advanceTimersByTimeAsync(99);
    expect(take()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(take()).toEqual(hex('E1 7F 07'));
    host(hex('C1 00'));
    await vi.advanceTimersByTimeAsync(500);
    expect(take()).toEqual([]);
  });
});

describe('FirmataBoardSimulator: lifecycle and traffic', () => {
  it('stops listening and sending at stop()', () => {
    const { sim, host, listening } = rig();
    sim.stop();
    expect(listening()).toBe(false);
    expect(host([0xf9])).toEqual([]);
  });

  it('stops its traffic drivers at stop()', async () => {
    vi.useFakeTimers();
    const { sim, host, take } = rig();
    host(hex('F4 02 00 D0 01'));
    const traffic = sim.startTraffic({ pins: [2], random: () => 0.5 });
    sim.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(take()).toEqual([]);
    expect(traffic.stats.get(2)).toEqual({ vehicles: 0, heavy: 0 });
  });

  it('plays vehicles on each lane: car pulses under 1000 ms, heavy ones from 1000 ms', async () => {
    vi.useFakeTimers();
    // 08:00 UTC, the morning peak of urban-day.ts (about 22 vehicles/min per lane).
    vi.setSystemTime(Date.UTC(2024, 4, 14, 8, 0, 0));
    const messages: Array<{ t: number; bytes: number[] }> = [];
    let listener: ((chunk: Buffer) => void) | null = null;
    const stream: DeviceStream = {
      write: (chunk: Buffer) => messages.push({ t: Date.now(), bytes: [...chunk] }),
      on: (_e, l) => (listener = l),
      removeListener: () => {},
    };
    const sim = new FirmataBoardSimulator(stream, { announce: false }).start();
    listener!(Buffer.from(hex('F4 02 0B F4 03 0B D0 01')));
    messages.length = 0;
    // A seeded generator (mulberry32) so the run repeats exactly.
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const traffic = sim.startTraffic({ pins: [2, 3], random });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    traffic.stop();
    await vi.advanceTimersByTimeAsync(5_000); // let the last pulses end
    // Rebuild each pin's pulses from the port messages, as the host sees them (pull-up: active LOW).
    for (const [pin, bit] of [[2, 0x04], [3, 0x08]] as const) {
      const lengths: number[] = [];
      let down: number | null = null;
      for (const { t, bytes } of messages) {
        expect(bytes[0]).toBe(0x90);
        const low = ((bytes[1]! | (bytes[2]! << 7)) & bit) === 0;
        if (low && down === null) down = t;
        if (!low && down !== null) {
          lengths.push(t - down);
          down = null;
        }
      }
      const stats = traffic.stats.get(pin)!;
      expect(down).toBeNull();
      expect(lengths.length).toBe(stats.vehicles);
      expect(lengths.filter((l) => l >= 1000).length).toBe(stats.heavy);
      expect(Math.min(...lengths)).toBeGreaterThanOrEqual(468); // 6.5 m at 50 km/h
      expect(Math.max(...lengths)).toBeLessThanOrEqual(1680); // 14 m at 30 km/h
      // Ten minutes at the peak: roughly 220 vehicles per lane, about a tenth of them heavy.
      expect(stats.vehicles).toBeGreaterThan(150);
      expect(stats.vehicles).toBeLessThan(300);
      expect(stats.heavy).toBeGreaterThan(0);
    }
  });
});

// ---- I2C and serial -------------------------------------------------------------------------------------------
// Host bytes as firmata.js writes them (firmata-io lib/firmata.js i2cWrite / i2cReadOnce / serialConfig …); board
// behaviour after firmata/ConfigurableFirmata src/I2CFirmata.cpp and src/SerialFirmata.cpp; layouts from
// firmata/protocol i2c.md and serial-1.0.md.

/** A chip that logs the transfers it sees and answers reads from `answer`. */
function chip(answer: number[] = []) {
  const log: string[] = [];
  const h = (d: Iterable<number>) => [...d].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return {
    log,
    onWrite: (data: Uint8Array) => void log.push(`w ${h(data)}`),
    onRead: (n: number) => {
      log.push(`r ${n}`);
      return Uint8Array.from({ length: n }, (_, i) => answer[i % Math.max(1, answer.length)] ?? 0);
    },
  };
}

/** The board's end of a serial cable: what the board writes is collected, device bytes are sent synchronously. */
function wire() {
  const written: number[] = [];
  let listener: ((chunk: Buffer) => void) | null = null;
  const stream: DeviceStream = {
    write: (chunk: Buffer) => written.push(...chunk),
    on: (_e, l) => (listener = l),
    removeListener: () => (listener = null),
  };
  return { stream, written, device: (bytes: number[]) => listener?.(Buffer.from(bytes)), plugged: () => listener !== null };
}

const I2C_ON = hex('F0 78 00 00 F7');

describe('FirmataBoardSimulator: I2C', () => {
  it('ignores I2C requests until I2C_CONFIG, which puts A4/A5 (pins 18, 19) in I2C mode', () => {
    const { sim, host } = rig();
    const bme = chip([0x60]);
    sim.attachI2c(0x76, bme);
    expect(host(hex('F0 76 76 08 50 01 01 00 F7'))).toEqual([]);
    expect(bme.log).toEqual([]);
    expect(host(I2C_ON)).toEqual([]);
    expect(sim.i2cEnabled()).toBe(true);
    expect([sim.pinMode(18), sim.pinMode(19)]).toEqual([0x06, 0x06]);
  });

  it('passes the data bytes of a write request to the chip in one transfer (firmata.js test: i2cWrite(0x53, [1, 2]))', () => {
    const { sim, host } = rig();
    const dev = chip();
    sim.attachI2c(0x53, dev);
    host(I2C_ON);
    // firmata/firmata.js test/unit/firmata.test.js "has an i2cWrite method, that writes a data array".
    expect(host([240, 118, 83, 0, 1, 0, 2, 0, 247])).toEqual([]);
    // A register write with a byte above 0x7F: 0xF4 = LSB 0x74, MSB 0x01 ("I2C read/write request").
    expect(host(hex('F0 76 53 00 74 01 27 00 F7'))).toEqual([]);
    expect(dev.log).toEqual(['w 01 02', 'w f4 27']);
  });

  it('reads once with a register: pointer write, read, then I2C_REPLY address, register, data as 7-bit pairs', () => {
    const { sim, host } = rig();
    const bme = chip([0x60]);
    sim.attachI2c(0x76, bme);
    host(I2C_ON);
    // i2cReadOnce(0x76, 0xD0, 1): register 0xD0 = 50 01, count 01 00. The reply carries 0x60 (BME280 chip id).
    expect(host(hex('F0 76 76 08 50 01 01 00 F7'))).toEqual(hex('F0 77 76 00 50 01 60 00 F7'));
    expect(bme.log).toEqual(['w d0', 'r 1']);
  });

  it('reproduces the I2C_REPLY captured in firmata.js\'s test data (12 bytes from 0x0A, no register)', () => {
    // firmata/firmata.js packages/firmata.js/test/unit/firmata.test.js, "must ignore unexpected i2c data until
    // REPORT_VERSION": the complete I2C_REPLY the test feeds after its fixture.
    const captured = [
      0xf0, 0x77, 0x0a, 0x00, 0x00, 0x00, 0x06, 0x00, 0x5e, 0x00, 0x05, 0x00, 0x48, 0x01, 0x05, 0x00, 0x1b, 0x01, 0x05,
      0x00, 0x3f, 0x01, 0x04, 0x00, 0x16, 0x00, 0x05, 0x00, 0x42, 0x01, 0xf7,
    ];
    const { sim, host } = rig();
    const dev = chip([0x06, 0x5e, 0x05, 0xc8, 0x05, 0x9b, 0x05, 0xbf, 0x04, 0x16, 0x05, 0xc2]);
    sim.attachI2c(0x0a, dev);
    host(I2C_ON);
    // i2cReadOnce(0x0A, 12): no register, so no pointer write, and register 0 in the reply.
    expect(host(hex('F0 76 0A 08 0C 00 F7'))).toEqual(captured);
    expect(dev.log).toEqual(['r 12']);
  });

  it('answers an address nobody acknowledges with the register alone, and caps a read at Wire\'s 32 bytes', () => {
    const { sim, host } = rig();
    sim.attachI2c(0x50, chip([0xab]));
    host(I2C_ON);
    expect(host(hex('F0 76 77 08 50 01 01 00 F7'))).toEqual(hex('F0 77 77 00 50 01 F7'));
    const reply = host(hex('F0 76 50 08 28 00 F7')); // 40 bytes asked
    expect(reply.slice(0, 6)).toEqual(hex('F0 77 50 00 00 00'));
    expect((reply.length - 7) / 2).toBe(32);
  });

  it('reads continuously every sampling interval until stopped ("read continuously", "Sampling Interval")', async () => {
    vi.useFakeTimers();
    const { sim, host, take } = rig();
    const dev = chip([0x11, 0x22]);
    sim.attachI2c(0x76, dev);
    host([...I2C_ON, ...hex('F0 7A 64 00 F7')]); // 100 ms
    expect(host(hex('F0 76 76 10 77 01 02 00 F7'))).toEqual([]); // register 0xF7, 2 bytes
    await vi.advanceTimersByTimeAsync(99);
    expect(take()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(take()).toEqual(hex('F0 77 76 00 77 01 11 00 22 00 F7'));
    await vi.advanceTimersByTimeAsync(100);
    expect(take()).toEqual(hex('F0 77 76 00 77 01 11 00 22 00 F7'));
    expect(host(hex('F0 76 76 18 F7'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(take()).toEqual([]);
    expect(dev.log).toEqual(['w f7', 'r 2', 'w f7', 'r 2']);
  });

  it('echoes ConfigurableFirmata\'s sequence number, refuses 10-bit addresses and a ninth continuous read', () => {
    const { sim, host } = rig();
    sim.attachI2c(0x76, chip([0x60]));
    host(I2C_ON);
    // Bits 0-2 of the mode byte come back as the "address MSB" (I2CFirmata readAndReportData).
    expect(host(hex('F0 76 76 0B 50 01 01 00 F7'))).toEqual(hex('F0 77 76 03 50 01 60 00 F7'));
    expect(host(hex('F0 76 76 28 01 00 F7'))).toEqual([0xf0, 0x71, ...chars('10-bit addressing not supported'), 0xf7]);
    for (let i = 0; i < 8; i++) expect(host(hex('F0 76 76 10 01 00 F7'))).toEqual([]);
    expect(host(hex('F0 76 76 10 01 00 F7'))).toEqual([0xf0, 0x71, ...chars('too many queries'), 0xf7]);
  });

  it('disables I2C when SDA is taken for another mode, and on SYSTEM_RESET', () => {
    const { sim, host } = rig();
    const dev = chip([0x60]);
    sim.attachI2c(0x76, dev);
    host(I2C_ON);
    host(hex('F4 12 01')); // pin 18 OUTPUT
    expect(sim.i2cEnabled()).toBe(false);
    expect(host(hex('F0 76 76 08 50 01 01 00 F7'))).toEqual([]);
    host(I2C_ON);
    expect(sim.i2cEnabled()).toBe(true);
    host([0xff]);
    expect(sim.i2cEnabled()).toBe(false);
    expect(dev.log).toEqual([]);
  });
});

// 9600 baud = 0x2580: bits 0-6 0x00, bits 7-13 0x4B, bits 14-20 0x00 ("Serial Config").
const SW0_9600_RX10_TX11 = hex('F0 60 18 00 4B 00 0A 0B F7');
const READ_SW0 = hex('F0 60 38 00 F7');

describe('FirmataBoardSimulator: serial', () => {
  it('advertises no serial mode on a 328P: Boards.h defines no IS_PIN_SERIAL pin for it', () => {
    // SerialFirmata::handleCapability reports 0x0A only for IS_PIN_SERIAL pins; Boards.h falls back to
    // `#define IS_PIN_SERIAL(p) 0` for boards without one. Software serial pins are marked SERIAL only once used.
    const reply = rig().host(hex('F0 6B F7')).slice(2, -1);
    const modes: number[] = [];
    for (let i = 0; i < reply.length; ) {
      if (reply[i] === 0x7f) i++;
      else (modes.push(reply[i]!), (i += 2));
    }
    expect(modes).toContain(0x06);
    expect(modes).not.toContain(0x0a);
  });

  it('configures a software port on the pins given (firmata.js serialConfig) and marks them SERIAL', () => {
    const { sim, host } = rig();
    expect(host(SW0_9600_RX10_TX11)).toEqual([]);
    expect(sim.serialPort(0x08)).toEqual({ portId: 8, baud: 9600, rxPin: 10, txPin: 11, listening: true, reading: false });
    expect(host(hex('F0 6D 0A F7'))).toEqual(hex('F0 6E 0A 0A 00 F7'));
    expect(sim.pinMode(11)).toBe(0x0a);
  });

  it('asks for pins on a software port without them, and does nothing for HW_SERIAL0 (the USB link)', () => {
    const { sim, host } = rig();
    expect(host(hex('F0 60 18 00 4B 00 F7'))).toEqual([0xf0, 0x71, ...chars('Specify serial RX and TX pins'), 0xf7]);
    expect(host(hex('F0 60 10 00 4B 00 F7'))).toEqual([]);
    expect(sim.serialPort(0x08)).toBeUndefined();
    expect(sim.serialPort(0x00)).toBeUndefined();
    expect(() => sim.attachSerial(0x00, wire().stream)).toThrow(/use a software serial port 0x08-0x0B/);
    expect(() => sim.attachSerial(0x01, wire().stream)).toThrow(/HW_SERIAL1-3 exist only on a Mega/);
  });

  it('writes SERIAL_WRITE data to the device as bytes (a PMS5003 passive read command)', () => {
    const { sim, host } = rig();
    const w = wire();
    sim.attachSerial(0x08, w.stream);
    host(SW0_9600_RX10_TX11);
    // 42 4D E2 00 00 01 71 (PMS5003 "read" in passive mode, protocols.md §1): E2 = LSB 0x62, MSB 0x01.
    expect(host(hex('F0 60 28 42 00 4D 00 62 01 00 00 00 00 01 00 71 00 F7'))).toEqual([]);
    expect(w.written).toEqual(hex('42 4D E2 00 00 01 71'));
  });

  it('relays device bytes as SERIAL_REPLY and reproduces firmata.js\'s captured reply F0 60 48 19 01 F7', () => {
    const { sim, host, take } = rig();
    const w = wire();
    sim.attachSerial(0x08, w.stream);
    host([...SW0_9600_RX10_TX11, ...READ_SW0]);
    // firmata/firmata.js test/unit/firmata.test.js, "must ignore unexpected serial data until REPORT_VERSION":
    // the complete SERIAL_MESSAGE it feeds, port 8 and byte 0x99.
    w.device([0x99]);
    expect(take()).toEqual([0xf0, 0x60, 0x48, 0x19, 0x01, 0xf7]);
    w.device([0x42, 0x4d, 0x00, 0x1c]);
    expect(take()).toEqual(hex('F0 60 48 42 00 4D 00 00 00 1C 00 F7'));
    expect(sim.serialPort(0x08)?.reading).toBe(true);
  });

  it('keeps bytes received before the read starts in the 64-byte SoftwareSerial buffer, dropping the overflow', () => {
    const { sim, host, take } = rig();
    const w = wire();
    sim.attachSerial(0x08, w.stream);
    host(SW0_9600_RX10_TX11);
    w.device(Array.from({ length: 70 }, (_, i) => i));
    expect(take()).toEqual([]);
    const reply = host(READ_SW0);
    expect(reply.slice(0, 3)).toEqual(hex('F0 60 48'));
    const bytes: number[] = [];
    for (let i = 3; i < reply.length - 1; i += 2) bytes.push(reply[i]! | (reply[i + 1]! << 7));
    expect(bytes).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it('relays at most maxBytesToRead per loop pass', () => {
    const { sim, host, take } = rig();
    const w = wire();
    sim.attachSerial(0x08, w.stream);
    host([...SW0_9600_RX10_TX11, ...hex('F0 60 38 00 04 00 F7')]);
    w.device([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(take()).toEqual(
      hex('F0 60 48 01 00 02 00 03 00 04 00 F7  F0 60 48 05 00 06 00 07 00 08 00 F7  F0 60 48 09 00 0A 00 F7'),
    );
  });

  it('receives on one software port at a time; SERIAL_LISTEN switches ports', () => {
    const { sim, host, take } = rig();
    const a = wire();
    const b = wire();
    sim.attachSerial(0x08, a.stream);
    sim.attachSerial(0x09, b.stream);
    // Port 9 on pins 4/5 is configured last, so it listens (SoftwareSerial::begin calls listen()).
    host([...SW0_9600_RX10_TX11, ...hex('F0 60 19 00 4B 00 04 05 F7'), ...READ_SW0, ...hex('F0 60 39 00 F7')]);
    a.device([0x41]);
    expect(take()).toEqual([]);
    b.device([0x42]);
    expect(take()).toEqual(hex('F0 60 49 42 00 F7'));
    host(hex('F0 60 78 F7'));
    expect(sim.serialPort(0x08)?.listening).toBe(true);
    a.device([0x43]);
    expect(take()).toEqual(hex('F0 60 48 43 00 F7'));
  });

  it('does not hear a device wired to other pins than the ones the host configured', () => {
    const { sim, host, take } = rig();
    const w = wire();
    sim.attachSerial(0x08, w.stream, { rxPin: 4, txPin: 5 });
    host([...SW0_9600_RX10_TX11, ...READ_SW0, ...hex('F0 60 28 42 00 F7')]);
    w.device([0x42, 0x4d]);
    expect(take()).toEqual([]);
    expect(w.written).toEqual([]);
  });

  it('stops relaying on stop-reading, stops listening on close, forgets ports on SYSTEM_RESET', () => {
    const { sim, host, take } = rig();
    const w = wire();
    sim.attachSerial(0x08, w.stream);
    host([...SW0_9600_RX10_TX11, ...READ_SW0]);
    expect(host(hex('F0 60 38 01 F7'))).toEqual([]);
    w.device([0x01]);
    expect(take()).toEqual([]);
    host(hex('F0 60 58 F7'));
    expect(sim.serialPort(0x08)?.listening).toBe(false);
    host([0xff]);
    expect(sim.serialPort(0x08)).toBeUndefined();
    expect(sim.pinMode(10)).toBe(0x01);
  });

  it('unplugs serial devices at stop() and plugs them back at start()', () => {
    const { sim } = rig();
    const w = wire();
    sim.attachSerial(0x08, w.stream);
    expect(w.plugged()).toBe(true);
    sim.stop();
    expect(w.plugged()).toBe(false);
    sim.start();
    expect(w.plugged()).toBe(true);
    sim.detachSerial(0x08);
    expect(w.plugged()).toBe(false);
  });
});
