// "Every reading sent is in InfluxDB exactly once, with its values": the comparison the kill/restart and fleet
// tests share. Returns one line per kind of problem (missing, stored twice, never sent, other values), empty when
// the database holds exactly what was sent.
import type { Reading } from '../../gateway/core/reading.js';
import type { Row } from '../services/influx-db.js';

const key = (node: unknown, time: unknown) => `${String(node)}@${Number(time)}`;

export function exactlyOnce(sent: Iterable<Reading>, rows: Row[]): string[] {
  const expected = new Map<string, Reading>();
  for (const r of sent) expected.set(key(r.node, Date.parse(r.time)), r);
  const seen = new Map<string, number>();
  const wrong: string[] = [];
  const unknown: string[] = [];
  for (const row of rows) {
    const k = key(row.node, row.time);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    const want = expected.get(k);
    if (!want) unknown.push(`${k} ${JSON.stringify(row)}`);
    else if (row.site !== want.site || row.part !== want.part || Object.entries(want.values).some(([q, v]) => row[q] !== v)) {
      wrong.push(`${k}: stored ${JSON.stringify(row)}, sent ${JSON.stringify(want.values)}`);
    }
  }
  const problems: string[] = [];
  const list = (what: string, items: string[]) => {
    if (items.length) problems.push(`${items.length} ${what}: ${items.slice(0, 10).join(', ')}${items.length > 10 ? ', …' : ''}`);
  };
  list('readings missing (node@epoch ms)', [...expected.keys()].filter((k) => !seen.has(k)));
  list('readings stored more than once', [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`));
  list('points that were never sent', unknown);
  list('readings with other values than sent', wrong);
  return problems;
}
