// The committed Grafana files are what the TypeScript in dashboards/grafana/src generates (fails when someone
// edits one side only), and their structure is what Grafana needs: unique panel ids on the grid, raw InfluxQL
// targets on the provisioned data source, every template variable defined before it is used.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { levels } from '../../gateway/air/indices/index.js';
import { generatedFiles } from '../../dashboards/grafana/src/files.js';
import { BUILTIN_VARIABLES, DASHBOARDS, DATASOURCE, panelTargets, variablesUsed } from '../../dashboards/grafana/src/index.js';
import { REFERENCE_LINES } from '../../dashboards/grafana/src/limits.js';
import { provisioningOptions } from '../../dashboards/grafana/src/provisioning.js';

const ROOT = join(import.meta.dirname, '../../dashboards/grafana');

// The committed JSON, typed with the SDK's Dashboard: the schema check is that the generator compiles against
// these types (tsc) and that the parsed files have the fields Grafana reads.
const committed = DASHBOARDS.map((d) => ({ file: d.file, json: JSON.parse(readFileSync(join(ROOT, 'dashboards', d.file), 'utf8')) as dashboard.Dashboard }));
const panelsOf = (d: dashboard.Dashboard) => (d.panels ?? []) as dashboard.Panel[];
const targetsOf = panelTargets;

describe('committed Grafana files', () => {
  // Generated with the defaults whatever the caller's environment says: the committed files carry the defaults.
  const fresh = generatedFiles(provisioningOptions({}));

  it('are exactly what the generator produces (run `node bin/tsx.mjs dashboards/grafana/generate.ts` when this fails)', () => {
    expect([...fresh.keys()].sort()).toEqual([
      'dashboards/city-air.json',
      'dashboards/fleet-health.json',
      'dashboards/site-detail.json',
      'dashboards/traffic-air.json',
      'provisioning/dashboards/airlane.yaml',
      'provisioning/datasources/airlane.yaml',
    ]);
    const stale = [...fresh].filter(([path, content]) => {
      const file = join(ROOT, path);
      return !existsSync(file) || readFileSync(file, 'utf8') !== content;
    });
    expect(stale.map(([path]) => path)).toEqual([]);
  });

  it('provision an InfluxDB 1.x InfluxQL data source with the uid the panels use, and a file provider', () => {
    const ds = parse(fresh.get('provisioning/datasources/airlane.yaml') as string).datasources[0];
    expect(ds).toMatchObject({ uid: DATASOURCE.uid, type: 'influxdb', url: 'http://127.0.0.1:8086', jsonData: { dbName: 'airlane', version: 'InfluxQL' } });
    const provider = parse(fresh.get('provisioning/dashboards/airlane.yaml') as string).providers[0];
    expect(provider).toMatchObject({ type: 'file', options: { path: '/opt/airlane/dashboards/grafana/dashboards' } });
    const custom = generatedFiles(provisioningOptions({ AIRLANE_INFLUX_URL: 'http://influx.example:8086', AIRLANE_GRAFANA_DASHBOARDS: '/srv/dash' }));
    expect(parse(custom.get('provisioning/datasources/airlane.yaml') as string).datasources[0].url).toBe('http://influx.example:8086');
    expect(parse(custom.get('provisioning/dashboards/airlane.yaml') as string).providers[0].options.path).toBe('/srv/dash');
  });
});

