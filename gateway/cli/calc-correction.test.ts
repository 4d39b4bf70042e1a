import { describe, expect, it } from 'vitest';
import { runCalcNo2B43f, runCalcPmCorrection, type CalcNo2B43fOptions, type CalcPmCorrectionOptions } from './calc-correction.js';

function capture<O>(run: (o: O, io: { out(l: string): void; err(l: string): void }) => number, o: O) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(o, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err, json: out.length === 1 ? (JSON.parse(out[0] ?? '') as Record<string, number>) : undefined };
}
const pm = (o: CalcPmCorrectionOptions) => capture(runCalcPmCorrection, o);
const no2 = (o: CalcNo2B43fOptions) => capture(runCalcNo2B43f, o);

describe('airlane calc pm-correction', () => {
  it('epa-2021: 20 µg/m³ CF=1 at 60 % RH → 11.058 (Barkjohn et al. 2021)', () => {
    const r = pm({ method: 'epa-2021', pm25: '20', rh: '60' });
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out).toEqual(['{"pm25_ugm3":11.058}']);
  });

  it('epa-fasm across its segments (Barkjohn et al. 2022)', () => {
    expect(pm({ method: 'epa-fasm', pm25: '40', rh: '50' }).json?.pm25_ugm3).toBeCloseTo(27.64, 4);
    expect(pm({ method: 'epa-fasm', pm25: '100', rh: '60' }).json?.pm25_ugm3).toBeCloseTo(79.178, 4);
    expect(pm({ method: 'epa-fasm', pm25: '235', rh: '50' }).json?.pm25_ugm3).toBeCloseTo(200.0425, 4);
    expect(pm({ method: 'epa-fasm', pm25: '300', rh: '50' }).json?.pm25_ugm3).toBeCloseTo(289.526, 4);
  });

  it('kohler: 30 µg/m³ at 80 % RH with κ 0.4 → 15.2308 (Crilley et al. 2018)', () => {
    expect(pm({ method: 'kohler', pm25: '30', rh: '80', kappa: '0.4' }).out).toEqual(['{"pm25_ugm3":15.2308}']);
  });

  it('never prints a negative concentration', () => {
    expect(pm({ method: 'epa-2021', pm25: '0', rh: '100' }).out).toEqual(['{"pm25_ugm3":0}']);
  });

  it('usage errors name the flag, print nothing on stdout and exit 2', () => {
    const cases: [CalcPmCorrectionOptions, RegExp][] = [
      [{ pm25: '20', rh: '60' }, /^--method is required; one of epa-2021, epa-fasm, kohler$/],
      [{ method: 'epa', pm25: '20', rh: '60' }, /^--method "epa" is unknown/],
      [{ method: 'epa-2021', rh: '60' }, /^--pm25 is required; give the Plantower CF=1 PM2.5/],
      [{ method: 'epa-2021', pm25: 'abc', rh: '60' }, /^--pm25 "abc" is not a number/],
      [{ method: 'epa-2021', pm25: '-3', rh: '60' }, /^--pm25 -3 is below 0/],
      [{ method: 'epa-fasm', pm25: '20' }, /^--rh is required; give the relative humidity in % \(epa-fasm needs it\)$/],
      [{ method: 'kohler', pm25: '20', rh: '60' }, /^--kappa is required/],
      [{ method: 'epa-2021', pm25: '20', rh: '60', kappa: '0.3' }, /^--kappa applies to --method kohler only/],
    ];
    for (const [o, message] of cases) {
      const r = pm(o);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    }
  });
});

// Real calibration sheet of NO2-B43F 202440338 (smartcitizen-data calibrations.json; firmware/drivers/no2-b43f/
// fixtures.ts): WEe 232.95, AEe 217.2, WEo −29.492, AEo −18.396 mV, 0.247543 mV/ppb. Raw WE 260.00, AE 199.00 mV
// → WEt 27.05, AEt −18.20 mV (the driver's hand-worked example, algorithm.test.ts).
const sheet = { we: '260', ae: '199', weZero: '232.95', aeZero: '217.2', sensitivity: '0.247543' };

