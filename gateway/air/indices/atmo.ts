// French ATMO index: arrêté du 10 juillet 2020 relatif à l'indice de la qualité de l'air ambiant
// (NOR TRER2017892A, JORF 29 July 2020, in force 1 January 2021), Annexe I.
// https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000042164835
//
// Statistics the arrêté prescribes, which the caller computes before calling us:
//   - PM10, PM2.5: mean of the day (24 h);
//   - NO2, O3, SO2: maximum of the day's hourly means (Annexe I §1.1–1.3).
// All in µg/m³ at 293 K and 101.3 kPa (décret 98-360).
//
// ATMO is a background index, computed for a whole EPCI from stations "éloignées des sources spécifiques … (axes de
// trafic routier)" (AASQA notice, hawa-mayotte.fr; reference/air-quality.md §1). A kerbside Airlane site therefore
// yields an indicative, ATMO-like class, never the regulatory index.
import { bandedInfo, bandedSubIndex } from './banded.js';
import type { BandInfo, Level, Pollutant, SubIndex } from './types.js';

// Qualifiers and colour names: arrêté Annexe I (legal.tricoteuses.fr JORFARTI000042164844).
// Hex values: the Atmo France / Atmo Data API notice (`couleur_html`), as used by the AASQA sites. Level 6 is
// #872181 there; some EAQI code writes #7D2181 — we keep the Atmo France value.
export const ATMO_LEVELS: readonly Level[] = [
  { level: 1, label: 'Bon', colour: '#50F0E6' }, // bleu
  { level: 2, label: 'Moyen', colour: '#50CCAA' }, // vert
  { level: 3, label: 'Dégradé', colour: '#F0E641' }, // jaune
  { level: 4, label: 'Mauvais', colour: '#FF5050' }, // rouge
  { level: 5, label: 'Très mauvais', colour: '#960032' }, // pourpre
  { level: 6, label: 'Extrêmement mauvais', colour: '#872181' }, // magenta
];

// Upper bounds (µg/m³) of levels 1–5, arrêté Annexe I §1.1–1.5. The arrêté writes each class as "a < c ≤ b":
// the lower bound is exclusive, the upper inclusive, so a value equal to a bound stays in the better class.
// Above the level-5 bound everything is level 6 ("Extrêmement mauvais" has no upper bound).
export const ATMO_UPPERS: Readonly<Partial<Record<Pollutant, readonly number[]>>> = {
  so2: [100, 200, 350, 500, 750], // daily max of hourly means
  no2: [40, 90, 120, 230, 340], // daily max of hourly means
  o3: [50, 100, 130, 240, 380], // daily max of hourly means
  pm10: [20, 40, 50, 100, 150], // daily mean
  pm25: [10, 20, 25, 50, 75], // daily mean
};

export function atmoSubIndex(pollutant: Pollutant, c: number): SubIndex {
  const uppers = ATMO_UPPERS[pollutant];
  if (!uppers) throw new RangeError(`ATMO does not index ${pollutant}; it indexes ${Object.keys(ATMO_UPPERS).join(', ')}`);
  return bandedSubIndex(ATMO_LEVELS, uppers, c);
}

export function atmoBands(pollutant: Pollutant): BandInfo[] {
  const uppers = ATMO_UPPERS[pollutant];
  return uppers ? bandedInfo(ATMO_LEVELS, uppers) : [];
}
