// A plausible urban day for the device simulators: traffic with morning and evening rush hours, and the
// kerbside pollution that follows it. Every simulator reads the same scenario so that the demo's NO2 and PM
// rise with its simulated traffic. Shapes only, not a model: two Gaussian peaks (08:00, 17:30) on a night
// floor, pollution = urban background + a traffic increment, plus small deterministic noise.

export interface UrbanConditions {
  /** Vehicles per minute on one lane. */
  vehiclesPerMin: number;
  heavyShare: number;
  pm25_ugm3: number;
  pm10_ugm3: number;
  pm1_ugm3: number;
  no2_ppb: number;
  temperature_c: number;
  humidity_pct: number;
  pressure_hpa: number;
}

const peak = (h: number, centre: number, width: number) => Math.exp(-(((h - centre) / width) ** 2) / 2);

/** Deterministic noise in [-1, 1] so a given instant always yields the same conditions. */
function noise(t: number, salt: number): number {
  const x = Math.sin(t * 12.9898e-3 + salt * 78.233) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

export function urbanConditions(at: Date): UrbanConditions {
  const h = at.getUTCHours() + at.getUTCMinutes() / 60 + at.getUTCSeconds() / 3600;
  const t = Math.floor(at.getTime() / 1000);
  const traffic = 0.08 + 0.92 * Math.max(peak(h, 8, 1.1), 0.85 * peak(h, 17.5, 1.5)) + 0.35 * peak(h, 13, 3);
  const vehiclesPerMin = Math.max(0, 22 * traffic * (1 + 0.1 * noise(t, 1)));
  const pm25 = Math.max(0, 7 + 0.55 * vehiclesPerMin + 1.5 * noise(t, 2));
  const no2 = Math.max(0, 9 + 1.6 * vehiclesPerMin + 2 * noise(t, 3));
  const temperature = 11 + 6 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + 0.2 * noise(t, 4);
  return {
    vehiclesPerMin,
    heavyShare: 0.08 + 0.04 * peak(h, 11, 3),
    pm25_ugm3: pm25,
    pm10_ugm3: pm25 * 1.6 + 2,
    pm1_ugm3: pm25 * 0.7,
    no2_ppb: no2,
    temperature_c: temperature,
    humidity_pct: Math.min(98, Math.max(20, 75 - 2.2 * (temperature - 11) + 3 * noise(t, 5))),
    pressure_hpa: 1013.25 + 2 * noise(Math.floor(t / 600), 6),
  };
}
