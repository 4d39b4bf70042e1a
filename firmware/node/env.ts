// The buses a node's parts are opened on: the Pi's real UART and I2C, or — on a simulated station — socat ptys
// (or in-process streams) with device simulators on the far end and one FakeI2cBus per bus number.
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { FakeI2cBus, type I2cBus } from '../buses/i2c.js';
import { closeSerialPort, openSerialPort, simulatedSerial } from '../buses/serial.js';
import { openLinuxI2cBus } from '../buses/i2c-linux.js';
import type { PartEnv, SerialLink } from '../drivers/types.js';

export type StationEnv = Omit<PartEnv, 'latest' | 'bus'> & { close(): Promise<void> };

export function stationEnv(simulate: boolean, log: Logger): StationEnv {
  const i2cBuses = new Map<number, Promise<I2cBus>>();
  return {
    simulate,
    log,
    async serial(opts: { path: string; baudRate: number }, attachDevice: (deviceEnd: Duplex) => { stop(): void }): Promise<SerialLink> {
      if (simulate) {
        const line = await simulatedSerial(opts.baudRate);
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
      const port = await openSerialPort(opts.path, opts.baudRate);
      return { stream: port, where: opts.path, close: () => closeSerialPort(port) };
    },
    i2c(bus: number): Promise<I2cBus> {
      let b = i2cBuses.get(bus);
      if (!b) {
        b = simulate ? Promise.resolve(new FakeI2cBus()) : openLinuxI2cBus(bus);
        i2cBuses.set(bus, b);
        // A bus that failed to open (i2c-dev not loaded yet, permissions) is tried again on the next open.
        b.catch(() => i2cBuses.delete(bus));
      }
      return b;
    },
    async close() {
      const open = [...i2cBuses.values()];
      i2cBuses.clear();
      for (const b of open) {
        const bus = (await b.catch(() => undefined)) as (I2cBus & { close?: () => Promise<void> }) | undefined;
        await bus?.close?.().catch(() => undefined);
      }
    },
  };
}
