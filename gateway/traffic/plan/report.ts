// report.html: one self-contained page (no script, no external file: it opens offline and from a mail
// attachment) with inline SVG plots — count profile, NO2 profile, delay before/after per period — and the tables
// an engineer checks by hand. Laid out for a phone first (the page is narrow and the plots scale).
import type { PeriodResult, SignalPlanResult } from './analyse.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f1 = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
const f0 = (v: number) => String(Math.round(v));

const W = 360;
const H = 200;
const M = { l: 40, r: 16, t: 18, b: 28 };

/** A round tick step (1, 2, 2.5 or 5 × 10^k) giving about four steps up to max. */
function niceMax(max: number): { top: number; step: number } {
  const raw = Math.max(max, 1e-9) / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? 10 * p;
  return { top: step * Math.max(1, Math.ceil(max / step)), step };
}

function axes(yMax: number, yLabel: string, xTicks: Array<[number, string]>, step = yMax / 4): string {
  const ih = H - M.t - M.b;
  const ticks: string[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const y = M.t + ih * (1 - v / yMax);
    ticks.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${f1(y)}" y2="${f1(y)}" stroke="#ddd"/><text x="${M.l - 4}" y="${f1(y + 3)}" text-anchor="end">${Math.round(v * 10) / 10}</text>`);
  }
  const xs = xTicks.map(([x, t]) => `<text x="${x}" y="${H - M.b + 14}" text-anchor="middle">${esc(t)}</text>`);
  return `${ticks.join('')}${xs.join('')}<text x="4" y="${M.t - 8}" font-size="9">${esc(yLabel)}</text>`;
}

const slotX = (slot: number) => M.l + ((W - M.l - M.r) * slot) / 96;
const hourTicks = (): Array<[number, string]> => [0, 6, 12, 18, 24].map((h) => [slotX(h * 4), `${String(h).padStart(2, '0')}:00`]);

function line(values: readonly (number | null)[], yMax: number, colour: string, dash = ''): string {
  const ih = H - M.t - M.b;
  const pts = values
    .map((v, i) => (v === null ? null : `${f1(slotX(i + 0.5))},${f1(M.t + ih * (1 - v / yMax))}`))
    .filter((p): p is string => p !== null);
  return `<polyline fill="none" stroke="${colour}" stroke-width="1.6"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${pts.join(' ')}"/>`;
}

function periodBands(periods: readonly PeriodResult[]): string {
  const ih = H - M.t - M.b;
  return periods
    .flatMap((p, k) => {
      // A period may wrap midnight: draw each run of consecutive hours.
      const runs: number[][] = [];
      for (const h of p.hours) {
        const last = runs[runs.length - 1];
        if (last && last[last.length - 1] === h - 1) last.push(h);
        else runs.push([h]);
      }
      return runs.map((run) => {
        const x0 = slotX(run[0]! * 4);
        const x1 = slotX((run[run.length - 1]! + 1) * 4);
        const fill = p.level === 'peak' ? '#fde2c8' : p.level === 'low' ? '#eef2f7' : k % 2 ? '#f5f5f0' : '#fafaf5';
        return `<rect x="${f1(x0)}" y="${M.t}" width="${f1(x1 - x0)}" height="${ih}" fill="${fill}"><title>${esc(p.name)}</title></rect>`;
      });
    })
    .join('');
}

function svg(id: string, title: string, body: string, legend: string): string {
  return `<figure><svg id="${id}" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="100%" font-family="sans-serif" font-size="10">${body}</svg><figcaption>${esc(title)} ${legend}</figcaption></figure>`;
}

const key = (colour: string, label: string) => `<span class="key" style="background:${colour}"></span>${esc(label)}`;

function countPlot(r: SignalPlanResult): string {
  const all = [...r.profile.design_day_vph, ...(r.profile.weekend_vph ?? [])];
  const { top: yMax, step } = niceMax(Math.max(...all));
  const body =
    periodBands(r.periods) +
    axes(yMax, 'veh/h (15-min rate)', hourTicks(), step) +
    line(r.profile.design_day_vph, yMax, '#1f5fa8') +
    (r.profile.weekend_vph ? line(r.profile.weekend_vph, yMax, '#888', '4 3') : '');
  return svg('plot-counts', 'Count profile, all movements', body, `${key('#1f5fa8', 'design day (weekdays)')} ${r.profile.weekend_vph ? key('#888', 'weekend') : ''} ${key('#fde2c8', 'peak periods')}`);
}

