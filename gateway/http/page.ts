// The station page: one self-contained HTML document (no build step, no CDN: a pole has no internet) that polls
// /api/v1/latest every 2 s. Large figures first, readable on a phone held at arm's length on site: per site the
// ATMO class, then PM2.5 and NO2 (corrected when a correction ran, the raw value beside it) with the quality
// flags of that reading, then vehicles and the rest.

import { levels } from '../air/indices/index.js';

/** WCAG 2.1 relative luminance of '#RRGGBB' (Understanding SC 1.4.3, "relative luminance"). */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Near-black or white, whichever contrasts more with the background (ratio (L1 + 0.05) / (L2 + 0.05), WCAG 2.1). */
export function textColourOn(hex: string): '#111111' | '#FFFFFF' {
  const l = luminance(hex);
  return (l + 0.05) / (luminance('#111111') + 0.05) >= 1.05 / (l + 0.05) ? '#111111' : '#FFFFFF';
}

/**
 * ATMO classes as the page draws them: labels and official colours from the index library (arrêté du 10 juillet
 * 2020, annexe I; hex values of the Atmo France data API — see gateway/air/indices/atmo.ts), with a text colour
 * readable on each (at least 4.5:1, WCAG 2.1 SC 1.4.3).
 */
const ATMO_BADGES = Object.fromEntries(levels('atmo').map((l) => [l.level, { label: l.label, colour: l.colour, fg: textColourOn(l.colour) }]));

