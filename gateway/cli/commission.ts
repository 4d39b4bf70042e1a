// `airlane commission --station FILE [--node N] [--by NAME] [--json]`: runs each node's parts for a short window,
// checks them (answers, warmed up, in range, not stuck, consistent with a neighbour), prints a checklist that
// fits a 40-column phone terminal, keeps the record under <data_dir>/commissioning/ and publishes it retained on
// airlane/v1/<site>/<node>/commissioning. Stop the station service first on a real pole: the serial ports are
// opened here and cannot be shared.
import { clientOptions, type MqttConnectionOptions } from '../core/mqtt-connect.js';
import { redactUrl } from '../core/redact.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadStation, ConfigError } from '../config/load.js';
import type { StationConfig } from '../config/schema.js';
import { silentLogger } from '../core/log.js';
import { partModules } from '../../firmware/drivers/index.js';
import { commissionNode, type CommissioningRecord, type CommissionDeps } from '../../firmware/installer/commission/commission.js';

export interface CommissionOptions {
  station?: string;
  node?: string;
  by?: string;
  json?: boolean;
  /** Window length; default: the node's slowest warm-up plus a few samples. */
  seconds?: number;
}

export interface CommissionIo {
  out(line: string): void;
  err(line: string): void;
}

export interface RunCommissionDeps {
  log?: Logger;
  /** Replaces the registry's parts (tests pin a part to frozen values). */
  modules?: CommissionDeps['modules'];
  /** Publishes the record; default: the mqtt package, QoS 1, retained. */
  publish?: (url: string, topic: string, payload: string) => Promise<void>;
  now?: () => number;
}

async function publishMqtt(conf: MqttConnectionOptions & { url: string }, topic: string, payload: string): Promise<void> {
  const { connectAsync } = await import('mqtt');
  // The station's credentials and TLS, as the gateway itself connects.
  const client = await connectAsync(conf.url, { ...clientOptions(conf), connectTimeout: 5000, reconnectPeriod: 0 });
  try {
    await client.publishAsync(topic, payload, { qos: 1, retain: true });
  } finally {
    await client.endAsync();
  }
}

/** The record's file name: the time with ':' and '.' made safe for every file system. */
export function recordFileName(record: CommissioningRecord): string {
  return `${record.node}-${record.time.replace(/[:.]/g, '-')}.json`;
}

/** One line per part and per check, none longer than 40 columns for a phone held on a pole. */
export function checklist(record: CommissioningRecord): string[] {
  const mark = (pass: boolean) => (pass ? '✓' : '✗');
  const fit = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const lines = [fit(`${mark(record.pass)} node ${record.node} (${record.site})`)];
  for (const [part, p] of Object.entries(record.parts)) {
    lines.push(fit(` ${mark(p.pass)} ${part}`));
    for (const r of p.results) {
      lines.push(fit(`   ${mark(r.pass)} ${r.name}`));
      // Why, on its own lines, for the checks that failed.
      if (!r.pass) for (const chunk of wrap(r.detail, 35)) lines.push(`     ${chunk}`);
    }
  }
  return lines;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
    while (line.length > width) {
      out.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) out.push(line);
  return out;
}

/** 0: every part passed; 1: a check failed (or a record could not be kept); 2: bad usage. */
export async function runCommission(opts: CommissionOptions, io: CommissionIo, deps: RunCommissionDeps = {}): Promise<number> {
  if (!opts.station) {
    io.err('commission: --station FILE is missing; give the station file of this pole, e.g. --station /etc/airlane/station.yaml');
    return 2;
  }
  if (opts.seconds !== undefined && !(opts.seconds > 0 && opts.seconds <= 3600)) {
    io.err(`commission: --seconds ${opts.seconds} is not a window length; give 1–3600 or leave it out`);
    return 2;
  }
  let station: StationConfig;
  try {
    station = loadStation(opts.station);
  } catch (e) {
    if (e instanceof ConfigError) for (const line of e.message.split('\n')) io.err(line.trim() ? `commission: ${line.trim()}` : line);
    else io.err(`commission: cannot load ${opts.station}: ${(e as Error).message}`);
    return 2;
  }
  if (opts.node !== undefined && !station.nodes.some((n) => n.id === opts.node)) {
    io.err(`commission: no node "${opts.node}" in ${opts.station}; nodes: ${station.nodes.map((n) => n.id).join(', ') || '(none)'}`);
    return 2;
  }
  const nodes = opts.node !== undefined ? [opts.node] : station.nodes.map((n) => n.id);
  if (!nodes.length) {
    io.err(`commission: ${opts.station} has no nodes to commission; add one under nodes:`);
    return 2;
  }
  const by = opts.by ?? process.env.USER ?? 'unknown';
  const dir = join(resolve(station.data_dir), 'commissioning');
  let failed = false;
  for (const nodeId of nodes) {
    let record: CommissioningRecord;
    try {
      record = await commissionNode(
        { station, nodeId, by, ...(opts.seconds !== undefined ? { seconds: opts.seconds } : {}), ...(deps.now ? { now: deps.now } : {}) },
        { log: deps.log ?? silentLogger, modules: deps.modules ?? partModules },
      );
    } catch (e) {
      io.err(`commission: node ${nodeId} could not be run: ${(e as Error).message}`);
      failed = true;
      continue;
    }
    if (!record.pass) failed = true;
    if (!opts.json) for (const line of checklist(record)) io.out(line);
    const notes: string[] = [];
    try {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, recordFileName(record));
      writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
      notes.push(`saved ${file}`);
    } catch (e) {
      io.err(`commission: cannot save the record in ${dir}: ${(e as Error).message} — check data_dir and its permissions`);
      failed = true;
    }
    const url = station.mqtt?.url;
    const topic = `airlane/v1/${record.site}/${record.node}/commissioning`;
    if (!url) notes.push('no mqtt url in the station: not published');
    else {
      try {
        const mqttConf = station.mqtt!;
        await (deps.publish ?? ((_url, t, p) => publishMqtt(mqttConf, t, p)))(url, topic, JSON.stringify(record));
        notes.push(`published ${topic}`);
      } catch (e) {
        io.err(`commission: cannot publish to ${redactUrl(url)}: ${(e as Error).message} — the record is saved; publish later or check the broker`);
      }
    }
    // --json: one line per node, the record itself (JSON lines, like `airlane decode`).
    if (opts.json) io.out(JSON.stringify(record));
    else for (const n of notes) io.out(n);
  }
  return failed ? 1 : 0;
}
