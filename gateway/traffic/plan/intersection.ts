// The intersection file: phases, the movements each serves, their saturation flows and detectors, cycle limits,
// the plan the controller runs today and the air-quality trigger. One zod schema (types, defaults, validation);
// the loader reports every problem as "file: line N: key.path: what is wrong — what to do", like config/load.ts.
import { issueLine, parseYamlMapping, readTextFile } from '../../config/yaml-file.js';
import { z } from 'zod';

const ID = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use letters, digits, "_", "." or "-" (at most 64)');
const CLOCK = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'write the local time as HH:MM, e.g. 07:30');

const detectorSchema = z.strictObject({
  /** The `detector` tag of the Airlane `traffic` measurement (or the CSV column). */
  detector: ID,
  /** The `lane` tag; "all" when the detector counts the whole approach. */
  lane: z.string().min(1).max(32).default('all'),
});

const movementSchema = z
  .strictObject({
    id: ID,
    /** Where the traffic comes from: the arm it arrives on (north, south, east, west or the street's name). */
    approach: z.string().min(1).max(64),
    turn: z.enum(['left', 'through', 'right', 'through_right', 'left_through', 'all']),
    lanes: z.number().int().min(1).max(8),
    /** Measured or agreed saturation flow of the whole lane group, veh/h of the prevailing mix: used as is. */
    saturation_flow_vph: z.number().positive().max(20000).optional(),
    /** Otherwise s = base × lanes × lane_factor × fHV (HCM 6th ed. Eq. 19-8; fHV from the counted heavy share). */
    base_saturation_flow_pcphpl: z.number().positive().max(3000).default(1900),
    /** Product of the other HCM factors (lane width, utilisation, turns, grade…) that apply to this lane group. */
    lane_factor: z.number().positive().max(1.2).default(1),
    /** Passenger-car equivalent of a heavy vehicle at a signal: E_T = 2.0 (HCM 2000). */
    heavy_vehicle_pce: z.number().min(1).max(5).default(2),
    detectors: z.array(detectorSchema).min(1),
  });

const phaseSchema = z.strictObject({
  id: ID,
  /** Movement ids this phase serves (with right of way). */
  movements: z.array(ID).min(1),
  /** Displayed green limits, s. */
  min_green_s: z.number().min(0).max(300).default(7),
  max_green_s: z.number().positive().max(300).default(90),
  /** Walk + clearance the crossing served in this phase needs, s (displayed green must cover it). */
  pedestrian_min_s: z.number().min(0).max(120).default(0),
  amber_s: z.number().min(0).max(10).default(3),
  all_red_s: z.number().min(0).max(10).default(2),
  /** Lost time of the phase l = start-up loss + clearance loss (amber and all-red not used), s. */
  lost_time_s: z.number().min(0).max(20).default(5),
});

const periodSchema = z.strictObject({
  period: ID,
  /** Local time (intersection timezone); to < from wraps midnight. 24:00 is the end of the day. */
  from: CLOCK,
  to: CLOCK,
  cycle_s: z.number().positive().max(300),
  /** Effective green per phase id, s: effective = displayed green + amber + all-red − lost time. */
  greens_s: z.record(ID, z.number().min(0).max(300)),
});

