// The vehicle counter as a part: detector pulses read through an Arduino running StandardFirmata, counted per
// interval into TrafficCount values (gateway/core/reading.ts).
import type { PartDefinition } from '../types.js';

export const vehicleCounterDefinition: PartDefinition = {
  id: 'vehicle-counter',
  maker: 'generic',
  model: 'inductive loop detector or pneumatic tube counter, pulse output on an Arduino digital pin (Firmata)',
  bus: 'firmata',
  quantities: [
    // Upper bound: one lane at saturation flow for an hour, 1800–2000 veh/h (traffic.md §2); shorter intervals
    // scale down, so a 60 s count above ~35 is already suspicious.
    { name: 'vehicles', unit: 'count', min: 0, max: 2000, precision: 0 },
    { name: 'heavy_vehicles', unit: 'count', min: 0, max: 2000, precision: 0 },
    // Share of the interval a vehicle was over the detector; rounded to 0.1 % by the counter.
    { name: 'occupancy_pct', unit: '%', min: 0, max: 100, precision: 1 },
  ],
  warmupS: 0,
  source:
    'traffic.md §3 (count shape: interval start, interval length, volume and occupancy per detector); ' +
    'firmata/protocol protocol.md (digital port reports); heavy-vehicle threshold is a project choice (options.ts)',
};
