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
