// The registry of sensor parts: one line per part folder. firmware/drivers/registry.test.ts fails when a folder
// and this list disagree. Parts that are not sampled by the node runtime (the ADS1115 is a converter used by
// no2-b43f; the vehicle counter is wired through a Firmata board) are listed in `componentFolders`.
import type { PartModule } from './types.js';
import { pms5003Part } from './pms5003/part.js';
import { pms5003tPart } from './pms5003t/part.js';
import { bme280Part } from './bme280/part.js';
import { no2B43fPart } from './no2-b43f/part.js';
import { sds011Part } from './sds011/part.js';
import { sht3xPart } from './sht3x/part.js';
import { sht4xPart } from './sht4x/part.js';
import { pms7003Part } from './pms7003/part.js';
import { pmsa003iPart } from './pmsa003i/part.js';
import { sps30Part } from './sps30/part.js';
import { analogPart } from './analog/part.js';

export const partModules: readonly PartModule<any>[] = [
  pms5003Part,
  pms5003tPart,
  pms7003Part,
  pmsa003iPart,
  sds011Part,
  sps30Part,
  bme280Part,
  sht3xPart,
  sht4xPart,
  no2B43fPart,
  analogPart,
];

/** Driver folders that are building blocks or counters rather than sampled parts. */
export const componentFolders: readonly string[] = ['ads1115', 'vehicle-counter'];
