// `airlane signal-plan --intersection FILE (--counts CSV | --from-influx URL) [--out DIR] [--json]`: signal-timing
// advice from counts (gateway/traffic/plan). A short summary for people, the whole result as one JSON object
// with --json. Exit 0 done, 1 failure (a bad file, InfluxDB unreachable), 2 usage error.
import { dirname, resolve } from 'node:path';
import { analyse, type SignalPlanResult } from '../traffic/plan/analyse.js';
import { InputError, parseCountsCsv, parseNo2Csv, readCsvFile, readFromInflux, type CountRow, type No2Row } from '../traffic/plan/counts.js';
import { IntersectionError, loadIntersection } from '../traffic/plan/intersection.js';
import { signalPlanMetrics, writeOutputs } from '../traffic/plan/outputs.js';

export interface SignalPlanOptions {
  intersection?: string;
  counts?: string;
  fromInflux?: string;
  /** NO2 CSV (time,no2_ugm3) instead of the intersection file's air_quality.no2_csv. */
  no2?: string;
  out?: string;
  json?: boolean;
  /** Also write the signal_plan points to this InfluxDB (http://host:8086/database). */
  influx?: string;
  /** With --from-influx: end of the range read (ISO 8601; default now) and its length in days (default 7). */
  until?: string;
  days?: string | number;
}

export interface SignalPlanIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = 'usage: airlane signal-plan --intersection FILE (--counts CSV | --from-influx URL) [--out DIR] [--json]';
const f1 = (v: number) => (Math.round(v * 10) / 10).toFixed(1);

function text(opts: Record<string, unknown>, key: string, flag: string): string | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`${flag} needs a value`);
  return v;
}

function summary(r: SignalPlanResult, files: string[], out: string | undefined): string[] {
  const lines = [`${r.intersection.id} (site ${r.intersection.site}): ${r.periods.length} periods from ${r.inputs.days} days of counts, clock ${r.intersection.timezone}`];
  for (const p of r.periods) {
    const c = p.current;
    lines.push(
      `  ${p.name.padEnd(12)} ${p.from}–${p.to}  cycle ${c ? `${c.cycle_s} → ` : ''}${p.proposed.cycle_s} s  ` +
        `delay ${c ? `${f1(c.delay_s)} → ` : ''}${f1(p.proposed.delay_s)} s/veh  Xc ${c ? `${c.critical_vc.toFixed(2)} → ` : ''}${p.proposed.critical_vc.toFixed(2)}` +
        (p.no2_ugm3 === null ? '' : `  NO2 ${f1(p.no2_ugm3)}${p.polluted ? ' (over the trigger)' : ''}`),
    );
    if (p.air_quality) lines.push(`    air quality: ${p.air_quality.summary}`);
    for (const w of p.warnings) lines.push(`    check: ${w}`);
  }
  if (out) lines.push(`wrote ${files.length} files to ${out} (plan.json, timing sheets, report.html)`);
  else lines.push('no --out DIR: nothing written (give --out to get plan.json, the timing sheets and report.html)');
  return lines;
}

export async function runSignalPlan(opts: SignalPlanOptions, io: SignalPlanIo): Promise<number> {
  const o = opts as Record<string, unknown>;
  let file: string | undefined;
  let counts: string | undefined;
  let fromInflux: string | undefined;
  let out: string | undefined;
  let no2File: string | undefined;
  let influx: string | undefined;
  let until: number | undefined;
  let days: number | undefined;
  try {
    file = text(o, 'intersection', '--intersection');
    counts = text(o, 'counts', '--counts');
    fromInflux = text(o, 'fromInflux', '--from-influx');
    out = text(o, 'out', '--out');
    no2File = text(o, 'no2', '--no2');
    influx = text(o, 'influx', '--influx');
    const untilText = text(o, 'until', '--until');
    if (untilText !== undefined) {
      until = Date.parse(untilText);
      if (!/^\d{4}-\d\d-\d\dT/.test(untilText) || !Number.isFinite(until)) throw new InputError(`--until "${untilText}" is not an ISO 8601 time; e.g. --until 2026-03-09T00:00:00Z`);
    }
    if (o.days !== undefined) {
      days = Number(o.days);
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new InputError(`--days "${String(o.days)}" must be a whole number of days, 1–366`);
    }
    if (!file) throw new InputError('--intersection FILE is missing; e.g. --intersection hardware/intersections/arterial-4arm.yaml');
    if (!counts && !fromInflux) throw new InputError('give the counts: --counts CSV or --from-influx URL');
    if (counts && fromInflux) throw new InputError('give --counts or --from-influx, not both');
  } catch (e) {
    io.err(`signal-plan: ${(e as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  try {
    const ix = loadIntersection(file);
    let countRows: CountRow[];
    let no2: No2Row[] = [];
    let countsSource: string;
    let no2Source = 'none (no NO2 file or series: air-quality mode off)';
    if (fromInflux) {
      const got = await readFromInflux(fromInflux, ix.site, { ...(days !== undefined ? { days } : {}), ...(until !== undefined ? { until } : {}) });
      countRows = got.counts;
      no2 = got.no2;
      countsSource = `InfluxDB "traffic": ${got.queries[0]}`;
      no2Source = got.no2.length ? `InfluxDB "air_traffic" 15-min means: ${got.queries[1]}` : `none: no no2_ugm3 in "air_traffic" for site ${ix.site}`;
    } else {
      countRows = readCsvFile(counts!, parseCountsCsv);
      countsSource = counts!;
      const n = no2File ?? (ix.air_quality?.no2_csv ? resolve(dirname(file), ix.air_quality.no2_csv) : undefined);
      if (n) {
        no2 = readCsvFile(n, parseNo2Csv);
        no2Source = `${n} (${no2.length} values)`;
      }
    }
    const result = analyse({ intersection: ix, counts: countRows, no2, countsSource, no2Source });
    const files = out ? writeOutputs(out, ix, result) : [];
    if (influx) {
      const [{ InfluxDbOutput, InfluxOutputOptionsSchema }, { silentLogger }] = await Promise.all([import('../outputs/influxdb/index.js'), import('../core/log.js')]);
      const output = new InfluxDbOutput(InfluxOutputOptionsSchema.parse({ url: influx }), { log: silentLogger });
      await output.start();
      try {
        await output.write(signalPlanMetrics(result));
      } finally {
        await output.stop();
      }
    }
    if (opts.json) io.out(JSON.stringify({ ...result, files }));
    else for (const l of summary(result, files, out)) io.out(l);
    return 0;
  } catch (e) {
    if (e instanceof IntersectionError || e instanceof InputError || e instanceof RangeError) {
      io.err(`signal-plan: ${e.message}`);
      return 1;
    }
    if (e instanceof Error && e.name === 'OutputError') {
      io.err(`signal-plan: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
