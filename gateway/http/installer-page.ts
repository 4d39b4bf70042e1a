// The installer's page (/installer): per node and part, its state (warming / ok / faulted with the last error),
// its live values and the last commissioning result. One self-contained document like the station page (no CDN:
// a pole has no internet), polling /api/v1/status, /api/v1/latest and /api/v1/commissioning every 2 s.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommissioningRecord } from '../../firmware/installer/commission/commission.js';

/**
 * The newest commissioning record of each node in <data_dir>/commissioning (by its `time`). Files that do not
 * parse are skipped: a half-written record must not hide the last good one.
 */
export function commissioningByNode(dataDir: string): Record<string, CommissioningRecord> {
  const newest: Record<string, CommissioningRecord> = {};
  const dir = join(dataDir, 'commissioning');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return newest;
  }
  for (const name of names) {
    try {
      const r = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CommissioningRecord;
      if (typeof r?.time !== 'string' || typeof r.node !== 'string') continue;
      const best = newest[r.node];
      if (!best || Date.parse(r.time) > Date.parse(best.time)) newest[r.node] = r;
    } catch {
      continue;
    }
  }
  return newest;
}

export const INSTALLER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Airlane installer</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2329; background: #f4f6f8; }
  body { margin: 0; padding: 10px; max-width: 720px; margin-inline: auto; }
  h1 { font-size: 1.15rem; margin: 4px 0 10px; }
  h2 { font-size: 1rem; margin: 14px 0 6px; }
  .part { background: #fff; border-radius: 10px; padding: 8px 10px; margin-bottom: 8px; box-shadow: 0 1px 2px #0002; }
  .head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
  .name { font-weight: 600; }
  .state { font-size: .85rem; font-weight: 600; padding: 1px 8px; border-radius: 9px; background: #e3e7ea; }
  .state.ok { background: #d4f0d9; color: #155724; }
  .state.warming, .state.starting, .state.sleeping { background: #fff1c2; color: #6b5200; }
  .state.faulted { background: #f8d3d3; color: #8a1c1c; }
  .err { font-size: .8rem; color: #8a1c1c; margin-top: 4px; overflow-wrap: anywhere; }
  .vals { display: grid; grid-template-columns: repeat(auto-fill, minmax(105px, 1fr)); gap: 2px 10px; margin-top: 6px; font-size: .85rem; }
  .vals b { font-size: 1rem; }
  .q { color: #5b6670; font-size: .75rem; display: block; }
  .comm { font-size: .8rem; margin-top: 6px; }
  .comm .fail { color: #8a1c1c; }
  .comm .pass { color: #155724; }
  #status { font-size: .8rem; color: #5b6670; font-weight: normal; }
</style>
</head>
<body>
<h1>Airlane installer <span id="status">connecting…</span></h1>
<div id="nodes"></div>
<script>
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
// With http.token set, open the page as /installer#token=…: the fragment never leaves the phone (not sent, not logged).
const token = new URLSearchParams(location.hash.slice(1)).get('token');
async function get(path) { const r = await fetch(path, { cache: 'no-store', headers: token ? { authorization: 'Bearer ' + token } : {} }); if (!r.ok) throw new Error(path + ': HTTP ' + r.status); return r.json(); }
function render(status, latest, comm) {
  const root = document.getElementById('nodes');
  root.replaceChildren();
  const site = status.site;
  const live = (latest.sites && latest.sites[site] && latest.sites[site].nodes) || {};
  const nodes = status.nodes || {};
  const ids = Object.keys(nodes);
  if (!ids.length) root.append(el('p', null, 'No node is running on this station yet.'));
  for (const node of ids) {
    root.append(el('h2', null, node + ' · ' + site));
    const c = comm && comm.nodes ? comm.nodes[node] : undefined;
    for (const [part, st] of Object.entries(nodes[node])) {
      const box = el('div', 'part');
      box.dataset.part = part;
      box.dataset.node = node;
      const head = el('div', 'head');
      head.append(el('span', 'name', part));
      const s = el('span', 'state ' + st.state, st.state);
      s.dataset.state = st.state;
      head.append(s);
      box.append(head);
      if (st.state === 'faulted' && st.last_error) box.append(el('div', 'err', st.last_error));
      const values = (live[node] && live[node][part]) || {};
      const grid = el('div', 'vals');
      for (const [q, v] of Object.entries(values)) {
        const cell = el('span');
        cell.dataset.quantity = q;
        cell.append(el('span', 'q', q), el('b', null, String(Math.round(v.value * 100) / 100)));
        grid.append(cell);
      }
      if (!Object.keys(values).length) grid.append(el('span', 'q', 'no reading yet'));
      box.append(grid);
      const p = c && c.parts && c.parts[part];
      if (p) {
        const line = el('div', 'comm');
        line.dataset.commissioning = p.pass ? 'pass' : 'fail';
        line.append(el('span', p.pass ? 'pass' : 'fail', (p.pass ? '✓ commissioned ' : '✗ commissioning failed ') + c.time.slice(0, 16).replace('T', ' ') + ' by ' + c.by));
        for (const r of p.results) if (!r.pass) line.append(el('div', 'fail', '✗ ' + r.name + ': ' + r.detail));
        box.append(line);
      }
      root.append(box);
    }
  }
}
async function tick() {
  try {
    const [status, latest, comm] = await Promise.all([get('/api/v1/status'), get('/api/v1/latest'), get('/api/v1/commissioning').catch(() => null)]);
    render(status, latest, comm);
    document.getElementById('status').textContent = 'live · ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('status').textContent = 'offline: ' + e.message;
  }
}
tick();
setInterval(tick, 2000);
</script>
</body>
</html>
`;
