// openFirmataBoard against the simulated StandardFirmata board over an in-process stream (the pty version is in
// test/integration/firmata-counter.test.ts), and its errors when nothing or something else answers.
import { Duplex, PassThrough } from 'node:stream';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { FirmataBoardSimulator } from '../sim/firmata-board.js';
import { duplexPair } from './serial.js';
import { openFirmataBoard, type FirmataBoard } from './firmata.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

describe('openFirmataBoard', () => {
  it('completes the johnny-five handshake with a StandardFirmata board and reads an input pin', async () => {
    const { host, device } = duplexPair();
    const sim = new FirmataBoardSimulator(device, { announce: false }).start();
    open.push({ close: async () => sim.stop() });
    const fb: FirmataBoard = await openFirmataBoard({ port: host }, { timeoutMs: 5_000, reportVersionTimeoutMs: 10 });
    open.push(fb);

    expect(fb.board.isReady).toBe(true);
    expect(fb.io.version).toEqual({ major: 2, minor: 5 });
    expect(fb.io.firmware).toEqual({ name: 'StandardFirmata.ino', version: { major: 2, minor: 5 } });
    expect(fb.io.pins).toHaveLength(20);
    expect(fb.io.analogPins).toEqual([14, 15, 16, 17, 18, 19]);
    expect(fb.io.pins[3]!.supportedModes).toEqual([0, 1, 3, 4, 11]);

    const levels: number[] = [];
    fb.board.pinMode(2, 0x0b as never);
    const first = new Promise<void>((resolve) =>
      fb.board.digitalRead(2, (v) => {
        levels.push(v);
        if (levels.length === 1) resolve();
      }),
    );
    await first; // the port value sent when reporting is enabled: pull-up HIGH
    const low = new Promise<void>((resolve) => fb.board.io.once('digital-read-2', () => resolve()));
    sim.setDigital(2, 0);
    await low;
    expect(levels).toEqual([1, 0]);
    expect(sim.pinMode(2)).toBe(0x0b);
  });

  it('picks up the version report a freshly reset board sends on its own', async () => {
    const { host, device } = duplexPair();
    // The host listens before the board boots, as after the DTR reset that opening a real port causes.
    const pending = openFirmataBoard({ port: host }, { timeoutMs: 5_000, reportVersionTimeoutMs: 60_000 });
    const sim = new FirmataBoardSimulator(device, { firmwareName: 'ConfigurableFirmata.ino' }).start();
    open.push({ close: async () => sim.stop() });
    const fb = await pending;
    open.push(fb);
    expect(fb.io.firmware.name).toBe('ConfigurableFirmata.ino');
  });

  it('says what to check when nothing answers, and leaves the injected stream as it found it', async () => {
    const { host } = duplexPair();
    const before = host.listenerCount('data');
    await expect(openFirmataBoard({ port: host }, { timeoutMs: 150, reportVersionTimeoutMs: 10 })).rejects.toThrow(
      'no Firmata board answered on the injected serial stream within 150 ms: nothing was received. Check that this ' +
        "is the Arduino's port (ls -l /dev/serial/by-id/), that the USB cable is plugged in, and that the board is " +
        'flashed with StandardFirmata (Arduino IDE: File > Examples > Firmata).',
    );
    expect(host.listenerCount('data')).toBe(before);
  });

  it('tells another sketch from silence', async () => {
    const toHost = new PassThrough();
    const link = Duplex.from({ readable: toHost, writable: new PassThrough() });
    const chatter = setInterval(() => toHost.write('Temp: 21.5\r\n'), 5);
    try {
      await expect(openFirmataBoard({ port: link }, { timeoutMs: 150, reportVersionTimeoutMs: 10 })).rejects.toThrow(
        /bytes but no Firmata version report\. The board runs another sketch or talks at a baud rate other than 57600/,
      );
    } finally {
      clearInterval(chatter);
    }
  });

  it('waits for a serialport that is still opening instead of opening it twice', async () => {
    // toolchain.md §3: SerialPortMock.binding (not @serialport/binding-mock's ESM build) to create the fake port.
    SerialPortMock.binding.createPort('/dev/ttyAIRLANE-OPENING', { echo: false, record: true });
    const port = new SerialPortMock({ path: '/dev/ttyAIRLANE-OPENING', baudRate: 57_600 });
    expect(port.opening).toBe(true);
    await expect(openFirmataBoard({ port }, { timeoutMs: 150, reportVersionTimeoutMs: 10 })).rejects.toThrow(
      /^no Firmata board answered on \/dev\/ttyAIRLANE-OPENING within 150 ms: nothing was received/,
    );
    // Firmata asked for the version and firmware once its reportVersionTimeout passed (protocols.md §7).
    expect([...port.port!.recording]).toEqual([0xf9, 0xf0, 0x79, 0xf7]);
    await new Promise<void>((r) => port.close(() => r()));
  });

  it('names the port it could not open', async () => {
    await expect(openFirmataBoard({ path: '/dev/ttyAIRLANE-MISSING' }, { timeoutMs: 500 })).rejects.toThrow(
      /^cannot open \/dev\/ttyAIRLANE-MISSING: .*Check the port name \(ls -l \/dev\/serial\/by-id\/\)/,
    );
  });
});
