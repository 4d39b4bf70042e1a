// `airlane probe`: what is wired to this Pi. Every candidate serial port is asked, protocol by protocol, whether a
// PMS5003-family sensor, an SDS011, an SPS30 or a Firmata board answers; every I2C bus asked for is scanned at the
// addresses Airlane's parts use. People get two short tables, --json one object {serial, i2c}. Finding nothing
// is an answer (exit 0); only a probe that itself broke exits 1.
import { identifySerialPort, type IdentifyOptions, type SerialProbeResult } from '../../firmware/installer/probe/identify-serial.js';
import { listCandidatePorts, type CandidatePort } from '../../firmware/installer/probe/ports.js';
import { probeLinuxI2cBus, type I2cBusProbe } from '../../firmware/installer/probe/scan-i2c.js';
import { UsageError } from './decode.js';

export interface ProbeOptions {
  json?: boolean;
  /** Ports to probe instead of the discovered ones (repeatable --port). */
  ports?: string[];
  /** I2C bus numbers to scan (repeatable --i2c-bus; default 1, the Pi's GPIO2/3 bus). */
  i2cBuses?: Array<number | string>;
}

export interface ProbeIo {
  out(line: string): void;
  err(line: string): void;
}

/** Seams for tests; production code passes nothing. */
export interface ProbeDeps {
  listPorts?: () => Promise<CandidatePort[]>;
  identify?: (port: CandidatePort) => Promise<SerialProbeResult>;
  probeI2c?: (bus: number) => Promise<I2cBusProbe>;
  identifyOptions?: IdentifyOptions;
}

export type I2cJsonEntry =
  | { bus: number; address: string; candidates: string[]; confirmed: boolean; detail: Record<string, string | number> }
  | { bus: number; error: string };

export interface ProbeReport {
  serial: SerialProbeResult[];
  i2c: I2cJsonEntry[];
}

export const DEFAULT_I2C_BUSES: readonly number[] = [1];

function parseBus(v: number | string): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--i2c-bus "${v}" is not a bus number; give a whole number such as 1 (/dev/i2c-1)`);
  return n;
}

export async function collectProbe(options: ProbeOptions, deps: ProbeDeps = {}): Promise<ProbeReport> {
  const buses = (options.i2cBuses?.length ? options.i2cBuses : DEFAULT_I2C_BUSES).map(parseBus);
  const ports: CandidatePort[] = options.ports?.length ? options.ports.map((path) => ({ path })) : await (deps.listPorts ?? listCandidatePorts)();
  const identify = deps.identify ?? ((p: CandidatePort) => identifySerialPort(p.path, deps.identifyOptions, p.by_id));
  const probeI2c = deps.probeI2c ?? ((n: number) => probeLinuxI2cBus(n));
  // Ports are independent lines: probe them side by side (each one tries its protocols in turn).
  const [serial, i2cBuses] = await Promise.all([Promise.all(ports.map((p) => identify(p))), Promise.all([...new Set(buses)].map((n) => probeI2c(n)))]);
  const i2c: I2cJsonEntry[] = [];
  for (const b of i2cBuses) {
    if (b.error) i2c.push({ bus: b.bus, error: b.error });
    for (const f of b.found) i2c.push(f);
  }
  return { serial, i2c };
}

const detailText = (d: Record<string, string | number>): string =>
  Object.entries(d)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatReport(report: ProbeReport): string[] {
  const lines: string[] = [];
  const serialRows = report.serial.map((s) => [
    s.by_id ? `${s.path} (${s.by_id})` : s.path,
    s.error ? 'error' : s.found ? `${s.found} @ ${s.baud}` : '-',
    s.error ?? (s.found ? detailText(s.detail) : 'nothing answered (PMS5003, SDS011, SPS30, Firmata tried)'),
  ]);
  lines.push(...table(['PORT', 'FOUND', 'DETAIL'], serialRows));
  if (!serialRows.length) lines.push('(no serial ports found: nothing on /dev/ttyUSB*, ttyACM*, ttyAMA*, serial0)');
  lines.push('');
  const i2cRows = report.i2c.map((e) =>
    'error' in e ? [String(e.bus), '-', e.error] : [String(e.bus), e.address, `${e.candidates.join(' or ')}${e.confirmed ? '' : ' (unconfirmed)'}${Object.keys(e.detail).length ? ` ${detailText(e.detail)}` : ''}`],
  );
  lines.push(...table(['I2C BUS', 'ADDRESS', 'CANDIDATES'], i2cRows));
  if (!i2cRows.length) lines.push('(no device answered at the known I2C addresses)');
  return lines;
}

/** Exit code: 0 = probed (whatever was found), 1 = probing itself failed, 2 = bad options. */
export async function runProbe(options: ProbeOptions, io: ProbeIo, deps: ProbeDeps = {}): Promise<number> {
  let report: ProbeReport;
  try {
    report = await collectProbe(options, deps);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`airlane probe: ${e.message}`);
      return 2;
    }
    io.err(`airlane probe: probing failed: ${(e as Error).message}`);
    return 1;
  }
  if (options.json) io.out(JSON.stringify(report));
  else for (const l of formatReport(report)) io.out(l);
  return 0;
}
