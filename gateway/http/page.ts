// The station page: one self-contained HTML document (no build step, no CDN: a pole has no internet) that polls
// /api/v1/latest every 2 s. Large figures first, readable on a phone held at arm's length on site: per site the
// ATMO class, then PM2.5 and NO2 (corrected when a correction ran, the raw value beside it) with the quality
// flags of that reading, then vehicles and the rest. Below the cards, per site, the last 24 h from the gateway's
// own windows store (/api/v1/history, refreshed every minute): hourly ATMO classes as a colour strip, PM2.5 and
// NO2 as inline SVG over ATMO-coloured bands with the WHO 2021 24-h guideline, vehicles per 15 min as bars on
// the same time axis; and the parts' states when /api/v1/status answers (no token set, or /#token=… in the URL).

import { bands, levels } from '../air/indices/index.js';

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

/**
 * WHO global air quality guidelines 2021 (ISBN 9789240034228), 24-hour AQG levels: PM2.5 15 µg/m³, NO2 25 µg/m³
 * (../shared/reference/air-quality.md §4). The chart backgrounds are the ATMO bands of the same pollutant (arrêté
 * du 10 juillet 2020, Annexe I; gateway/air/indices/atmo.ts) — drawn behind 15-min means they show where a level
 * sits, they are not the daily index.
 */
