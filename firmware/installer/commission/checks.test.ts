import { describe, expect, it } from 'vitest';
import type { PartStatus } from '../../node/runtime.js';
import type { Values } from '../../drivers/types.js';
import { pms5003 } from '../../drivers/pms5003/definition.js';
import { pms5003t } from '../../drivers/pms5003t/definition.js';
import { bme280Definition } from '../../drivers/bme280/definition.js';
import { checkAnswers, checkConsistent, checkInRange, checkNotStuck, checkWarmedUp, runChecks, type PartWindow } from './checks.js';

const status = (state: PartStatus['state'], extra: Partial<PartStatus> = {}): PartStatus => ({
  state,
  since: '2026-01-01T00:00:00.000Z',
  errors: 0,
  warmup_discarded: 0,
  reopened: 0,
  ...extra,
});

function win(part: string, values: Values[], statuses: PartStatus[] = [status('warming'), status('ok')], definition = part === 'bme280' ? bme280Definition : part === 'pms5003t' ? pms5003t : pms5003): PartWindow {
  return { part, definition, readings: values.map((v, i) => ({ time: 2000 * i, values: v })), statuses, windowS: 20 };
}

const pm = (pm25: number, extra: Values = {}): Values => ({ pm1_ugm3: 3, pm25_ugm3: pm25, pm10_ugm3: pm25 + 2, n0_3_per_dl: 500 + pm25, ...extra });

describe('answers', () => {
  it('passes with at least 3 readings', () => {
    expect(checkAnswers(win('pms5003', [pm(5), pm(6), pm(7)]))).toEqual({ name: 'answers', pass: true, detail: '3 readings in 20 s' });
  });
  it('fails with fewer, naming the last error', () => {
    const w = win('pms5003', [pm(5)], [status('faulted', { last_error: 'checksum mismatch' })]);
    expect(checkAnswers(w)).toEqual({ name: 'answers', pass: false, detail: '1 reading in 20 s, want at least 3; last error: checksum mismatch' });
  });
});

describe('warmed_up', () => {
  it('passes once the part reached ok, counting the discarded warm-up readings', () => {
    const w = win('pms5003', [pm(5)], [status('warming', { warmup_discarded: 2 }), status('ok', { warmup_discarded: 4 })]);
    expect(checkWarmedUp(w)).toEqual({ name: 'warmed_up', pass: true, detail: 'ok (4 warm-up readings discarded)' });
  });
  it('fails while still warming', () => {
    const w = win('pms5003', [], [status('starting'), status('warming', { warmup_discarded: 12 })]);
    expect(checkWarmedUp(w)).toEqual({ name: 'warmed_up', pass: false, detail: 'still warming after 20 s (12 warm-up readings discarded; warm-up is 30 s)' });
  });
  it('fails with the fault when the part never opened', () => {
    const w = win('bme280', [], [status('faulted', { last_error: 'cannot open: no device at 0x76 on i2c-1' })]);
    expect(checkWarmedUp(w)).toEqual({ name: 'warmed_up', pass: false, detail: 'faulted: cannot open: no device at 0x76 on i2c-1' });
  });
  it('fails when no status ever came', () => {
    expect(checkWarmedUp(win('bme280', [], []))).toEqual({ name: 'warmed_up', pass: false, detail: 'never started: no status from the part' });
  });
});

describe('in_range', () => {
  it('passes inside the definition ranges', () => {
    expect(checkInRange(win('pms5003', [pm(5), pm(998)]))).toEqual({ name: 'in_range', pass: true, detail: "2 readings inside the PMS5003's ranges" });
  });
  it('fails above the maximum, in plain words', () => {
    expect(checkInRange(win('pms5003', [pm(5), pm(1200)]))).toEqual({ name: 'in_range', pass: false, detail: "pm25_ugm3 1200 above the PMS5003's 1000 µg/m³ range" });
  });
  it('fails below the minimum', () => {
    const w = win('bme280', [{ temperature_c: 20, humidity_pct: 50, pressure_hpa: 250 }]);
    expect(checkInRange(w)).toEqual({ name: 'in_range', pass: false, detail: "pressure_hpa 250 below the BME280's 300 hPa range" });
  });
});