export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Airlane station</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2329; background: #f4f6f8; }
  body { margin: 0; padding: 12px; max-width: 960px; margin-inline: auto; }
  h1 { font-size: 1.2rem; margin: 4px 0 12px; }
  h2 { font-size: 1.05rem; margin: 18px 0 8px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
  .card { background: #fff; border-radius: 10px; padding: 10px 12px; box-shadow: 0 1px 2px #0002; }
  .q { font-size: .8rem; color: #5b6670; }
  .v { font-size: 1.6rem; font-weight: 600; }
  .u { font-size: .8rem; color: #5b6670; margin-left: 2px; }
  .raw { font-size: .8rem; color: #4a545c; }
  .t { font-size: .7rem; color: #6b757d; }
  .stale .v { color: #a0a8ae; }
  .flags { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
  .chip { font-size: .7rem; padding: 1px 6px; border-radius: 9px; background: #fff1c2; color: #4d3a00; border: 1px solid #c99a00; }
  .atmo { display: flex; align-items: center; gap: 14px; border-radius: 12px; padding: 10px 14px; margin-bottom: 8px; border: 1px solid #0003; }
  .atmo-n { font-size: 2.8rem; font-weight: 700; line-height: 1; min-width: 1.2em; text-align: center; }
  .atmo-k { font-size: .8rem; }
  .atmo-l { font-size: 1.5rem; font-weight: 700; }
  .atmo-i, .atmo-s { font-size: .8rem; }
  .atmo .chip { background: #fff; color: #1d2329; border-color: #1d2329; }
  .atmo.none { background: #e3e7ea; color: #1d2329; }
  .others { font-size: .85rem; color: #3d464d; margin: 0 0 8px; }
  #status { font-size: .8rem; color: #5b6670; }
</style>
</head>
<body>
<h1>Airlane station <span id="status">connecting…</span></h1>
<div id="sites"></div>
<script>
const ATMO = ${JSON.stringify(ATMO_BADGES)};
const LABELS = {
  pm25_ugm3: ['PM2.5', 'µg/m³'], pm10_ugm3: ['PM10', 'µg/m³'], pm1_ugm3: ['PM1', 'µg/m³'],
  no2_ppb: ['NO₂', 'ppb'], no2_ugm3: ['NO₂', 'µg/m³'], temperature_c: ['Temperature', '°C'],
  humidity_pct: ['Humidity', '%'], pressure_hpa: ['Pressure', 'hPa'], vehicles: ['Vehicles', ''],
  heavy_vehicles: ['Heavy vehicles', ''], occupancy_pct: ['Occupancy', '%'], speed_kmh: ['Speed', 'km/h'],
};
const UNITS = { ugm3: 'µg/m³', ppb: 'ppb' };
const POLLUTANTS = { pm25: 'PM2.5', pm10: 'PM10', no2: 'NO₂', o3: 'O₃', so2: 'SO₂', co: 'CO' };
// What an installer and an environment officer look for first comes first.
const MAIN = ['pm25_ugm3', 'no2_ppb', 'vehicles', 'pm10_ugm3', 'no2_ugm3', 'pm1_ugm3', 'temperature_c', 'humidity_pct', 'pressure_hpa'];
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function fmt(x) { return Number.isInteger(x) ? String(x) : x.toFixed(1); }
function time(iso) { return new Date(iso).toLocaleTimeString(); }
// The corrected field written beside raw quantity q (<quantity>_corrected_<unit>): the one in q's own unit, or,
// on the first raw card of that quantity, one in a unit no raw field has. An older corrected value (the
// correction stopped, e.g. no humidity) is not shown as if it were current.
function correctedFor(values, q) {
  const m = /^(pm1|pm25|pm10|no2)_(ugm3|ppb)$/.exec(q);
  if (!m) return null;
  const prefix = m[1] + '_corrected_';
  let name = values[prefix + m[2]] ? prefix + m[2] : null;
  if (!name && MAIN.find((k) => k.startsWith(m[1] + '_') && values[k]) === q)
    name = Object.keys(values).find((k) => k.startsWith(prefix) && !values[m[1] + '_' + k.slice(prefix.length)]) || null;
  if (!name || Date.parse(values[name].time) < Date.parse(values[q].time)) return null;
  return name;
}
// Flags as words, not only a colour: "warming up", "stuck", "low completeness"…
function chips(flags) {
  const ul = el('ul', 'flags');
  ul.setAttribute('aria-label', 'quality flags');
  ul.lang = 'en';
  for (const f of flags) { const li = el('li', 'chip', f.replace(/_/g, ' ')); li.dataset.flag = f; ul.append(li); }
  return ul;
}
function card(values, q, where) {
  const lv = values[q];
  const [label, unit] = LABELS[q] || [q, ''];
  const corr = correctedFor(values, q);
  const c = el('div', 'card');
  c.dataset.quantity = q;
  if (corr) c.dataset.corrected = corr;
  const age = (Date.now() - Date.parse(lv.time)) / 1000;
  if (age > 120) c.classList.add('stale');
  c.append(el('div', 'q', label + (corr ? ' · corrected' : '') + ' · ' + where));
  const shown = corr ? values[corr] : lv;
  const v = el('div', 'v', fmt(shown.value));
  v.append(el('span', 'u', corr ? UNITS[corr.slice(corr.lastIndexOf('_') + 1)] || '' : unit));
  c.append(v);
  if (corr) {
    const sameUnit = corr.endsWith('_' + q.slice(q.lastIndexOf('_') + 1));
    const raw = el('div', 'raw', 'brut ' + fmt(lv.value) + (sameUnit ? '' : ' ' + unit));
    raw.lang = 'fr';
    raw.title = 'raw value, before correction';
    c.append(raw);
  }
  // The qc mask of the very reading shown (same timestamp), never one left over from an earlier reading.
  const qc = values.qc;
  if (qc && qc.flags && qc.flags.length && qc.time === lv.time) c.append(chips(qc.flags));
  c.append(el('div', 't', time(lv.time)));
  return c;
}
function atmoBadge(a) {
  const b = el('div', 'atmo');
  b.dataset.scheme = 'atmo';
  const band = a && ATMO[a.level];
  if (!band) {
    b.classList.add('none');
    b.append(el('div', 'atmo-n', '–'), el('div', 'atmo-l', 'ATMO index: not computed yet'));
    return b;
  }
  b.dataset.level = String(a.level);
  b.style.backgroundColor = band.colour;
  b.style.color = band.fg;
  const txt = el('div', 'atmo-txt');
  txt.lang = 'fr';
  txt.append(el('div', 'atmo-k', 'Indice ATMO'), el('div', 'atmo-l', band.label));
  if (a.indicative) txt.append(el('div', 'atmo-i', 'indicatif (site de trafic)'));
  // An ATMO point is stamped with the start of its Europe/Paris day (arrêté: "journée"), recomputed as hours arrive.
  const facts = [];
  if (a.dominant) facts.push('polluant majoritaire ' + (POLLUTANTS[a.dominant] || a.dominant));
  facts.push('journée du ' + new Date(a.time).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }));
  if (typeof a.hours === 'number') facts.push(a.hours + ' h mesurées');
  txt.append(el('div', 'atmo-s', facts.join(' · ')));
  if (a.flags && a.flags.length) txt.append(chips(a.flags));
  b.append(el('div', 'atmo-n', String(a.level)), txt);
  return b;
}
function otherIndices(aqi) {
  const parts = [];
  if (aqi.eaqi) parts.push('EAQI ' + aqi.eaqi.level + '/6');
  if (aqi['eaqi-2020']) parts.push('EAQI (2020) ' + aqi['eaqi-2020'].level + '/6');
  if (aqi['us-epa']) parts.push('US AQI ' + aqi['us-epa'].value);
  return parts.length ? el('p', 'others', parts.join(' · ')) : null;
}
function render(data) {
  const root = document.getElementById('sites');
  root.replaceChildren();
  for (const [site, s] of Object.entries(data.sites)) {
    const sec = el('section', 'site');
    sec.dataset.site = site;
    sec.append(el('h2', '', site));
    const aqi = s.aqi || {};
    if (aqi.atmo || Object.keys(s.nodes).length) sec.append(atmoBadge(aqi.atmo));
    const others = otherIndices(aqi);
    if (others) sec.append(others);
    const cards = [];
    for (const [node, parts] of Object.entries(s.nodes))
      for (const [part, values] of Object.entries(parts))
        for (const q of MAIN) if (values[q]) cards.push([MAIN.indexOf(q), card(values, q, node + '/' + part)]);
    for (const [det, lanes] of Object.entries(s.detectors))
      for (const [lane, values] of Object.entries(lanes))
        if (values.vehicles) cards.push([MAIN.indexOf('vehicles'), card(values, 'vehicles', det + '/' + lane + ' per ' + (values.interval_s ? values.interval_s.value + ' s' : 'interval'))]);
    for (const [win, values] of Object.entries(s.windows))
      for (const q of ['pm25_ugm3', 'no2_ppb', 'vehicles']) if (values[q]) cards.push([MAIN.length, card(values, q, win + ' window')]);
    const grid = el('div', 'grid');
    grid.append(...cards.sort((a, b) => a[0] - b[0]).map((c) => c[1]));
    sec.append(grid);
    root.append(sec);
  }
  if (!Object.keys(data.sites).length) root.append(el('p', '', 'No readings yet: sensors warm up for up to 30 s.'));
}
async function tick() {
  try {
    const r = await fetch('api/v1/latest', { cache: 'no-store' });
    render(await r.json());
    document.getElementById('status').textContent = 'live · ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('status').textContent = 'gateway unreachable, retrying…';
  }
}
tick();
setInterval(tick, 2000);
</script>
</body>
</html>
`;
