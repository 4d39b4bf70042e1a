'use strict';
// The Reading contract (DESIGN.md §3; firmware/contract.ts ReadingSchema) checked by hand, so the package has no
// dependency. Same rules, same messages where it matters: test/unit/node-red-bands.test.ts runs both validators on
// the same payloads and expects the same verdict.

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const KEYS = new Set(['v', 'site', 'node', 'part', 'time', 'clock', 'values', 'flags']);
// Date#toISOString(): UTC, milliseconds, "Z".
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const QUANTITY = /^[a-z][a-z0-9_]*$/;

function segmentProblem(s) {
  if (typeof s !== 'string') return 'must be a string';
  if (s.length === 0) return 'must not be empty';
  if (s.length > 64) return 'must be at most 64 characters';
  if (/[+#/\u0000-\u001f\u007f]/.test(s)) return 'must not contain "+", "#", "/" or control characters';
  if (RESERVED.has(s)) return 'must not be "__proto__", "constructor" or "prototype"';
  return undefined;
}

function timeProblem(t) {
  if (typeof t !== 'string' || !ISO_MS.test(t)) return 'must be ISO 8601 UTC with milliseconds (2026-01-01T00:00:00.000Z)';
  const d = new Date(t);
  if (Number.isNaN(d.getTime()) || d.toISOString() !== t) return 'is not a real date and time';
  return undefined;
}

/** Problems of a Reading as "path: message" strings; [] when valid. */
function readingProblems(r) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return ['(root): must be a JSON object'];
  const out = [];
  for (const k of Object.keys(r)) if (!KEYS.has(k)) out.push(`(root): unknown key "${k}"`);
  if (r.v !== 1) out.push('v: must be 1');
  for (const k of ['site', 'node', 'part']) {
    const p = segmentProblem(r[k]);
    if (p) out.push(`${k}: ${p}`);
  }
  const tp = timeProblem(r.time);
  if (tp) out.push(`time: ${tp}`);
  if (!['ntp', 'rtc', 'free'].includes(r.clock)) out.push('clock: must be "ntp", "rtc" or "free"');
  const values = r.values;
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    out.push('values: must be an object of quantity → number');
  } else {
    const names = Object.keys(values);
    if (names.length === 0) out.push('values: must hold at least one quantity');
    for (const q of names) {
      if (!QUANTITY.test(q) || RESERVED.has(q)) out.push(`values.${q}: must be a snake_case quantity name`);
      else if (typeof values[q] !== 'number' || !Number.isFinite(values[q])) out.push(`values.${q}: must be a finite number`);
    }
  }
  if (r.flags !== undefined) {
    if (!Array.isArray(r.flags)) out.push('flags: must be an array of snake_case strings');
    else r.flags.forEach((f, i) => {
      if (typeof f !== 'string' || !QUANTITY.test(f)) out.push(`flags.${i}: must be a snake_case string`);
    });
  }
  return out;
}

/** msg.payload as an object: mqtt in hands over an object (auto-detect/JSON), a string or a Buffer. */
function parsePayload(payload) {
  if (Buffer.isBuffer(payload)) payload = payload.toString('utf8');
  if (typeof payload !== 'string') return { value: payload };
  try {
    return { value: JSON.parse(payload) };
  } catch (e) {
    return { error: `payload is not JSON (${e.message})` };
  }
}

/**
 * Checks that a topic airlane/v1/<site>/<node>/reading (any prefix before "/<site>/<node>/reading") names the
 * reading's own site and node: a mismatch means a misconfigured node or a forged message.
 */
function topicProblem(topic, reading) {
  if (typeof topic !== 'string' || topic === '') return undefined;
  const parts = topic.split('/');
  if (parts.length < 3 || parts[parts.length - 1] !== 'reading') return `topic "${topic}" does not end in /<site>/<node>/reading`;
  const site = parts[parts.length - 3];
  const node = parts[parts.length - 2];
  if (site !== reading.site || node !== reading.node) {
    return `topic "${topic}" names site "${site}", node "${node}" but the reading says site "${reading.site}", node "${reading.node}"`;
  }
  return undefined;
}

module.exports = { readingProblems, parsePayload, topicProblem };