describe('not_stuck', () => {
  it('fails when five readings are identical in every quantity', () => {
    const w = win('pms5003', Array.from({ length: 5 }, () => pm(12)));
    expect(checkNotStuck(w)).toEqual({ name: 'not_stuck', pass: false, detail: '5 identical readings over 8 s (pm1_ugm3 3, pm25_ugm3 12, …): the part looks frozen' });
  });
  it('passes when one quantity holds still but others move', () => {
    const w = win('pms5003', [1, 2, 3, 4, 5].map((i) => pm(12, { n0_3_per_dl: 500 + i })));
    expect(checkNotStuck(w)).toEqual({ name: 'not_stuck', pass: true, detail: 'values move over 5 readings in 8 s' });
  });
  it('does not judge readings packed into less than 5 s (a fast poll repeats a sample)', () => {
    const w = { ...win('pms5003', Array.from({ length: 8 }, () => pm(12))), readings: Array.from({ length: 8 }, (_, i) => ({ time: 500 * i, values: pm(12) })) };
    expect(checkNotStuck(w)).toEqual({ name: 'not_stuck', pass: true, detail: '8 readings over 3.5 s: too few to judge (5 over 5 s needed)' });
  });
  it('does not judge fewer than five readings', () => {
    const w = win('pms5003', [pm(12), pm(12), pm(12)]);
    expect(checkNotStuck(w)).toEqual({ name: 'not_stuck', pass: true, detail: '3 readings over 4 s: too few to judge (5 over 5 s needed)' });
  });
});

describe('consistent', () => {
  it('passes without a neighbour', () => {
    const w = win('pms5003', [pm(10)]);
    expect(checkConsistent(w, [w])).toEqual({ name: 'consistent', pass: true, detail: 'no neighbour to compare with' });
  });
  it('passes two PM parts within 5 µg/m³ at low concentrations', () => {
    const a = win('pms5003', [pm(10)]);
    const b = win('pms5003t', [pm(14, { temperature_c: 20 })]);
    expect(checkConsistent(a, [a, b])).toEqual({ name: 'consistent', pass: true, detail: 'agrees: pm25_ugm3 with pms5003t' });
  });
  it('fails two PM parts further apart than 30 % of their mean', () => {
    const a = win('pms5003', [pm(100)]);
    const b = win('pms5003t', [pm(150, { temperature_c: 20 })]);
    expect(checkConsistent(a, [a, b])).toEqual({ name: 'consistent', pass: false, detail: "pm25_ugm3 100 vs pms5003t's 150: 50 µg/m³ apart, more than 37.5" });
  });
  it('compares the PMS5003T temperature with a BME280 within 2 °C', () => {
    const t = win('pms5003t', [pm(10, { temperature_c: 24.5 })]);
    const ok = win('bme280', [{ temperature_c: 23, humidity_pct: 50, pressure_hpa: 1010 }]);
    const off = win('bme280', [{ temperature_c: 21.5, humidity_pct: 50, pressure_hpa: 1010 }]);
    expect(checkConsistent(t, [t, ok])).toEqual({ name: 'consistent', pass: true, detail: 'agrees: temperature_c with bme280' });
    expect(checkConsistent(t, [t, off])).toEqual({ name: 'consistent', pass: false, detail: "temperature_c 24.5 vs bme280's 21.5: 3 °C apart, more than 2" });
  });
});

it('runChecks gives the five checks in order', () => {
  const w = win('pms5003', [1, 2, 3, 4, 5].map((i) => pm(i)));
  expect(runChecks(w, [w]).map((r) => [r.name, r.pass])).toEqual([
    ['answers', true],
    ['warmed_up', true],
    ['in_range', true],
    ['not_stuck', true],
    ['consistent', true],
  ]);
});
