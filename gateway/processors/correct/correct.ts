// Processor "correct": writes `<key>_corrected_<unit>` beside the raw fields of an `air` point, per the
// `corrections:` of its (node, part) in the station file (options.ts). Raw fields are never changed. A correction
// that needs RH and has none (no humidity seen yet on the node, or too old) leaves that quantity uncorrected and is
// counted — an invented RH would be worse than no correction.
import type { Logger } from 'pino';
import type { Metric } from '../../core/metric.js';
import type { Processor } from '../../core/plugin.js';
import { epa2021 } from '../../air/corrections/epa2021.js';
import { epaFasm } from '../../air/corrections/epa-fasm.js';
import { ppbToUgm3, ugm3ToPpb } from '../../air/corrections/gas.js';
import { kohler } from '../../air/corrections/kohler.js';
import { linear } from '../../air/corrections/linear.js';
import type { Corrected } from '../../air/corrections/result.js';
import { Environment } from './environment.js';
import { asGas, inputField, inputUnit, type CorrectionOptions, type CorrectionsOptions, type RhFrom } from './options.js';

/** The corrections of one part of one node (site omitted: the part on that node at any site). */
export interface PartCorrections {
  site?: string;
  node: string;
  part: string;
  corrections: CorrectionsOptions;
}

export interface CorrectCounts {
  /** Quantities written. */
  corrected: number;
  /** Of those, raised to 0 (flag `clamped`). */
  clamped: number;
  /** Left uncorrected: the method needs RH and none was known within `max_age_s`. */
  no_rh: number;
  /** Left uncorrected: the point did not carry the configured input field. */
  no_input: number;
}

interface Rule {
  key: string;
  c: CorrectionOptions;
  input: string;
}

export class CorrectProcessor implements Processor {
  readonly name = 'correct';
  private readonly rules = new Map<string, Rule[]>();
  private readonly env: Environment;
  private readonly counts: CorrectCounts = { corrected: 0, clamped: 0, no_rh: 0, no_input: 0 };

  constructor(parts: readonly PartCorrections[], private readonly log?: Logger) {
    const helpers = new Set<string>();
    for (const p of parts) {
      const rules = Object.entries(p.corrections).map(([key, c]) => {
        if (c.method !== 'linear') helpers.add(c.rh_from.quantity);
        return { key, c, input: inputField(key, c) };
      });
      this.rules.set(ruleKey(p.site, p.node, p.part), [...(this.rules.get(ruleKey(p.site, p.node, p.part)) ?? []), ...rules]);
    }
    this.env = new Environment(helpers);
  }

  stats(): CorrectCounts {
    return { ...this.counts };
  }

  apply(metric: Metric): Metric[] {
    if (metric.measurement !== 'air') return [metric];
    const { site = '', node = '', part = '' } = metric.tags;
    this.env.remember(site, node, part, metric.fields, metric.time);
    const rules = this.rules.get(ruleKey(site, node, part)) ?? this.rules.get(ruleKey(undefined, node, part));
    if (!rules?.length) return [metric];

    const added: Record<string, number> = {};
    let clamped = false;
    for (const r of rules) {
      const x = metric.fields[r.input];
      if (x === undefined || !Number.isFinite(x)) {
        this.counts.no_input++;
        continue;
      }
      const result = this.correct(r.c, x, metric);
      if (!result) {
        this.counts.no_rh++;
        this.log?.debug({ site, node, part, quantity: r.key }, 'no humidity known for the correction; left uncorrected');
        continue;
      }
      const unit = inputUnit(r.key, r.c);
      added[`${r.key}_corrected_${unit}`] = result.value;
      this.counts.corrected++;
      if (result.clamped) {
        clamped = true;
        this.counts.clamped++;
      }
      const gas = asGas(r.key);
      if (gas && r.c.method === 'linear') {
        if (r.c.also_ugm3_at_c !== undefined) added[`${r.key}_corrected_ugm3`] = ppbToUgm3(gas, result.value, { temperatureC: r.c.also_ugm3_at_c });
        if (r.c.also_ppb_at_c !== undefined) added[`${r.key}_corrected_ppb`] = ugm3ToPpb(gas, result.value, { temperatureC: r.c.also_ppb_at_c });
      }
    }
    if (Object.keys(added).length === 0) return [metric];

    const out: Metric = { ...metric, tags: { ...metric.tags }, fields: { ...metric.fields, ...added } };
    if (clamped) {
      const flags = metric.meta?.flags ?? [];
      out.meta = { ...metric.meta, flags: flags.includes('clamped') ? [...flags] : [...flags, 'clamped'] };
    }
    return [out];
  }

  /** Undefined when the method needs RH and none is known. */
  private correct(c: CorrectionOptions, x: number, m: Metric): Corrected | undefined {
    if (c.method === 'linear') return linear(x, c);
    const rh = this.rh(c.rh_from, m);
    if (rh === undefined) return undefined;
    if (c.method === 'epa-2021') return epa2021(x, rh);
    if (c.method === 'epa-fasm') return epaFasm(x, rh);
    return kohler(x, rh, c.kappa, c.rh_cap_pct);
  }

  private rh(from: RhFrom, m: Metric): number | undefined {
    const { site = '', node = '', part = '' } = m.tags;
    // A part that measures its own RH (PMS5003T, SPS30 boards with SHT) is read from the same point: same instant.
    if (from.part === undefined || from.part === part) {
      const own = m.fields[from.quantity];
      if (own !== undefined && Number.isFinite(own)) return own;
    }
    return this.env.latest(site, node, from.part, from.quantity, m.time, from.max_age_s * 1000);
  }
}

const ruleKey = (site: string | undefined, node: string, part: string) => `${site ?? '*'}\u0000${node}\u0000${part}`;
