// The `corrections:` block of one part in the station file: the only place the correction options, their types and
// defaults live (STYLE.md). Keyed by the quantity being corrected (`pm25`, `pm10`, `no2` …); each entry names its
// input channel, its method and where its RH comes from. README.md shows it in a station file.
import { z } from 'zod';
import { GASES, type Gas } from '../../air/corrections/gas.js';
import { KOHLER_RH_CAP_PCT } from '../../air/corrections/kohler.js';

/** Units a corrected quantity may carry (the suffix of its input's canonical name, DESIGN.md §3). */
export const CONCENTRATION_UNITS = ['ugm3', 'ppb'] as const;
export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

const quantityName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a canonical quantity name: snake_case, e.g. pm25_cf1_ugm3');
const inputName = quantityName.refine(
  (s) => (CONCENTRATION_UNITS as readonly string[]).includes(s.slice(s.lastIndexOf('_') + 1)),
  { message: `the input must be a concentration whose name ends in its unit: ${CONCENTRATION_UNITS.map((u) => `_${u}`).join(' or ')}` },
);

/** Where a method's RH comes from: the latest value of `quantity` on the same (site, node). */
const rhFrom = z.strictObject({
  /** The part that measures it (e.g. bme280). Omitted: this point's own field, else any part on the node. */
  part: z.string().min(1).optional(),
  quantity: quantityName.default('humidity_pct'),
  /** An RH older (or newer) than this, relative to the point's time, is not used: the point stays uncorrected. */
  max_age_s: z.number().positive().default(600),
});
export type RhFrom = z.output<typeof rhFrom>;

/** Gases only: also write the corrected value in the other unit at this reference temperature (°C, 101.325 kPa). */
const conversions = {
  also_ugm3_at_c: z.number().gt(-273.15).optional(),
  also_ppb_at_c: z.number().gt(-273.15).optional(),
};

const linear = z.strictObject({
  method: z.literal('linear'),
  /** Input field; default `<key>_ugm3` for PM, `<key>_ppb` for gases. */
  input: inputName.optional(),
  slope: z.number().refine((v) => v !== 0, 'slope must not be 0').default(1),
  /** In the input's unit. */
  offset: z.number().default(0),
  ...conversions,
});

const epa = <M extends 'epa-2021' | 'epa-fasm'>(method: M) =>
  z.strictObject({
    method: z.literal(method),
    /**
     * Required: the EPA fits were made on Plantower CF=1 PM2.5 (`pm25_cf1_ugm3`); the ATM channel (`pm25_ugm3`)
     * gives other numbers (air-quality.md §5), so the station file says which one it feeds.
     */
    input: inputName,
    rh_from: rhFrom.default({ quantity: 'humidity_pct', max_age_s: 600 }),
  });

const kohler = z.strictObject({
  method: z.literal('kohler'),
  input: inputName.optional(),
  /** Bulk hygroscopicity κ of the local aerosol (urban 0.04–0.13 measured in Warsaw; (NH4)2SO4 0.53). */
  kappa: z.number().min(0),
  rh_from: rhFrom.default({ quantity: 'humidity_pct', max_age_s: 600 }),
  rh_cap_pct: z.number().gt(0).max(99).default(KOHLER_RH_CAP_PCT),
});

export const correctionOptions = z.discriminatedUnion('method', [linear, epa('epa-2021'), epa('epa-fasm'), kohler]);
export type CorrectionOptions = z.output<typeof correctionOptions>;

/** The key of a correction names the quantity it produces: `<key>_corrected_<unit>`. */
const correctionKey = z.string().regex(/^[a-z][a-z0-9]*$/, 'a quantity stem such as pm25, pm10 or no2');

export const correctionsOptions = z.record(correctionKey, correctionOptions).superRefine((all, ctx) => {
  for (const [key, c] of Object.entries(all)) {
    const unit = inputUnit(key, c);
    const isGas = (GASES as readonly string[]).includes(key);
    if (c.method !== 'linear' && unit !== 'ugm3') {
      ctx.addIssue({ code: 'custom', path: [key, 'input'], message: `${c.method} corrects particle mass: its input must be in µg/m³ (…_ugm3)` });
    }
    if (c.method === 'linear') {
      if (c.also_ugm3_at_c !== undefined && (!isGas || unit !== 'ppb')) {
        ctx.addIssue({ code: 'custom', path: [key, 'also_ugm3_at_c'], message: `also_ugm3_at_c needs a gas (${GASES.join(', ')}) measured in ppb` });
      }
      if (c.also_ppb_at_c !== undefined && (!isGas || unit !== 'ugm3')) {
        ctx.addIssue({ code: 'custom', path: [key, 'also_ppb_at_c'], message: `also_ppb_at_c needs a gas (${GASES.join(', ')}) measured in µg/m³` });
      }
    }
  }
});
export type CorrectionsOptions = z.output<typeof correctionsOptions>;
export type CorrectionsOptionsInput = z.input<typeof correctionsOptions>;

/** The field a correction reads. */
export function inputField(key: string, c: CorrectionOptions): string {
  return c.input ?? `${key}_${(GASES as readonly string[]).includes(key) ? 'ppb' : 'ugm3'}`;
}

export function inputUnit(key: string, c: CorrectionOptions): ConcentrationUnit {
  const f = inputField(key, c);
  return f.slice(f.lastIndexOf('_') + 1) as ConcentrationUnit;
}

export function asGas(key: string): Gas | undefined {
  return (GASES as readonly string[]).includes(key) ? (key as Gas) : undefined;
}
