// Which known device answers on one serial port. Each protocol is tried at its own baud rate, one after the
// other on a single open (changing the baud rate instead of reopening: reopening an Arduino's port resets it),
// and the first one that produces a checksum-valid frame wins. Commands sent are read-only queries: a PMS
// passive read, an SDS011 query/firmware request, an SPS30 device-information request, a Firmata version query.
import type { SerialPort } from 'serialport';
import { closeSerialPort, openSerialPort } from '../../buses/serial.js';
import { frameStatus, hex as pmsHex, PmsScanner, pmsCommand, PMS_LEN_DATA } from '../../drivers/pms5003/index.js';
import { decodeData, decodeReply, formatDeviceId, hex as sdsHex, SdsScanner, sdsCommands } from '../../drivers/sds011/index.js';
import { asciiz, CMD, hex as spsHex, INFO_PRODUCT_TYPE, mosi, ShdlcScanner, stateErrorCode, SPS30_ADDRESS } from '../../drivers/sps30/index.js';
import { FIRMATA_QUERY, FirmataReplyScanner } from './firmata-reply.js';

export type FoundDevice = 'pms5003' | 'sds011' | 'sps30' | 'firmata';

export interface SerialProbeResult {
  path: string;
  by_id?: string;
  found: FoundDevice | null;
  /** What the device said about itself, e.g. {firmware, version} for Firmata, {device_id} for an SDS011. */
  detail: Record<string, string | number>;
  /** The baud rate it answered at (absent when nothing answered). */
  baud?: number;
  /** The bytes that identified it (hex, at most one frame). */
  evidence?: string;
  /** Why the port could not be probed (busy, no permission…). */
  error?: string;
}

/** The byte stream of an open port, as much of it as probing needs. */
export interface ProbeLink {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  write(chunk: Buffer): unknown;
  setBaud(baud: number): Promise<void>;
  close(): Promise<void>;
}

export interface IdentifyOptions {
  /** Multiplies every wait (default 1). Tests with in-process simulators use less. */
  timeScale?: number;
  /** Opens a port; default: serialport through openSerialPort(). */
  open?: (path: string, baud: number) => Promise<ProbeLink>;
}

export async function openProbeLink(path: string, baud: number): Promise<ProbeLink> {
  const port: SerialPort = await openSerialPort(path, baud);
  return {
    on: (e, l) => port.on(e, l),
    off: (e, l) => port.off(e, l),
    write: (c) => port.write(c),
    async setBaud(b) {
      await new Promise<void>((resolve, reject) => port.update({ baudRate: b }, (e) => (e ? reject(e) : resolve())));
      // What arrived at the old rate is noise at the new one.
      await new Promise<void>((resolve) => port.flush(() => resolve()));
    },
    close: () => closeSerialPort(port),
  };
}

interface Hit {
  detail: Record<string, string | number>;
  evidence: string;
}

interface Attempt {
  found: FoundDevice;
  baud: number;
  /** Total time to wait for an answer, ms. */
  timeoutMs: number;
  /** Bytes to send, each at an offset (ms) from the start of the attempt. */
  sends: Array<{ atMs: number; bytes: Buffer }>;
  /**
   * Watches the bytes; calls `hit` once the device is identified (possibly `final: false`, to keep listening a
   * little for more detail) and returns what to report at the timeout if nothing final came.
   */
  watch(hit: (h: Hit, final?: boolean) => void, write: (b: Buffer) => void): { push(chunk: Buffer): void; atTimeout(): Hit | null };
}

/** PMS5003 family (PMS5003 manual V2.3 §Appendix I): active mode sends a frame every 2.3 s; passive answers a read. */
const pmsAttempt: Attempt = {
  found: 'pms5003',
  baud: 9600,
  timeoutMs: 2600,
  sends: [{ atMs: 1000, bytes: pmsCommand('read') }],
  watch(hit) {
    const scanner = new PmsScanner({
      frame(buf, start, length) {
        const detail: Record<string, string | number> = { frame_bytes: length };
        const status = frameStatus(buf, start, length);
        if (status) detail.version = status.version;
        // A 20-data-byte frame is the PMS1003–3003 layout (protocols.md §1).
        if (length !== PMS_LEN_DATA + 4) detail.note = 'short frame: an older PMS1003–3003 layout';
        hit({ detail, evidence: pmsHex(buf, start, start + length) });
      },
      ack: () => undefined,
      error: () => undefined,
    });
    return { push: (c) => scanner.push(c), atTimeout: () => null };
  },
};

/** SDS011 (Laser Dust Sensor Control Protocol V1.3): active mode sends `AA C0` every second; query mode answers. */
const sdsAttempt: Attempt = {
  found: 'sds011',
  baud: 9600,
  timeoutMs: 2400,
  sends: [{ atMs: 1200, bytes: Buffer.concat([sdsCommands.queryData(), sdsCommands.firmwareVersion()]) }],
  watch(hit, write) {
    let best: Hit | null = null;
    const scanner = new SdsScanner({
      frame(buf, start) {
        const { deviceId } = decodeData(buf, start);
        best ??= { detail: {}, evidence: sdsHex(buf, start, start + 10) };
        best.detail.device_id = formatDeviceId(deviceId);
        finishIfComplete();
      },
      reply(buf, start) {
        const r = decodeReply(buf, start);
        best ??= { detail: {}, evidence: sdsHex(buf, start, start + 10) };
        best.detail.device_id = formatDeviceId(r.deviceId);
        if (r.command === 'firmware_version') {
          best.detail.firmware = `${r.year}-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`;
        }
        finishIfComplete();
      },
      error: () => undefined,
    });
    let askedFirmware = false;
    const finishIfComplete = () => {
      if (!best) return;
      if (best.detail.firmware !== undefined) return hit(best, true);
      hit(best, false);
      // A data frame came first: ask for the firmware date too (a sensor in active mode answers it as well).
      if (!askedFirmware) {
        askedFirmware = true;
        write(sdsCommands.firmwareVersion());
      }
    };
    return { push: (c) => scanner.push(c), atTimeout: () => best };
  },
};

