// Plantower PMS5003T: the PMS5003 protocol, driver and simulator with the 'pms5003t' field layout.
import type { Duplex } from 'node:stream';
import { Pms5003, type Pms5003DriverOptions } from '../pms5003/driver.js';
import { Pms5003Simulator, type Pms5003SimulatorOptions } from '../pms5003/simulator.js';
import { PmsParser } from '../pms5003/protocol.js';

export { pms5003t as definition, pms5003t } from './definition.js';
export const variant = 'pms5003t' as const;

export const createParser = () => new PmsParser({ variant });
export const createDriver = (port: Duplex, options: Omit<Pms5003DriverOptions, 'variant'> = {}) =>
  new Pms5003(port, { ...options, variant });
export const createSimulator = (port: Duplex, options: Omit<Pms5003SimulatorOptions, 'variant'> = {}) =>
  new Pms5003Simulator(port, { ...options, variant });
