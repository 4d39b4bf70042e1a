// Per-test InfluxDB databases: a fresh, uniquely named database on the shared private influxd, plain
// InfluxQL queries over HTTP /query, and dropping it afterwards.
import { randomBytes } from 'node:crypto';

export type Row = Record<string, string | number | boolean | null>;

export interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: Array<Array<string | number | boolean | null>>;
}

interface QueryResponse {
  results?: Array<{ statement_id: number; series?: Array<Omit<Series, 'values'> & Partial<Pick<Series, 'values'>>>; error?: string }>;
  error?: string;
}

/** Runs one InfluxQL statement (epoch=ms, so `time` comes back as milliseconds) and returns its series. */
export async function influxQuery(baseUrl: string, q: string, db?: string): Promise<Series[]> {
  const params = new URLSearchParams({ q, epoch: 'ms' });
  if (db) params.set('db', db);
  const res = await fetch(`${baseUrl}/query`, { method: 'POST', body: params });
  const text = await res.text();
  if (!res.ok) throw new Error(`InfluxDB ${res.status} for ${q}: ${text}`);
  const body = JSON.parse(text) as QueryResponse;
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  if (error) throw new Error(`InfluxDB refused ${q}: ${error}`);
  // A series without rows comes back without `values` (e.g. SHOW DATABASES on an empty server).
  return (body.results?.[0]?.series ?? []).map((s) => ({ ...s, values: s.values ?? [] }));
}

/** Flattens series into rows: columns as keys, plus the series' tags (GROUP BY) when present. */
export function toRows(series: Series[]): Row[] {
  return series.flatMap((s) =>
    s.values.map((v) => {
      const row: Row = { ...(s.tags ?? {}) };
      s.columns.forEach((c, i) => (row[c] = v[i] ?? null));
      return row;
    }),
  );
}

export interface TestDatabase {
  name: string;
  /** The server URL with the database as path, the form the influxdb output takes. */
  url: string;
  query(q: string): Promise<Series[]>;
  /** Like query() but flattened to rows. */
  rows(q: string): Promise<Row[]>;
  drop(): Promise<void>;
}

/** A database name never used before: `<prefix>_<time>_<random>`. Not created: see createTestDatabase(). */
export function uniqueDatabaseName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export async function createTestDatabase(baseUrl: string, prefix = 't'): Promise<TestDatabase> {
  const name = uniqueDatabaseName(prefix);
  await influxQuery(baseUrl, `CREATE DATABASE "${name}"`);
  return testDatabase(baseUrl, name);
}

/** Handle on a database by name (created or not), e.g. one the code under test should create itself. */
export function testDatabase(baseUrl: string, name: string): TestDatabase {
  const query = (q: string): Promise<Series[]> => influxQuery(baseUrl, q, name);
  return {
    name,
    url: `${baseUrl}/${name}`,
    query,
    rows: async (q) => toRows(await query(q)),
    drop: async () => void (await influxQuery(baseUrl, `DROP DATABASE "${name}"`)),
  };
}