function no2Plot(r: SignalPlanResult, threshold: number | null): string {
  const vals = r.profile.no2_design_day_ugm3;
  const known = vals.filter((v): v is number => v !== null);
  if (known.length === 0) return `<figure id="plot-no2"><p>No NO2 data for site ${esc(r.intersection.site)}.</p></figure>`;
  const { top: yMax, step } = niceMax(Math.max(...known, threshold ?? 0));
  const ih = H - M.t - M.b;
  const th = threshold === null ? '' : `<line x1="${M.l}" x2="${W - M.r}" y1="${f1(M.t + ih * (1 - threshold / yMax))}" y2="${f1(M.t + ih * (1 - threshold / yMax))}" stroke="#c0392b" stroke-dasharray="5 3"/>`;
  const body = periodBands(r.periods) + axes(yMax, 'NO2 µg/m³', hourTicks(), step) + th + line(vals, yMax, '#6a3d9a');
  return svg('plot-no2', `NO2 at ${r.intersection.site}, design-day mean`, body, `${key('#6a3d9a', 'NO2')} ${threshold === null ? '' : key('#c0392b', `trigger ${threshold} µg/m³`)}`);
}

function delayPlot(r: SignalPlanResult): string {
  const series = r.periods.map((p) => ({ name: p.name, current: p.current?.delay_s ?? null, proposed: p.proposed.delay_s, aq: p.air_quality && p.air_quality.plan !== p.proposed ? p.air_quality.plan.delay_s : null }));
  const { top: yMax, step } = niceMax(Math.max(...series.flatMap((s) => [s.current ?? 0, s.proposed, s.aq ?? 0])));
  const ih = H - M.t - M.b;
  const band = (W - M.l - M.r) / series.length;
  const bw = Math.min(14, band / 4);
  const bar = (x: number, v: number | null, colour: string, label: string) =>
    v === null ? '' : `<rect x="${f1(x)}" y="${f1(M.t + ih * (1 - v / yMax))}" width="${f1(bw)}" height="${f1((ih * v) / yMax)}" fill="${colour}"><title>${esc(label)} ${f1(v)} s/veh</title></rect>`;
  const bars = series
    .map((s, i) => {
      const x = M.l + band * i + band / 2 - 1.5 * bw;
      return bar(x, s.current, '#999', `${s.name} current`) + bar(x + bw, s.proposed, '#1f5fa8', `${s.name} proposed`) + bar(x + 2 * bw, s.aq, '#2e8b57', `${s.name} air-quality plan`);
    })
    .join('');
  const ticks: Array<[number, string]> = series.map((s, i) => [M.l + band * i + band / 2, s.name.replace('_', ' ')]);
  return svg('plot-delay', 'Intersection delay per period, s/veh', axes(yMax, 's/veh', ticks, step) + bars, `${key('#999', 'current plan')} ${key('#1f5fa8', 'proposed')} ${key('#2e8b57', 'air-quality plan')}`);
}

function periodTable(r: SignalPlanResult): string {
  const head = '<tr><th>period</th><th>design hour</th><th>PHF</th><th>Y</th><th>cycle now → proposed</th><th>greens proposed (s, effective)</th><th>X<sub>c</sub> now → proposed</th><th>delay s/veh now → proposed</th><th>NO2 µg/m³</th></tr>';
  const rows = r.periods.map((p) => {
    const greens = Object.entries(p.proposed.greens_s).map(([k, v]) => `${esc(k)} ${v}`).join(', ');
    const cur = p.current;
    return `<tr${p.polluted ? ' class="polluted"' : ''}><td>${esc(p.name)}<br><small>${p.from}–${p.to}</small></td><td>${esc(p.design_hour)}</td><td>${p.phf.toFixed(2)}</td><td>${p.Y.toFixed(3)}</td><td>${cur ? `${cur.cycle_s} → ` : ''}${p.proposed.cycle_s}<br><small>C0 ${Number.isFinite(p.webster.cycle_s) ? f1(p.webster.cycle_s) : '∞'}</small></td><td>${greens}</td><td>${cur ? `${cur.critical_vc.toFixed(2)} → ` : ''}${p.proposed.critical_vc.toFixed(2)}</td><td>${cur ? `${f1(cur.delay_s)} → ` : ''}${f1(p.proposed.delay_s)}</td><td>${p.no2_ugm3 === null ? '–' : f1(p.no2_ugm3)}</td></tr>`;
  });
  return `<div class="scroll"><table>${head}${rows.join('')}</table></div>`;
}