/** SPS30 UART (SHDLC, datasheet v1.0 §5): device information, product type — "00080000". */
const sps30Attempt: Attempt = {
  found: 'sps30',
  baud: 115200,
  timeoutMs: 1500,
  sends: [
    { atMs: 0, bytes: mosi.deviceInfo(INFO_PRODUCT_TYPE) },
    { atMs: 700, bytes: mosi.deviceInfo(INFO_PRODUCT_TYPE) },
  ],
  watch(hit) {
    let any: Hit | null = null;
    const scanner = new ShdlcScanner('miso', {
      frame(f) {
        if (f.address !== SPS30_ADDRESS) return;
        const h: Hit = { detail: {}, evidence: spsHex(f.raw) };
        if (f.command === CMD.deviceInfo && stateErrorCode(f.state ?? 0) === 0) {
          h.detail.product_type = asciiz(f.data);
          hit(h, true);
        } else any ??= h;
      },
      error: () => undefined,
    });
    return { push: (c) => scanner.push(c), atTimeout: () => any };
  },
};

/** Firmata (protocol.md): REPORT_VERSION and the firmware query; a board also announces both after a reset. */
function firmataAttempt(baud: number, timeoutMs: number): Attempt {
  return {
    found: 'firmata',
    baud,
    timeoutMs,
    sends: [
      { atMs: 0, bytes: FIRMATA_QUERY },
      // An Uno resets when its port opens; the bootloader ignores the first query.
      { atMs: Math.round(timeoutMs / 2), bytes: FIRMATA_QUERY },
    ],
    watch(hit) {
      const raw: number[] = [];
      const toHit = (): Hit => {
        const id = scanner.identity;
        const detail: Record<string, string | number> = {};
        if (id.firmware !== undefined) detail.firmware = id.firmware;
        if (id.version !== undefined) detail.version = id.version;
        if (id.protocol !== undefined) detail.protocol = id.protocol;
        return { detail, evidence: Buffer.from(raw.slice(0, 64)).toString('hex').replace(/(..)(?!$)/g, '$1 ') };
      };
      const scanner = new FirmataReplyScanner((id) => hit(toHit(), id.firmware !== undefined));
      return {
        push(c) {
          if (raw.length < 64) raw.push(...c.subarray(0, 64 - raw.length));
          scanner.push(c);
        },
        atTimeout: () => (scanner.identity.protocol !== undefined || scanner.identity.firmware !== undefined ? toHit() : null),
      };
    },
  };
}

export const ATTEMPTS: readonly Attempt[] = [pmsAttempt, sdsAttempt, sps30Attempt, firmataAttempt(57600, 3000), firmataAttempt(115200, 2000)];

async function runAttempt(link: ProbeLink, attempt: Attempt, scale: number): Promise<Hit | null> {
  return new Promise<Hit | null>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let done = false;
    const finish = (h: Hit | null) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      link.off('data', onData);
      resolve(h);
    };
    // A hit that is not final still waits (at most this long) for the detail that completes it.
    let graceTimer: NodeJS.Timeout | undefined;
    const watcher = attempt.watch((h, final = true) => {
      if (final) return finish(h);
      if (!graceTimer) {
        graceTimer = setTimeout(() => finish(watcher.atTimeout() ?? h), 800 * scale);
        timers.push(graceTimer);
      }
    }, (b) => !done && link.write(b));
    const onData = (chunk: Buffer) => watcher.push(chunk);
    link.on('data', onData);
    for (const s of attempt.sends) {
      if (s.atMs === 0) link.write(s.bytes);
      else timers.push(setTimeout(() => !done && link.write(s.bytes), s.atMs * scale));
    }
    timers.push(setTimeout(() => finish(watcher.atTimeout()), attempt.timeoutMs * scale));
  });
}

/** Tries every known protocol on `path`; never rejects (a port that cannot be opened is reported in `error`). */
export async function identifySerialPort(path: string, options: IdentifyOptions = {}, byId?: string): Promise<SerialProbeResult> {
  const scale = options.timeScale ?? 1;
  const open = options.open ?? openProbeLink;
  const base: SerialProbeResult = { path, ...(byId ? { by_id: byId } : {}), found: null, detail: {} };
  let link: ProbeLink;
  const first = ATTEMPTS[0] as Attempt;
  try {
    link = await open(path, first.baud);
  } catch (e) {
    return { ...base, error: (e as Error).message };
  }
  try {
    let baud = first.baud;
    for (const attempt of ATTEMPTS) {
      if (attempt.baud !== baud) {
        await link.setBaud(attempt.baud);
        baud = attempt.baud;
      }
      const hit = await runAttempt(link, attempt, scale);
      if (hit) return { ...base, found: attempt.found, detail: hit.detail, baud: attempt.baud, evidence: hit.evidence };
    }
    return base;
  } catch (e) {
    return { ...base, error: (e as Error).message };
  } finally {
    await link.close().catch(() => undefined);
  }
}
