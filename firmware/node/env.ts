// The buses a node's parts are opened on. A node on the Pi uses the Pi's UARTs and I2C buses; an Arduino
// satellite node (`board:` in the station file) reaches its parts through ConfigurableFirmata — software serial
// ports and its I2C bus. On a simulated station every bus is real code over simulated wires: socat ptys (or
// in-process streams) with device simulators on the far end, one FakeI2cBus per bus, and a virtual Arduino that
// speaks Firmata and carries its own simulated parts.
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { FakeI2cBus, type I2cBus } from '../buses/i2c.js';
import { closeSerialPort, duplexPair, openSerialPort, simulatedSerial, type SimulatedSerial } from '../buses/serial.js';
import { openLinuxI2cBus } from '../buses/i2c-linux.js';
import { FIRMATA_BAUD, openFirmataBoard, type FirmataBoard } from '../buses/firmata.js';
import { firmataI2cBus, SimulatedFirmataI2cBus } from '../buses/firmata-i2c.js';
import { firmataSerialPort } from '../buses/firmata-serial.js';
import { FirmataBoardSimulator } from '../sim/firmata-board.js';
import { busKind, type AnalogInput, type BusConfig, type PartEnv, type SerialLink } from '../drivers/types.js';

/** An Arduino satellite: the serial port it hangs on (USB) and its Firmata baud rate. */
export interface BoardConfig {
  type: 'firmata';
  port: string;
  baud_rate: number;
  /** Full-scale voltage of the ADC (AREF): 5000 mV on a 5 V Uno/Nano with the default reference. */
  analog_reference_mv?: number;
}

export interface SatelliteBoard {
  fb: FirmataBoard;
  simulator?: FirmataBoardSimulator;
}

export interface NodeEnv {
  simulate: boolean;
  log: Logger;
  /** A serial line on `bus` for `part` (a UART of the Pi or a satellite's software serial port). */
  serialFor(bus: BusConfig, part: string, baudRate: number, attachDevice: (deviceEnd: Duplex) => { stop(): void }): Promise<SerialLink>;
  /** The I2C bus `bus` for `part`, shared by the node's parts on it. */
  i2cFor(bus: BusConfig, part: string): Promise<I2cBus>;
  /** The analog input `bus` for `part` (a satellite's A0–A5). */
  analogFor(bus: BusConfig, part: string, simulatedMv: () => number): Promise<AnalogInput>;
  /**
   * The satellite's Firmata board (opened once, on first use), for counters wired to the same Arduino; on a
   * simulated station with the virtual Arduino behind it, so the counter can drive its loops.
   */
  board(): Promise<SatelliteBoard>;
  close(): Promise<void>;
}

function wrongBus(part: string, bus: BusConfig, wanted: 'serial' | 'i2c' | 'analog'): Error {
  const fix = {
    serial: ['a UART', 'bus: { type: uart, path: /dev/ttyAMA0 } (or firmata-serial on a satellite)'],
    i2c: ['an I2C', 'bus: { type: i2c, bus: 1 } (or firmata-i2c on a satellite)'],
    analog: ['an analog', 'bus: { type: firmata-analog, channel: 0 } on a satellite'],
  }[wanted];
  return new Error(`${part} is ${fix[0]} part but is wired to a ${bus.type} bus: give it ${fix[1]}`);
}

/** How often a simulated analog pin follows its simulated voltage. */
const SIM_ANALOG_MS = 200;

