'use strict';
// ATMO and EAQI band tables for the Node-RED nodes, in plain CommonJS so the package loads with require() and
// needs no build. They copy gateway/air/indices (atmo.ts, eaqi.ts); test/unit/node-red-bands.test.ts fails as soon
// as the two disagree, so edit both together.
//
// ATMO: arrêté du 10 juillet 2020 relatif à l'indice de la qualité de l'air ambiant (NOR TRER2017892A, JORF
// 29 July 2020), Annexe I §1.1–1.5. Classes are "a < c ≤ b": a value on a bound stays in the better class.
// Colours: Atmo France / Atmo Data API `couleur_html`.
// EAQI: the 2024 revision, ETC HE Report 2024/17 "EEA's revision of the European Air Quality Index bands", hourly
// concentrations; the same "lower exclusive, upper inclusive" rule. Colours: EEA viewer legend.
// All concentrations in µg/m³.

const LEVELS = {
  atmo: [
    { level: 1, label: 'Bon', colour: '#50F0E6' },
    { level: 2, label: 'Moyen', colour: '#50CCAA' },
    { level: 3, label: 'Dégradé', colour: '#F0E641' },
    { level: 4, label: 'Mauvais', colour: '#FF5050' },
    { level: 5, label: 'Très mauvais', colour: '#960032' },
    { level: 6, label: 'Extrêmement mauvais', colour: '#872181' },
  ],
  eaqi: [
    { level: 1, label: 'Good', colour: '#50F0E6' },
    { level: 2, label: 'Fair', colour: '#50CCAA' },
    { level: 3, label: 'Moderate', colour: '#F0E641' },
    { level: 4, label: 'Poor', colour: '#FF5050' },
    { level: 5, label: 'Very poor', colour: '#960032' },
    { level: 6, label: 'Extremely poor', colour: '#7D2181' },
  ],
};

// Upper bounds of levels 1–5; above the last bound is level 6 (open band).
const UPPERS = {
  atmo: {
    pm25: [10, 20, 25, 50, 75], // daily mean
    pm10: [20, 40, 50, 100, 150], // daily mean
    no2: [40, 90, 120, 230, 340], // daily max of hourly means
    o3: [50, 100, 130, 240, 380], // daily max of hourly means
    so2: [100, 200, 350, 500, 750], // daily max of hourly means
  },
  eaqi: {
    pm25: [5, 15, 50, 90, 140], // hourly
    pm10: [15, 45, 120, 195, 270],
    no2: [10, 25, 60, 100, 150],
    o3: [60, 100, 120, 160, 180],
    so2: [20, 40, 125, 190, 275],
  },
};

const SCHEMES = ['atmo', 'eaqi'];
/** Tie-break order for `dominant`, as in gateway/air/indices/types.ts POLLUTANT_ORDER. */
const POLLUTANT_ORDER = ['pm25', 'pm10', 'no2', 'o3', 'so2'];

function checkScheme(scheme) {
  if (!SCHEMES.includes(scheme)) throw new RangeError(`unknown scheme "${scheme}"; schemes: ${SCHEMES.join(', ')}`);
}

/** The scheme's levels, best first: { level, label, colour }. */
function levels(scheme) {
  checkScheme(scheme);
  return LEVELS[scheme].map((l) => ({ ...l }));
}

/** Bands of one pollutant, best first, in the shape of gateway/air/indices bands(): [] when not indexed. */
function bands(scheme, pollutant) {
  checkScheme(scheme);
  const uppers = UPPERS[scheme][pollutant];
  if (!uppers) return [];
  return LEVELS[scheme].map((lv, i) => ({ ...lv, min: i === 0 ? 0 : uppers[i - 1], max: i < uppers.length ? uppers[i] : null }));
}

function subIndex(scheme, pollutant, c) {
  const uppers = UPPERS[scheme][pollutant];
  let i = uppers.findIndex((hi) => c <= hi);
  if (i < 0) i = uppers.length;
  const lv = LEVELS[scheme][i];
  return { level: lv.level, label: lv.label, colour: lv.colour };
}

/**
 * Index of concentrations { pm25: µg/m³, … }: the worst sub-index, ties to the earlier pollutant in
 * POLLUTANT_ORDER. Returns undefined when none of the scheme's pollutants is given. Negative values count as 0.
 */
function airIndex(scheme, concentrations) {
  checkScheme(scheme);
  const sub = {};
  let worst;
  for (const p of POLLUTANT_ORDER) {
    const c = concentrations[p];
    if (typeof c !== 'number' || !Number.isFinite(c) || !UPPERS[scheme][p]) continue;
    const s = subIndex(scheme, p, Math.max(0, c));
    sub[p] = { ...s, value: c };
    if (!worst || s.level > worst.s.level) worst = { p, s };
  }
  if (!worst) return undefined;
  return { scheme, level: worst.s.level, label: worst.s.label, colour: worst.s.colour, dominant: worst.p, sub };
}

function levelInfo(scheme, level) {
  checkScheme(scheme);
  return LEVELS[scheme].find((l) => l.level === level);
}

module.exports = { SCHEMES, POLLUTANT_ORDER, levels, bands, airIndex, levelInfo };
