// A traffic counter wired to this Pi: an Arduino running Firmata (or, on a simulated station, the Arduino
// simulator with vehicles passing its loops, over a socat pty when socat exists) and the VehicleCounter that turns
// its pin edges into counts per detector, lane and interval.
import type { Logger } from 'pino';
import type { TrafficCount } from '../contract.js';
import { FIRMATA_BAUD, openFirmataBoard, type FirmataBoard } from '../buses/firmata.js';
import { simulatedSerial, type SimulatedSerial } from '../buses/serial.js';
import { FirmataBoardSimulator } from '../sim/firmata-board.js';
import type { SatelliteBoard } from './env.js';
import { VehicleCounter } from '../drivers/vehicle-counter/counter.js';
import { parseVehicleCounterOptions, type VehicleCounterOptionsInput } from '../drivers/vehicle-counter/options.js';

export interface CounterConfig {
  id: string;
  port: string;
  counter: Omit<VehicleCounterOptionsInput, 'site'>;
}

export interface CounterDeps {
  site: string;
  simulate: boolean;
  log: Logger;
  emit(count: TrafficCount): void;
  /** The board of a satellite node the detectors share (the node's env owns and closes it). */
  board?: () => Promise<SatelliteBoard>;
}

export interface CounterHandle {
  where: string;
  close(): Promise<void>;
}

export async function startCounter(config: CounterConfig, deps: CounterDeps): Promise<CounterHandle> {
  const options = parseVehicleCounterOptions({ ...config.counter, site: deps.site }, `counters "${config.id}"`);
  let closing = false;
  // Errors from a line we are closing ourselves are the close, not a fault.
  const onError = (e: Error) => {
    if (!closing) deps.log.warn(e.message);
  };
  let line: SimulatedSerial | undefined;
  let sim: FirmataBoardSimulator | undefined;
  let board: FirmataBoard;
  let where = config.port;
  if (deps.board) {
    const shared = await deps.board();
    // On a simulated station the satellite's virtual Arduino also carries this counter's loop detectors.
    shared.simulator?.startTraffic({ pins: options.detectors.map((d) => d.pin) });
    const counter = new VehicleCounter(shared.fb.board, options, { onError });
    counter.start((count) => deps.emit(count));
    return {
      where: `satellite board (${config.id})`,
      async close() {
        closing = true;
        counter.stop();
      },
    };
  }
  try {
    if (deps.simulate) {
      line = await simulatedSerial(FIRMATA_BAUD);
      sim = new FirmataBoardSimulator(line.device).start();
      sim.startTraffic({ pins: options.detectors.map((d) => d.pin) });
      where = line.where;
      board = await openFirmataBoard({ port: line.host }, { timeoutMs: 10_000, reportVersionTimeoutMs: 200, onError });
    } else {
      board = await openFirmataBoard({ path: config.port }, { timeoutMs: 10_000, onError });
    }
  } catch (e) {
    sim?.stop();
    await line?.close();
    throw e;
  }
  const counter = new VehicleCounter(board.board, options, { onError });
  counter.start((count) => deps.emit(count));
  return {
    where,
    async close() {
      closing = true;
      counter.stop();
      sim?.stop();
      await board.close();
      await line?.close();
    },
  };
}

/**
 * Keeps a counter running: a board that is unplugged or not answering at start-up is retried with backoff (up to
 * every 5 minutes), like a sensor part, instead of stopping the station; close() ends the attempts.
 */
export function keepCounter(config: CounterConfig, deps: CounterDeps): { close(): Promise<void> } {
  let handle: CounterHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const attempt = async (n: number): Promise<void> => {
    try {
      const h = await startCounter(config, deps);
      if (closed) return void (await h.close());
      handle = h;
    } catch (e) {
      if (closed) return;
      const retryS = Math.min(300, 5 * 2 ** n);
      deps.log.error({ err: (e as Error).message, retry_in_s: retryS }, `traffic counter "${config.id}" did not start; retrying`);
      timer = setTimeout(() => void attempt(n + 1), retryS * 1000);
    }
  };
  const first = attempt(0);
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await first;
      await handle?.close();
    },
  };
}