function movementTable(p: PeriodResult): string {
  const head = '<tr><th>movement</th><th>approach</th><th>flow veh/h</th><th>s veh/h</th><th>y</th><th>X</th><th>delay s/veh</th><th>stops/veh</th></tr>';
  const rows = p.proposed.movements.map((m) => {
    const f = p.flows.find((x) => x.movement === m.id)!;
    const crit = p.critical.some((c) => c.movement === m.id);
    return `<tr><td>${esc(m.id)}${crit ? ' *' : ''}</td><td>${esc(m.approach)}</td><td>${f0(m.flow_vph)}</td><td>${f0(m.saturation_vph)}</td><td>${f.y.toFixed(3)}</td><td>${m.x.toFixed(2)}</td><td>${f1(m.delay_s)}${m.delay_method === 'uniform_only' ? ' †' : ''}</td><td>${m.stops_per_veh.toFixed(2)}</td></tr>`;
  });
  return `<details><summary>${esc(p.name)}: movements under the proposed plan</summary><div class="scroll"><table>${head}${rows.join('')}</table></div><p><small>* critical movement of its phase. † over capacity: uniform delay only.</small></p></details>`;
}

export function renderReport(r: SignalPlanResult, threshold: number | null = null): string {
  const th = threshold ?? r.periods.find((p) => p.air_quality)?.air_quality?.threshold_ugm3 ?? null;
  const aq = r.periods.filter((p) => p.air_quality);
  const warnings = r.periods.flatMap((p) => p.warnings.map((w) => `${p.name}: ${w}`));
  const title = `Signal-plan advice — ${r.intersection.name ?? r.intersection.id}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:760px;padding:12px;color:#222}
p,li{overflow-wrap:anywhere}
h1{font-size:1.25em}h2{font-size:1.05em;margin-top:1.6em}
figure{margin:12px 0}figcaption{font-size:.85em;color:#555}
.key{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;vertical-align:middle}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85em}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
tr.polluted td{background:#fff3e6}.advice{background:#eef7f0;border-left:4px solid #2e8b57;padding:8px}.warn{background:#fdecea;border-left:4px solid #c0392b;padding:8px}
small{color:#666}
</style></head><body>
<h1>${esc(title)}</h1>
<p>Site <b>${esc(r.intersection.site)}</b> · ${r.inputs.days} days of counts (${esc(r.inputs.first_interval.replace(".000Z", "Z"))} … ${esc(r.inputs.last_interval.replace(".000Z", "Z"))} UTC, ${r.inputs.intervals} intervals) · clock ${esc(r.intersection.timezone)}</p>
${warnings.length ? `<div class="warn"><b>Check first</b><ul>${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>` : ''}
<h2>Counts and NO2</h2>
${countPlot(r)}
${no2Plot(r, th)}
<h2>Plans per period</h2>
${delayPlot(r)}
${periodTable(r)}
${r.periods.map(movementTable).join('\n')}
<h2>Air quality</h2>
${aq.length ? aq.map((p) => `<p class="advice"><b>${esc(p.name)}</b> (${p.from}–${p.to}): ${esc(p.air_quality!.summary)}.</p>`).join('\n') : '<p>No period over the NO2 trigger (or no air_quality section).</p>'}
<h2>What this assumed</h2>
<ul>${r.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>
<p><small>Inputs: counts ${esc(r.inputs.counts)}; NO2 ${esc(r.inputs.no2)}.${r.inputs.unmapped_detectors.length ? ` Detectors in the counts but in no movement (ignored): ${esc(r.inputs.unmapped_detectors.join(', '))}.` : ''} Made by airlane signal-plan.</small></p>
</body></html>
`;
}
