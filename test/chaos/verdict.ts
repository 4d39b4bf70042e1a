// What InfluxDB holds against what was produced: lost, duplicated and corrupted readings, for the remote
// nodes' MQTT readings and for the local node's PMS5003 frames.
import { influxQuery, toRows, type Row } from '../services/influx-db.js';
import type { ProducedReading } from './remote-nodes.js';
import { fingerprint, type SentFrame } from './serial-line.js';
import type { Values } from '../../firmware/drivers/types.js';

export interface Comparison {
  produced: number;
  stored: number;
  lost: number;
  duplicated: number;
  corrupted_accepted: number;
  /** Published but never acknowledged by the broker (not produced), yet found stored. */
  stored_unacked: number;
  serial: { frames_stored: number; undetectable: number; duplicated: number };
  /** Up to 10 of each problem, for the report. */
  examples: { lost: unknown[]; duplicated: unknown[]; corrupted: unknown[]; undetectable: unknown[] };
}

export interface CompareInput {
  influxUrl: string;
  database: string;
  site: string;
  localNode: string;
  localPart: string;
  remotePart: string;
  readings: ProducedReading[];
  frames: ReadonlyMap<string, SentFrame>;
  undetectable: ReadonlyMap<string, { values: Values; plausible: boolean }>;
}

const TAGS = new Set(['time', 'site', 'node', 'part']);
/** Fields the gateway derives itself (the qc bit mask, corrected values): not part of what a simulator produced. */
const derived = (k: string) => k === 'qc' || k.includes('_corrected_');

function fields(row: Row): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(row)) if (!TAGS.has(k) && !derived(k) && v !== null) out[k] = v;
  return out;
}

async function allRows(influxUrl: string, database: string, measurement: string): Promise<Row[]> {
  const series = await influxQuery(influxUrl, `SELECT * FROM "${measurement}" GROUP BY *`, database);
  return toRows(series);
}

export async function compare(input: CompareInput): Promise<Comparison> {
  const { site, localNode, localPart, remotePart } = input;
  const byKey = new Map<string, ProducedReading>();
  const byValues = new Map<string, ProducedReading>();
  for (const r of input.readings) {
    byKey.set(`${r.node}|${r.time}`, r);
    byValues.set(`${r.node}|${fingerprint(r.values)}`, r);
  }
  const seen = new Map<ProducedReading, number>();
  const framesSeen = new Map<string, number>();
  const c: Comparison = {
    produced: input.readings.filter((r) => r.acked).length,
    stored: 0,
    lost: 0,
    duplicated: 0,
    corrupted_accepted: 0,
    stored_unacked: 0,
    serial: { frames_stored: 0, undetectable: 0, duplicated: 0 },
    examples: { lost: [], duplicated: [], corrupted: [], undetectable: [] },
  };
  const note = (list: unknown[], what: unknown) => void (list.length < 10 && list.push(what));
  const corrupted = (why: string, row: Row) => {
    c.corrupted_accepted++;
    note(c.examples.corrupted, { why, row });
  };

  for (const row of await allRows(input.influxUrl, input.database, 'air')) {
    const f = fields(row);
    const fp = fingerprint(f);
    if (row.site === site && row.node === localNode && row.part === localPart) {
      if (input.frames.has(fp)) {
        const n = (framesSeen.get(fp) ?? 0) + 1;
        framesSeen.set(fp, n);
        if (n === 1) c.serial.frames_stored++;
        else {
          c.serial.duplicated++;
          c.duplicated++;
          note(c.examples.duplicated, { serial: true, row });
        }
      } else if (input.undetectable.get(fp)?.plausible) {
        c.serial.undetectable++;
        note(c.examples.undetectable, row);
      } else corrupted(input.undetectable.has(fp) ? 'serial: checksum-valid corrupted frame outside the datasheet ranges' : 'serial: matches no frame sent', row);
      continue;
    }
    if (row.site !== site || row.part !== remotePart || typeof row.node !== 'string') {
      corrupted('a series no simulator produced', row);
      continue;
    }
    const at = byKey.get(`${row.node}|${row.time}`);
    const same = byValues.get(`${row.node}|${fp}`);
    const r = at && fingerprint(at.values) === fp ? at : undefined;
    if (!r) {
      corrupted(at ? 'values differ from the reading produced at this time' : same ? 'a produced reading stored at another time' : 'matches no produced reading', row);
      if (!same) continue;
    }
    const reading = r ?? same!;
    const n = (seen.get(reading) ?? 0) + 1;
    seen.set(reading, n);
    if (!reading.acked) c.stored_unacked++;
    if (n === 1) {
      if (r && reading.acked) c.stored++;
    } else {
      c.duplicated++;
      note(c.examples.duplicated, row);
    }
  }
  for (const r of input.readings) {
    if (r.acked && !seen.has(r)) {
      c.lost++;
      note(c.examples.lost, { node: r.node, time: new Date(r.time).toISOString(), values: r.values });
    }
  }
  // Nothing produces traffic counts in this run: every stored one came from the fuzzer.
  for (const row of await allRows(input.influxUrl, input.database, 'traffic')) corrupted('a traffic count (none was produced)', row);
  return c;
}