export const WHO_24H_UGM3 = { pm25: 15, no2: 25 } as const;
const CHART_BANDS = { pm25: bands('atmo', 'pm25'), no2: bands('atmo', 'no2') };

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
  .history { background: #fff; border-radius: 10px; padding: 8px 10px 10px; margin-top: 10px; box-shadow: 0 1px 2px #0002; }
  .history h3, .parts h3 { font-size: .9rem; margin: 2px 0 6px; }
  .history .note, .parts .note { font-size: .72rem; color: #5b6670; margin: 0 0 6px; }
  .chart { display: block; width: 100%; height: auto; margin: 4px 0 2px; }
  .chart text { font: 10px system-ui, sans-serif; fill: #3d464d; }
  .chart .cap { font-size: 11px; font-weight: 600; fill: #1d2329; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: .7rem; color: #3d464d; margin: 4px 0 0; padding: 0; list-style: none; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 3px; vertical-align: -1px; border: 1px solid #0003; }
  .legend .who i { border: 0; border-top: 2px dashed #1d2329; height: 0; width: 14px; vertical-align: 3px; border-radius: 0; }
  .parts { background: #fff; border-radius: 10px; padding: 8px 10px; margin-top: 10px; box-shadow: 0 1px 2px #0002; }
  .parts ul { list-style: none; margin: 0; padding: 0; }
  .parts li { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 4px 0; border-top: 1px solid #eef1f3; font-size: .85rem; }
  .parts li:first-child { border-top: 0; }
  .parts .state { font-size: .72rem; padding: 1px 7px; border-radius: 9px; border: 1px solid; }
  .state.ok { background: #dff3e4; color: #14532d; border-color: #2f855a; }
  .state.warming, .state.starting { background: #fff1c2; color: #4d3a00; border-color: #c99a00; }
  .state.sleeping { background: #e3eef9; color: #1e3a5f; border-color: #4a78a8; }
  .state.faulted, .state.stuck { background: #fde2e2; color: #7a1020; border-color: #c53030; }
  .parts .err { flex-basis: 100%; font-size: .75rem; color: #7a1020; }
  .charts-only .grid, .charts-only .others { display: none; }
  .history:empty { display: none; }
  #status { font-size: .8rem; color: #5b6670; }
</style>
</head>
<body>
<h1>Airlane station <span id="status">connecting…</span></h1>
<div id="sites"></div>
<script>
const ATMO = ${JSON.stringify(ATMO_BADGES)};
const WHO = ${JSON.stringify(WHO_24H_UGM3)};
const BANDS = ${JSON.stringify(CHART_BANDS)};
// With http.token set, /api/v1/status needs it: open the page as /#token=… (the fragment never leaves the phone).
const TOKEN = new URLSearchParams(location.hash.slice(1)).get('token');
// /#view=charts leaves the cards out: the ATMO badge, the day's charts and the parts (a wall screen, a phone bookmark).
if (new URLSearchParams(location.hash.slice(1)).get('view') === 'charts') document.documentElement.classList.add('charts-only');
const HISTORY_EVERY_MS = 60000;
const STATUS_EVERY_MS = 10000;
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
// ---- last 24 h: inline SVG, no library ----
const SVG = 'http://www.w3.org/2000/svg';
const histories = new Map(); // site -> { el, data, at }
let parts = { el: null, data: null, at: -Infinity };
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
const r1 = (x) => Math.round(x * 10) / 10;
function hhmm(ms) { return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }); }
// The smallest 1, 2, 2.5 or 5 × 10^k at or above x: round axis maxima.
function niceMax(x) {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(x, 1e-9))));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
// Geometry shared by every chart of a site so that the bars sit under the NO2 points they go with.
function frame(h, width, height, top = 16, bottom = 16) {
  const left = 34, right = 8;
  const from = Date.parse(h.from), to = Date.parse(h.to);
  const x0 = left, x1 = width - right;
  return { width, height, from, to, x0, x1, top, bottom: height - bottom, n: h.times.length,
    x: (t) => x0 + ((t - from) / (to - from)) * (x1 - x0) };
}
function axisX(g, f, h) {
  const bucket = h.bucket_s * 1000;
  for (let i = 0; i <= f.n; i++) {
    const t = f.from + i * bucket;
    if (new Date(t).getMinutes() !== 0 || new Date(t).getHours() % 6 !== 0) continue;
    const x = r1(f.x(t));
    g.append(svg('line', { x1: x, x2: x, y1: f.top, y2: f.bottom, stroke: '#0000001a' }));
    g.append(svg('text', { x: x, y: f.height - 4, 'text-anchor': 'middle' }, hhmm(t)));
  }
}
function stats(values) {
  const v = values.filter((x) => x !== null);
  let last = -1;
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) { last = i; break; }
  return { n: v.length, min: v.length ? Math.min(...v) : null, max: v.length ? Math.max(...v) : null, last };
}
function slot(h, i) {
  const t = Date.parse(h.times[i]);
  return hhmm(t) + '–' + hhmm(t + h.bucket_s * 1000);
}
function chartShell(f, kind, label) {
  const s = svg('svg', { class: 'chart', viewBox: '0 0 ' + f.width + ' ' + f.height, width: f.width, height: f.height, role: 'img', 'aria-label': label,
    'data-chart': kind, 'data-top': f.top, 'data-bottom': f.bottom, 'data-x0': f.x0, 'data-x1': f.x1 });
  s.append(svg('title', {}, label));
  return s;
}
// PM2.5 or NO2: 15-min means as a line (broken where a quarter hour has no valid data) over the ATMO bands of
// that pollutant, with the WHO 2021 24-h guideline dashed across.
function lineChart(h, f, pollutant, name) {
  const values = h.series[pollutant + '_ugm3'].values;
  const st = stats(values);
  const who = WHO[pollutant];
  const ymax = niceMax(Math.max(st.max || 0, who) * 1.15);
  const y = (v) => f.top + (1 - Math.min(v, ymax) / ymax) * (f.bottom - f.top);
  const sources = h.series[pollutant + '_ugm3'].sources || [];
  const corrected = sources.length > 0 && sources.every((x) => x.includes('_corrected_'));
  const title = name + (corrected ? ' (corrected)' : '') + ', ' + (h.bucket_s / 60) + '-min means, last 24 h: ' +
    (st.n ? 'last ' + fmt(values[st.last]) + ' µg/m³ (' + slot(h, st.last) + '), range ' + fmt(st.min) + '–' + fmt(st.max) + ' µg/m³, ' +
      values.filter((v) => v !== null && v > who).length + ' of ' + st.n + ' above the WHO 24-h guideline of ' + who + ' µg/m³'
      : 'no valid data');
  const s = chartShell(f, pollutant, title);
  s.dataset.ymax = String(ymax);
  s.dataset.points = String(st.n);
  const bands = svg('g', { class: 'bands' });
  for (const b of BANDS[pollutant]) {
    if (b.min >= ymax) break;
    const top = y(b.max === null ? ymax : Math.min(b.max, ymax));
    bands.append(svg('rect', { x: f.x0, width: r1(f.x1 - f.x0), y: r1(top), height: r1(y(b.min) - top), fill: b.colour, 'fill-opacity': 0.3, 'data-level': b.level }));
  }
  s.append(bands);
  const g = svg('g', {});
  for (const v of [0, ymax / 2, ymax]) g.append(svg('text', { x: f.x0 - 4, y: r1(y(v) + 3), 'text-anchor': 'end' }, fmt(v)));
  axisX(g, f, h);
  s.append(g);
  const wy = r1(y(who));
  s.append(svg('line', { class: 'who', x1: f.x0, x2: f.x1, y1: wy, y2: wy, stroke: '#1d2329', 'stroke-width': 1.5, 'stroke-dasharray': '5 3', 'data-value': who }));
  s.append(svg('text', { x: f.x1 - 2, y: wy - 3, 'text-anchor': 'end' }, 'WHO ' + who));
  s.append(svg('text', { class: 'cap', x: f.x0, y: 11 }, name + ' µg/m³' + (corrected ? ' · corrected' : '')));
  const bucket = h.bucket_s * 1000;
  let seg = [];
  const flush = () => {
    if (seg.length > 1) s.append(svg('polyline', { class: 'series', points: seg.join(' '), fill: 'none', stroke: '#1d2329', 'stroke-width': 1.8, 'stroke-linejoin': 'round' }));
    else if (seg.length === 1) { const [cx, cy] = seg[0].split(','); s.append(svg('circle', { class: 'series', cx: cx, cy: cy, r: 1.8, fill: '#1d2329' })); }
    seg = [];
  };
  values.forEach((v, i) => { if (v === null) flush(); else seg.push(r1(f.x(f.from + (i + 0.5) * bucket)) + ',' + r1(y(v))); });
  flush();
  if (st.last >= 0) s.append(svg('circle', { class: 'last', cx: r1(f.x(f.from + (st.last + 0.5) * bucket)), cy: r1(y(values[st.last])), r: 3.2, fill: '#1d2329', stroke: '#fff' }));
  return s;
}
function barChart(h, f) {
  const values = h.series.vehicles.values;
  const st = stats(values);
  const ymax = niceMax(Math.max(st.max || 0, 1));
  const y = (v) => f.top + (1 - v / ymax) * (f.bottom - f.top);
  const per = h.bucket_s / 60 + ' min';
  const total = values.reduce((a, v) => a + (v || 0), 0);
  const title = 'Vehicles per ' + per + ', last 24 h: ' + (st.n ? 'last ' + fmt(values[st.last]) + ' (' + slot(h, st.last) + '), range ' + fmt(st.min) + '–' + fmt(st.max) + ', total ' + fmt(total) : 'no count');
  const s = chartShell(f, 'vehicles', title);
  s.dataset.ymax = String(ymax);
  s.dataset.bars = String(st.n);
  const g = svg('g', {});
  for (const v of [0, ymax]) g.append(svg('text', { x: f.x0 - 4, y: r1(y(v) + 3), 'text-anchor': 'end' }, fmt(v)));
  axisX(g, f, h);
  s.append(g);
  s.append(svg('text', { class: 'cap', x: f.x0, y: 11 }, 'Vehicles per ' + per));
  const w = (f.x1 - f.x0) / f.n;
  values.forEach((v, i) => {
    if (v === null) return;
    s.append(svg('rect', { class: 'bar', x: r1(f.x0 + i * w + 0.5), width: r1(Math.max(1, w - 1)), y: r1(y(v)), height: r1(f.bottom - y(v)), fill: '#4a5a68', 'data-value': v }));
  });
  return s;
}
// One cell per hour in the ATMO colour of that hour's means; grey where the hour was incomplete.
function atmoStrip(h, f) {
  const byTime = new Map(h.atmo_hourly.map((a) => [Date.parse(a.time), a]));
  const known = h.atmo_hourly.map((a) => a.level);
  const last = h.atmo_hourly[h.atmo_hourly.length - 1];
  const title = 'ATMO class of each hour (indicative, from hourly means; the index itself is daily): ' + (last
    ? 'last ' + ATMO[last.level].label + ' (' + last.level + ') at ' + hhmm(Date.parse(last.time)) + ', range ' + Math.min(...known) + '–' + Math.max(...known) + ', ' + known.length + ' hours known'
    : 'no complete hour yet');
  const s = chartShell(f, 'atmo', title);
  s.append(svg('text', { class: 'cap', x: f.x0, y: 11 }, 'ATMO / hour'));
  for (let t = Math.ceil(f.from / 3600000) * 3600000; t + 3600000 <= f.to; t += 3600000) {
    const a = byTime.get(t);
    const band = a && ATMO[a.level];
    const cell = svg('rect', { class: 'hour', x: r1(f.x(t) + 0.5), width: r1(f.x(t + 3600000) - f.x(t) - 1), y: f.top, height: f.bottom - f.top,
      fill: band ? band.colour : '#e3e7ea', 'data-level': a ? a.level : '', rx: 2 });
    cell.append(svg('title', {}, hhmm(t) + ': ' + (band ? band.label + ' (' + a.level + ')' : 'incomplete hour')));
    s.append(cell);
  }
  return s;
}
function legend() {
  const ul = el('ul', 'legend');
  ul.setAttribute('aria-label', 'legend');
  for (const [level, b] of Object.entries(ATMO)) {
    const li = el('li');
    li.lang = 'fr';
    const sw = el('i');
    sw.style.background = b.colour;
    li.append(sw, level + ' ' + b.label);
    ul.append(li);
  }
  const who = el('li', 'who');
  who.append(el('i'), 'WHO 2021 24-h guideline');
  ul.append(who);
  return ul;
}
function drawHistory(site) {
  const entry = histories.get(site);
  if (!entry || !entry.data) return;
  const h = entry.data;
  const box = entry.el;
  // Measured on the section: the box itself is display:none while still empty. Minus the box's own padding.
  const outer = (box.parentNode && box.parentNode.clientWidth) || document.getElementById('sites').clientWidth || 620;
  const width = Math.round(Math.min(940, Math.max(280, outer - 20)));
  box.replaceChildren(el('h3', '', 'Last 24 h'),
    el('p', 'note', (h.bucket_s / 60) + '-min means from this gateway\\'s store, up to ' + hhmm(Date.parse(h.to)) + '; PM2.5 and NO₂ over their ATMO bands'));
  const tall = width < 500 ? 150 : 130;
  box.append(atmoStrip(h, frame(h, width, 34, 15, 3)));
  box.append(lineChart(h, frame(h, width, tall), 'pm25', 'PM2.5'));
  box.append(lineChart(h, frame(h, width, tall), 'no2', 'NO₂'));
  box.append(barChart(h, frame(h, width, 90)));
  box.append(legend());
}
function historyBox(site) {
  let entry = histories.get(site);
  if (!entry) {
    const e = el('div', 'history');
    e.id = 'history-' + site;
    e.dataset.site = site;
    histories.set(site, (entry = { el: e, data: null, at: -Infinity }));
  }
  return entry;
}
async function refreshHistory(site) {
  const entry = historyBox(site);
  if (Date.now() - entry.at < HISTORY_EVERY_MS) return;
  entry.at = Date.now();
  try {
    const r = await fetch('api/v1/history?site=' + encodeURIComponent(site) + '&window=15m&hours=24', { cache: 'no-store' });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    entry.data = await r.json();
    drawHistory(site);
  } catch (e) {
    entry.at = Date.now() - HISTORY_EVERY_MS + 10000; // try again in 10 s
  }
}
// Part states: only when /api/v1/status answers (no token configured, or the token in the URL fragment).
async function refreshParts() {
  if (Date.now() - parts.at < STATUS_EVERY_MS) return;
  parts.at = Date.now();
  try {
    const r = await fetch('api/v1/status', { cache: 'no-store', headers: TOKEN ? { authorization: 'Bearer ' + TOKEN } : {} });
    parts.data = r.ok ? await r.json() : null;
    // 401: a token is set and this page has none; asking again every 10 s would not change that.
    if (r.status === 401) parts.at = Infinity;
  } catch (e) {
    parts.data = null;
  }
  drawParts();
}
function drawParts() {
  const s = parts.data;
  const nodes = (s && s.nodes) || {};
  if (!Object.keys(nodes).length) { if (parts.el) parts.el.remove(); parts.el = null; return; }
  if (!parts.el) { parts.el = el('div', 'parts'); parts.el.dataset.site = s.site || ''; }
  const ul = el('ul');
  for (const [node, ps] of Object.entries(nodes))
    for (const [part, st] of Object.entries(ps)) {
      const li = el('li');
      li.dataset.node = node;
      li.dataset.part = part;
      li.append(el('b', '', node + '/' + part));
      const chip = el('span', 'state ' + st.state, st.state);
      chip.dataset.state = st.state;
      li.append(chip);
      if (st.stuck) li.append(el('span', 'state stuck', 'stuck'));
      if (st.last_reading) li.append(el('span', 't', 'last reading ' + time(st.last_reading)));
      if (st.state === 'faulted' && st.last_error) li.append(el('span', 'err', st.last_error));
      ul.append(li);
    }
  parts.el.replaceChildren(el('h3', '', 'Parts'), ul);
  place();
}
// The persistent blocks (history, parts) move into the freshly rendered site sections instead of being redrawn.
function place() {
  for (const sec of document.querySelectorAll('section.site')) {
    const entry = histories.get(sec.dataset.site);
    if (entry && entry.el.parentNode !== sec) sec.append(entry.el);
  }
  if (parts.el) {
    const home = document.querySelector('section.site[data-site="' + CSS.escape(parts.el.dataset.site) + '"]') || document.getElementById('sites');
    if (parts.el.parentNode !== home) home.append(parts.el);
  }
}
let resizeTimer;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => { for (const site of histories.keys()) drawHistory(site); }, 200); });
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
    sec.append(historyBox(site).el);
    root.append(sec);
  }
  place();
  if (!Object.keys(data.sites).length) root.append(el('p', '', 'No readings yet: sensors warm up for up to 30 s.'));
}
async function tick() {
  try {
    const r = await fetch('api/v1/latest', { cache: 'no-store' });
    const data = await r.json();
    render(data);
    document.getElementById('status').textContent = 'live · ' + new Date().toLocaleTimeString();
    for (const site of Object.keys(data.sites)) refreshHistory(site);
    refreshParts();
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
