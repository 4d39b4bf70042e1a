// Grafana's template syntax as far as these dashboards use it: `$name` and `${name}`. Shared by the structural
// test (every variable used is defined) and the InfluxDB test (run each query with values substituted).

/** Variables Grafana and its InfluxDB data source define themselves. */
export const BUILTIN_VARIABLES: ReadonlySet<string> = new Set([
  'timeFilter', '__timeFilter', '__interval', '__interval_ms', 'interval', '__from', '__to', '__range', '__range_s', '__range_ms',
  '__dashboard', '__org', '__user', '__rate_interval',
]);

const REFERENCE = /\$(?:\{(\w+)(?::\w+)?\}|(\w+))/g;

/** Names referenced in a query, in order of first use. `$tag_x` and `$col` are alias patterns, not variables. */
export function variablesUsed(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(REFERENCE)) names.add((m[1] ?? m[2]) as string);
  return [...names];
}

/** Replaces every `$name` / `${name}` with its value; throws naming the variable when one has no value. */
export function interpolate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for $${name} in ${text}`);
    return value;
  });
}