describe.each(committed)('$file', ({ json }) => {
  const panels = panelsOf(json);

  it('has a uid, a title and four or more panels with unique ids', () => {
    expect(json.uid).toMatch(/^airlane-[a-z-]+$/);
    expect(json.title).toMatch(/^Airlane · /);
    expect(panels.length).toBeGreaterThanOrEqual(4);
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('places every panel on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const p of panels) {
      const g = p.gridPos as dashboard.GridPos;
      expect(g.w).toBeGreaterThan(0);
      expect(g.h).toBeGreaterThan(0);
      expect(g.x + g.w, `panel ${p.id} "${p.title}"`).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `panel ${p.id} "${p.title}" overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('gives every panel raw InfluxQL targets on the provisioned data source, with unique refIds', () => {
    for (const p of panels) {
      const targets = targetsOf(p);
      expect(targets.length, `panel ${p.id} "${p.title}"`).toBeGreaterThan(0);
      expect(new Set(targets.map((t) => t.refId)).size).toBe(targets.length);
      for (const t of targets) {
        expect(t.rawQuery, `panel ${p.id} ${t.refId}`).toBe(true);
        expect(t.query, `panel ${p.id} ${t.refId}`).toMatch(/^(SELECT|SHOW) /);
        expect(t.datasource).toEqual(DATASOURCE);
        expect(['time_series', 'table']).toContain(t.resultFormat);
        // A target without the time-range macro would scan the whole database on every refresh.
        expect(t.query, `panel ${p.id} ${t.refId}`).toContain('$timeFilter');
      }
    }
  });

  it('defines every variable a query uses, each before the variables that refer to it', () => {
    const vars = (json.templating?.list ?? []) as dashboard.VariableModel[];
    const defined = new Set<string>();
    for (const v of vars) {
      expect(v.type).toBe('query');
      expect(v.datasource).toEqual(DATASOURCE);
      expect(String(v.query)).toMatch(/^SHOW TAG VALUES FROM "\w+" WITH KEY = "\w+"/);
      for (const name of variablesUsed(String(v.query))) expect(defined.has(name) || BUILTIN_VARIABLES.has(name), `variable ${v.name} uses $${name}`).toBe(true);
      defined.add(v.name);
    }
    const used = new Set(panels.flatMap((p) => targetsOf(p).flatMap((t) => variablesUsed(t.query ?? ''))));
    const undefinedVars = [...used].filter((n) => !defined.has(n) && !BUILTIN_VARIABLES.has(n));
    expect(undefinedVars).toEqual([]);
    // …and every defined variable is used somewhere (a leftover selector would filter nothing).
    expect([...defined].filter((n) => !used.has(n))).toEqual([]);
  });
});

describe('City air content', () => {
  const city = committed.find((c) => c.file === 'city-air.json')?.json as dashboard.Dashboard;
  const panels = panelsOf(city);

  it('maps ATMO levels to the labels and colours of the index library', () => {
    const atmo = panels.find((p) => p.type === 'stat' && /ATMO/.test(p.title ?? ''));
    const options = atmo?.fieldConfig?.defaults?.mappings?.[0]?.options as Record<string, { text: string; color: string }>;
    expect(Object.entries(options).map(([k, v]) => ({ level: Number(k), label: v.text, colour: v.color }))).toEqual(levels('atmo').map((l) => ({ ...l })));
    expect(options['4']).toEqual(expect.objectContaining({ text: 'Mauvais', color: '#FF5050' }));
  });

  it('draws the WHO 2021 and EU 2008/50/EC values as threshold lines on each pollutant chart', () => {
    const expected: Record<string, number[]> = { 'PM2.5': [5, 15, 25], PM10: [15, 40, 45, 50], NO2: [10, 25, 40, 200] };
    for (const [name, values] of Object.entries(expected)) {
      const chart = panels.find((p) => p.type === 'timeseries' && p.title?.startsWith(`${name} (`));
      const steps = chart?.fieldConfig?.defaults?.thresholds?.steps ?? [];
      expect(steps.slice(1).map((s) => s.value), name).toEqual(values);
      expect(chart?.fieldConfig?.defaults?.custom?.thresholdsStyle?.mode).toBe('dashed');
    }
    expect(REFERENCE_LINES.pm10.find((l) => l.value === 50)).toMatchObject({ source: 'EU 2008/50/EC', averaging: '24 h', allowed: '35 days a year' });
  });

  it('counts PM10 days above the EU daily limit with a subquery over daily means', () => {
    const table = panels.find((p) => p.type === 'table');
    const queries = targetsOf(table as dashboard.Panel).map((t) => t.query);
    expect(queries).toContain(
      'SELECT count("daily") AS "PM10 days > 50 (EU)" FROM (SELECT mean("pm10_ugm3") AS "daily" FROM "air_traffic" WHERE "window" = \'1h\' AND "site" =~ /^$site$/ AND $timeFilter GROUP BY time(1d), "site") WHERE "daily" > 50 GROUP BY "site"',
    );
  });
});
