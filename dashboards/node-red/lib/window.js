'use strict';
// Running means per site and pollutant over a time window, clocked by the readings' own `time` (so a replay or a
// test runs at any speed and gives the same result).

/**
 * ppb → µg/m³ for NO2 at 20 °C and 101.325 kPa, the EU/French reference conditions (décret 98-360; Directive
 * 2008/50/EC Annex VI): µg/m³ = ppb × 46.0055 / 24.055. Same factor as gateway/aggregators/windows/site-indices.ts.
 */
const NO2_UGM3_PER_PPB_20C = 1.9125;

const first = (...xs) => xs.find((x) => typeof x === 'number' && Number.isFinite(x));

/** Concentrations in µg/m³ by pollutant from a Reading's values: corrected fields first, then raw. */
function concentrations(values) {
  const ppb = first(values.no2_corrected_ppb);
  const rawPpb = first(values.no2_ppb);
  const c = {
    pm25: first(values.pm25_corrected_ugm3, values.pm25_ugm3),
    pm10: first(values.pm10_corrected_ugm3, values.pm10_ugm3),
    no2: first(
      values.no2_corrected_ugm3,
      ppb === undefined ? undefined : ppb * NO2_UGM3_PER_PPB_20C,
      values.no2_ugm3,
      rawPpb === undefined ? undefined : rawPpb * NO2_UGM3_PER_PPB_20C,
    ),
    o3: first(values.o3_ugm3),
    so2: first(values.so2_ugm3),
  };
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  return c;
}

/** Bound on samples kept per site and pollutant, so a flood of readings cannot exhaust memory. */
const MAX_SAMPLES = 100000;

class RunningMeans {
  /** @param {number} windowMs samples with time in (latest − windowMs, latest] are averaged */
  constructor(windowMs) {
    if (!(windowMs > 0)) throw new TypeError(`window must be > 0 ms, got ${windowMs}`);
    this.windowMs = windowMs;
    this.sites = new Map(); // site → { latest, series: Map(pollutant → [{t, c}]) }
  }

  /** Adds a reading's concentrations at time t (ms); returns { means, samples, latest } for the site. */
  add(site, t, conc) {
    let s = this.sites.get(site);
    if (!s) this.sites.set(site, (s = { latest: t, series: new Map() }));
    if (t > s.latest) s.latest = t;
    const from = s.latest - this.windowMs;
    for (const [p, c] of Object.entries(conc)) {
      if (t <= from) continue; // too old for the window: ignored
      let arr = s.series.get(p);
      if (!arr) s.series.set(p, (arr = []));
      arr.push({ t, c });
      if (arr.length > MAX_SAMPLES) arr.shift();
    }
    const means = {};
    const samples = {};
    for (const [p, arr] of s.series) {
      const kept = arr.filter((x) => x.t > from);
      s.series.set(p, kept);
      if (kept.length === 0) continue;
      means[p] = kept.reduce((a, x) => a + x.c, 0) / kept.length;
      samples[p] = kept.length;
    }
    return { means, samples, latest: s.latest };
  }
}

module.exports = { concentrations, RunningMeans, NO2_UGM3_PER_PPB_20C };