export function nodeEnv(opts: { simulate: boolean; log: Logger; board?: BoardConfig | undefined }): NodeEnv {
  const { simulate, log } = opts;
  const i2cBuses = new Map<string, Promise<I2cBus>>();
  let satellite: Promise<{ fb: FirmataBoard; sim?: FirmataBoardSimulator; line?: SimulatedSerial }> | undefined;

  const openSatellite = () => {
    const board = opts.board;
    if (!board) return Promise.reject(new Error('this node has no `board:` (an Arduino satellite) for its firmata buses: add board: { type: firmata, port: /dev/ttyACM0 }'));
    satellite ??= (async () => {
      const onError = (e: Error) => log.warn({ board: board.port }, e.message);
      if (!simulate) return { fb: await openFirmataBoard({ path: board.port, baudRate: board.baud_rate }, { timeoutMs: 10_000, onError }) };
      const line = await simulatedSerial(board.baud_rate ?? FIRMATA_BAUD);
      const sim = new FirmataBoardSimulator(line.device, { firmwareName: 'ConfigurableFirmata' }).start();
      try {
        const fb = await openFirmataBoard({ port: line.host }, { timeoutMs: 10_000, reportVersionTimeoutMs: 200, onError });
        return { fb, sim, line };
      } catch (e) {
        sim.stop();
        await line.close();
        throw e;
      }
    })();
    // A board that did not answer is tried again on the next open (the runtime retries parts with backoff).
    satellite.catch(() => (satellite = undefined));
    return satellite;
  };

  return {
    simulate,
    log,
    board: async () => {
      const { fb, sim } = await openSatellite();
      return sim ? { fb, simulator: sim } : { fb };
    },

    async serialFor(bus, part, baudRate, attachDevice) {
      if (busKind(bus) !== 'serial') throw wrongBus(part, bus, 'serial');
      if (bus.type === 'firmata-serial') {
        const { fb, sim } = await openSatellite();
        let device: { stop(): void } | undefined;
        if (sim) {
          const wire = duplexPair();
          sim.attachSerial(bus.port_id, wire.host, { rxPin: bus.rx_pin, txPin: bus.tx_pin });
          device = attachDevice(wire.device);
        }
        const stream = firmataSerialPort(fb.io, { portId: bus.port_id, baud: bus.baud_rate ?? baudRate, rxPin: bus.rx_pin, txPin: bus.tx_pin });
        return {
          stream,
          where: stream.where,
          async close() {
            await stream.close();
            device?.stop();
            sim?.detachSerial(bus.port_id);
          },
        };
      }
      if (bus.type !== 'uart') throw wrongBus(part, bus, 'serial');
      const baud = bus.baud_rate ?? baudRate;
      if (simulate) {
        const line = await simulatedSerial(baud);
        const device = attachDevice(line.device);
        return {
          stream: line.host,
          where: line.where,
          async close() {
            device.stop();
            await line.close();
          },
        };
      }
      const port = await openSerialPort(bus.path, baud);
      return { stream: port, where: bus.path, close: () => closeSerialPort(port) };
    },

    i2cFor(bus, part) {
      if (bus.type !== 'i2c' && bus.type !== 'firmata-i2c') return Promise.reject(wrongBus(part, bus, 'i2c'));
      const key = bus.type === 'i2c' ? `i2c-${bus.bus}` : 'firmata-i2c';
      let b = i2cBuses.get(key);
      if (!b) {
        if (bus.type === 'firmata-i2c') {
          b = openSatellite().then(({ fb, sim }) => {
            const real = firmataI2cBus(fb.io, { where: opts.board?.port ?? 'satellite' });
            return sim ? new SimulatedFirmataI2cBus(real, sim) : real;
          });
        } else b = simulate ? Promise.resolve(new FakeI2cBus()) : openLinuxI2cBus(bus.bus);
        i2cBuses.set(key, b);
        // A bus that failed to open (i2c-dev not loaded yet, permissions, board away) is tried again next time.
        b.catch(() => i2cBuses.delete(key));
      }
      return b;
    },

    async analogFor(bus, part, simulatedMv) {
      if (bus.type !== 'firmata-analog') throw wrongBus(part, bus, 'analog');
      const { fb, sim } = await openSatellite();
      const referenceMv = opts.board?.analog_reference_mv ?? 5000;
      const toRaw = () => Math.max(0, Math.min(1023, Math.round((simulatedMv() / referenceMv) * 1023)));
      let timer: NodeJS.Timeout | undefined;
      if (sim) {
        sim.setAnalog(bus.channel, toRaw());
        timer = setInterval(() => sim.setAnalog(bus.channel, toRaw()), SIM_ANALOG_MS);
      }
      let latest: number | undefined;
      const onValue = (v: number) => (latest = v);
      fb.io.analogRead(bus.channel, onValue);
      return {
        referenceMv,
        where: `${opts.board?.port ?? 'satellite'} A${bus.channel}`,
        latest: () => latest,
        async close() {
          clearInterval(timer);
          fb.io.removeListener(`analog-read-${bus.channel}`, onValue);
          fb.io.reportAnalogPin(bus.channel, 0);
        },
      };
    },

    async close() {
      const open = [...i2cBuses.values()];
      i2cBuses.clear();
      for (const b of open) {
        const bus = (await b.catch(() => undefined)) as (I2cBus & { close?: () => Promise<void> }) | undefined;
        await bus?.close?.().catch(() => undefined);
      }
      const sat = await satellite?.catch(() => undefined);
      satellite = undefined;
      if (sat) {
        await sat.fb.close().catch(() => undefined);
        sat.sim?.stop();
        await sat.line?.close();
      }
    },
  };
}

/** What one part sees of its node: its own bus, resolved through the node's buses. */
export function partEnv(node: Pick<NodeEnv, 'simulate' | 'log' | 'serialFor' | 'i2cFor'> & Partial<Pick<NodeEnv, 'analogFor'>>, bus: BusConfig, part: string, latest: (q: string) => number | undefined = () => undefined): PartEnv {
  return {
    simulate: node.simulate,
    log: node.log,
    bus,
    serial: (baud, attach) => node.serialFor(bus, part, baud, attach),
    i2c: () => node.i2cFor(bus, part),
    analog: (simulatedMv) => (node.analogFor ? node.analogFor(bus, part, simulatedMv) : Promise.reject(wrongBus(part, bus, 'analog'))),
    latest,
  };
}

/** Where a part is wired, in the words an installer uses. */
export function describeBus(bus: BusConfig, boardPort = 'the satellite'): string {
  switch (bus.type) {
    case 'uart':
      return bus.path;
    case 'i2c':
      return `i2c-${bus.bus}`;
    case 'firmata-serial':
      return `${boardPort} software serial ${bus.port_id - 8} (rx ${bus.rx_pin}, tx ${bus.tx_pin})`;
    case 'firmata-i2c':
      return `${boardPort} I2C`;
    case 'firmata-analog':
      return `${boardPort} A${bus.channel}`;
  }
}