export const intersectionSchema = z
  .strictObject({
    id: ID,
    name: z.string().max(200).optional(),
    /** The Airlane site whose NO2 is used (the `site` tag in InfluxDB). */
    site: ID,
    /** IANA zone of the plan's clock (time-of-day periods); counts are stamped in UTC. */
    timezone: z.string().default('UTC'),
    phases: z.array(phaseSchema).min(2).max(8),
    movements: z.array(movementSchema).min(1),
    cycle: z.strictObject({ min_s: z.number().positive().default(60), max_s: z.number().positive().default(120) }).default({ min_s: 60, max_s: 120 }),
    /** Divide the design hour by the peak-hour factor (flow rate of the busiest 15 min), as the HCM does. */
    use_phf: z.boolean().default(true),
    current_plan: z.array(periodSchema).default([]),
    air_quality: z
      .strictObject({
        /** A period is "polluted" when the mean of the site's hourly NO2 over it exceeds this, µg/m³. */
        no2_threshold_ugm3: z.number().positive().max(1000),
        /** Approaches (movement.approach) whose queues sit where the NO2 is: e.g. the arterial inside a street canyon. */
        polluted_approaches: z.array(z.string().min(1)).min(1),
        /** Limits on the cost to the other movements: their degree of saturation must stay at or below this. */
        max_degree_of_saturation: z.number().positive().max(1).default(0.9),
        /** … and the intersection's mean delay may grow by at most this share of the proposed plan's. */
        max_delay_increase_pct: z.number().min(0).max(200).default(20),
        /** CSV of the site's NO2 (time,no2_ugm3), relative to this file; used with --counts. */
        no2_csv: z.string().optional(),
      })
      .optional(),
  })
  .superRefine((x, ctx) => {
    const movementIds = new Set<string>();
    x.movements.forEach((m, i) => {
      if (movementIds.has(m.id)) ctx.addIssue({ code: 'custom', path: ['movements', i, 'id'], message: `movement "${m.id}" is defined twice — give each movement its own id` });
      movementIds.add(m.id);
    });
    const phaseIds = new Set<string>();
    x.phases.forEach((p, i) => {
      if (phaseIds.has(p.id)) ctx.addIssue({ code: 'custom', path: ['phases', i, 'id'], message: `phase "${p.id}" is defined twice — give each phase its own id` });
      phaseIds.add(p.id);
      if (p.max_green_s < Math.max(p.min_green_s, p.pedestrian_min_s)) {
        ctx.addIssue({ code: 'custom', path: ['phases', i, 'max_green_s'], message: `max_green_s ${p.max_green_s} is below the minimum green/pedestrian minimum — raise it` });
      }
      p.movements.forEach((m, j) => {
        const other = x.phases.findIndex((q, k) => k < i && q.movements.includes(m));
        if (other >= 0) ctx.addIssue({ code: 'custom', path: ['phases', i, 'movements', j], message: `movement "${m}" is already served by phase "${x.phases[other]!.id}" — overlaps are not modelled; give each movement one phase` });
        if (!movementIds.has(m)) ctx.addIssue({ code: 'custom', path: ['phases', i, 'movements', j], message: `movement "${m}" is not in movements — add it there or fix the id` });
      });
    });
    x.movements.forEach((m, i) => {
      if (!x.phases.some((p) => p.movements.includes(m.id))) {
        ctx.addIssue({ code: 'custom', path: ['movements', i, 'id'], message: `movement "${m.id}" is served by no phase — list it under a phase's movements` });
      }
    });
    const seen = new Map<string, string>();
    x.movements.forEach((m, i) =>
      m.detectors.forEach((d, j) => {
        const key = `${d.detector}/${d.lane ?? 'all'}`;
        const other = seen.get(key);
        if (other) ctx.addIssue({ code: 'custom', path: ['movements', i, 'detectors', j], message: `detector ${key} already counts movement "${other}" — a lane counts for one movement only` });
        seen.set(key, m.id);
      }),
    );
    if (x.cycle.min_s > x.cycle.max_s) ctx.addIssue({ code: 'custom', path: ['cycle', 'min_s'], message: `min_s ${x.cycle.min_s} is above max_s ${x.cycle.max_s} — swap them` });
    x.current_plan.forEach((p, i) => {
      for (const id of phaseIds) if (!(id in p.greens_s)) ctx.addIssue({ code: 'custom', path: ['current_plan', i, 'greens_s'], message: `no green for phase "${id}" — give every phase its effective green` });
      for (const id of Object.keys(p.greens_s)) if (!phaseIds.has(id)) ctx.addIssue({ code: 'custom', path: ['current_plan', i, 'greens_s', id], message: `"${id}" is not a phase id` });
      const lost = x.phases.reduce((n, ph) => n + ph.lost_time_s, 0);
      const sum = Object.values(p.greens_s).reduce((n, g) => n + g, 0) + lost;
      if (Math.abs(sum - p.cycle_s) > 0.5) {
        ctx.addIssue({ code: 'custom', path: ['current_plan', i, 'cycle_s'], message: `cycle_s ${p.cycle_s} ≠ Σ effective greens + Σ lost times = ${sum} — greens_s are effective greens` });
      }
    });
    if (x.air_quality) {
      const approaches = new Set(x.movements.map((m) => m.approach));
      x.air_quality.polluted_approaches.forEach((a, i) => {
        if (!approaches.has(a)) ctx.addIssue({ code: 'custom', path: ['air_quality', 'polluted_approaches', i], message: `approach "${a}" is no movement's approach (${[...approaches].join(', ')})` });
      });
    }
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: x.timezone });
    } catch {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: `"${x.timezone}" is not an IANA time zone — e.g. Europe/Paris or UTC` });
    }
  });

export type Intersection = z.infer<typeof intersectionSchema>;
export type Phase = Intersection['phases'][number];
export type Movement = Intersection['movements'][number];
export type PlanPeriod = Intersection['current_plan'][number];

export class IntersectionError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the intersection file:\n  ${problems.join('\n  ')}`);
    this.name = 'IntersectionError';
  }
}

export function parseIntersection(text: string, file: string): Intersection {
  const parsed = parseYamlMapping(text, 'the file must hold one mapping (id, site, phases, movements, …); see hardware/intersections/arterial-4arm.yaml');
  if ('problems' in parsed) throw new IntersectionError(file, parsed.problems);
  const { raw, lineOf } = parsed;
  const result = intersectionSchema.safeParse(raw);
  if (!result.success) {
    throw new IntersectionError(
      file,
      result.error.issues.map((issue) => issueLine(issue, lineOf, 'gateway/traffic/plan/README.md')),
    );
  }
  return result.data;
}

export function loadIntersection(file: string): Intersection {
  const read = readTextFile(file);
  if ('problems' in read) throw new IntersectionError(file, read.problems);
  return parseIntersection(read.text, file);
}
