// The station page: one self-contained HTML document (no build step, no CDN: a pole has no internet) that polls
// /api/v1/latest every 2 s. Large figures first, readable on a phone held at arm's length on site.
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
  .t { font-size: .7rem; color: #8a949c; }
  .stale .v { color: #a0a8ae; }
  #status { font-size: .8rem; color: #5b6670; }
</style>
</head>
<body>
<h1>Airlane station <span id="status">connecting…</span></h1>
<div id="sites"></div>
<script>
const LABELS = {
  pm25_ugm3: ['PM2.5', 'µg/m³'], pm10_ugm3: ['PM10', 'µg/m³'], pm1_ugm3: ['PM1', 'µg/m³'],
  no2_ppb: ['NO₂', 'ppb'], no2_ugm3: ['NO₂', 'µg/m³'], temperature_c: ['Temperature', '°C'],
  humidity_pct: ['Humidity', '%'], pressure_hpa: ['Pressure', 'hPa'], vehicles: ['Vehicles', ''],
  heavy_vehicles: ['Heavy vehicles', ''], occupancy_pct: ['Occupancy', '%'], speed_kmh: ['Speed', 'km/h'],
};
// What an installer and an environment officer look for first comes first.
const MAIN = ['pm25_ugm3', 'no2_ppb', 'vehicles', 'pm10_ugm3', 'no2_ugm3', 'pm1_ugm3', 'temperature_c', 'humidity_pct', 'pressure_hpa'];
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function card(name, lv, where) {
  const [label, unit] = LABELS[name] || [name, ''];
  const c = el('div', 'card');
  c.dataset.quantity = name;
  const age = (Date.now() - Date.parse(lv.time)) / 1000;
  if (age > 120) c.classList.add('stale');
  c.append(el('div', 'q', label + ' · ' + where));
  const v = el('div', 'v', Number.isInteger(lv.value) ? String(lv.value) : lv.value.toFixed(1));
  v.append(el('span', 'u', unit));
  c.append(v, el('div', 't', new Date(lv.time).toLocaleTimeString()));
  return c;
}
function render(data) {
  const root = document.getElementById('sites');
  root.replaceChildren();
  for (const [site, s] of Object.entries(data.sites)) {
    root.append(el('h2', '', site));
    const cards = [];
    for (const [node, parts] of Object.entries(s.nodes))
      for (const [part, values] of Object.entries(parts))
        for (const q of MAIN) if (values[q]) cards.push([MAIN.indexOf(q), card(q, values[q], node + '/' + part)]);
    for (const [det, lanes] of Object.entries(s.detectors))
      for (const [lane, values] of Object.entries(lanes))
        if (values.vehicles) cards.push([MAIN.indexOf('vehicles'), card('vehicles', values.vehicles, det + '/' + lane + ' per ' + (values.interval_s ? values.interval_s.value + ' s' : 'interval'))]);
    for (const [win, values] of Object.entries(s.windows))
      for (const q of ['pm25_ugm3', 'no2_ppb', 'vehicles']) if (values[q]) cards.push([MAIN.length, card(q, values[q], win + ' window')]);
    const grid = el('div', 'grid');
    grid.append(...cards.sort((a, b) => a[0] - b[0]).map((c) => c[1]));
    root.append(grid);
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