describe('airlane calc no2-b43f', () => {
  it('algorithm 1 (default) at 30 °C, a table node: nT 0.4 → WEc = 27.05 + 7.28 = 34.33 mV → 138.683 ppb', () => {
    const r = no2({ ...sheet, temp: '30' });
    expect(r.code).toBe(0);
    expect(r.json?.we_corrected_mv).toBeCloseTo(34.33, 4);
    expect(r.json?.no2_ppb).toBeCloseTo(138.683, 3);
    expect(Object.keys(r.json ?? {})).toEqual(['no2_ppb', 'we_corrected_mv']);
  });

  it('between the 10 °C nodes nT is linear: 15 °C → (1.0 + 0.6)/2 = 0.8 → 41.61 mV → 168.092 ppb', () => {
    const r = no2({ ...sheet, temp: '15', algorithm: '1' });
    expect(r.json?.we_corrected_mv).toBeCloseTo(41.61, 4);
    expect(r.json?.no2_ppb).toBeCloseTo(168.092, 3);
  });

  it("algorithm 3 at 35 °C with the sensor zeros: k'T 0.15 → 27.05 + 11.096 + 2.73 = 40.876 mV → 165.127 ppb", () => {
    const r = no2({ ...sheet, temp: '35', algorithm: '3', weSensorZero: '-29.492', aeSensorZero: '-18.396' });
    expect(r.json?.we_corrected_mv).toBeCloseTo(40.876, 4);
    expect(r.json?.no2_ppb).toBeCloseTo(165.1269, 3);
  });

  it("algorithm 4 at 15 °C: k''T 2 mV → 27.05 + 29.492 − 2 = 54.542 mV", () => {
    expect(no2({ ...sheet, temp: '15', algorithm: '4', weSensorZero: '-29.492' }).json?.we_corrected_mv).toBeCloseTo(54.542, 4);
  });

  // A published sample: NO2-A43F 212060308 on an Alphasense AFE, recorded by South Coast Science with the weC their
  // library computed by AAN 803 algorithm 1 (scs_core src/scs_core/model/gas/s1/gas_request.py, commit 441baeeb,
  // docstring "example document": weV 0.31569, aeV 0.3095, 22.2 °C, weC 0.00395 V; sheet WEe 309, AEe 308 mV,
  // 0.192 mV/ppb). 22.2 °C: nT = 1.8 + 0.22·0.1 = 1.822 → WEc = 6.69 − 1.822·1.5 = 3.957 mV (recorded: 3.95, rounded
  // to 10 µV) → 20.6094 ppb.
  it('reproduces the scs_core recorded weC of a real NO2-A43F sample (series A4)', () => {
    const r = no2({ we: '315.69', ae: '309.5', weZero: '309', aeZero: '308', sensitivity: '0.192', temp: '22.2', series: 'A4' });
    expect(r.json?.we_corrected_mv).toBeCloseTo(3.957, 4);
    expect(Math.abs((r.json?.we_corrected_mv ?? 0) - 3.95)).toBeLessThanOrEqual(0.0191);
    expect(r.json?.no2_ppb).toBeCloseTo(20.6094, 4);
  });

  it('usage errors name the flag and exit 2', () => {
    const cases: [CalcNo2B43fOptions, RegExp][] = [
      [{ ...sheet }, /^--temp is required; give the sensor temperature in °C$/],
      [{ ...sheet, we: undefined, temp: '20' }, /^--we is required/],
      [{ ...sheet, temp: 'warm' }, /^--temp "warm" is not a number/],
      [{ ...sheet, temp: '20', algorithm: '5' }, /^--algorithm "5" is not an AAN 803 algorithm; give 1, 2, 3 or 4$/],
      [{ ...sheet, temp: '20', sensitivity: '0' }, /^--sensitivity must not be 0/],
      [{ ...sheet, temp: '20', algorithm: '2' }, /^--we-sensor-zero is required by AAN 803 algorithm 2/],
      [{ ...sheet, temp: '20', algorithm: '3', weSensorZero: '-29.492' }, /^--ae-sensor-zero is required by AAN 803 algorithm 3/],
      [{ ...sheet, temp: '20', algorithm: '2', weSensorZero: '-29.492', aeSensorZero: '0' }, /^--ae-sensor-zero: AAN 803 algorithm 2 scales AE by WEo\/AEo/],
      [{ ...sheet, temp: '20', algorithm: '4', weSensorZero: '3', series: 'A4' }, /^--algorithm: AAN 803 algorithm 4 needs a k''T table.*use --algorithm 1 or 3$/],
      [{ ...sheet, temp: '20', series: 'C4' }, /^--series "C4" is unknown/],
    ];
    for (const [o, message] of cases) {
      const r = no2(o);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err[0]).toMatch(message);
    }
  });
});
