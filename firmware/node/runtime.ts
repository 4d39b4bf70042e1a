// The sampling runtime of one sensor node: opens each configured part through its PartModule, polls the polled
// parts on their schedule and listens to the streaming ones, stamps every sample with the time it was taken
// (never the time it arrives) and hands it on as a Reading. A part that fails to open or read is reported with
// what, where and what to do, and retried; it never stops the other parts.
import type { Logger } from 'pino';
import type { Reading } from '../contract.js';
import type { BusConfig, PartEnv, PartHandle, PartModule, PartSample } from '../drivers/types.js';

export interface NodePartConfig {
  part: string;
  bus: BusConfig;
  /** Where the part is wired, for messages ("i2c-1 0x76", "/dev/ttyAMA0"). */
  where: string;
  every_s: number;
  options: unknown;
}

export interface NodeConfig {
  site: string;
  id: string;
  clock: Reading['clock'];
  parts: NodePartConfig[];
}

export interface NodeDeps {
  log: Logger;
  modules: ReadonlyMap<string, PartModule<any>>;
  /** Bus access for this node (real or simulated); `latest` is provided by the runtime. */
  env: Omit<PartEnv, 'latest' | 'bus'>;
  emit(reading: Reading): void;
  now?: () => Date;
}

export class NodeRuntime {
  private readonly latest = new Map<string, number>();
  private readonly handles: PartHandle[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  readonly errors = new Map<string, number>();

  constructor(
    private readonly config: NodeConfig,
    private readonly deps: NodeDeps,
  ) {}

  async start(): Promise<void> {
    for (const pc of this.config.parts) await this.openPart(pc);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.handles.splice(0).map((h) => h.close().catch(() => undefined)));
  }

  private async openPart(pc: NodePartConfig, attempt = 0): Promise<void> {
    const mod = this.deps.modules.get(pc.part);
    const log = this.deps.log.child({ node: this.config.id, part: pc.part, where: pc.where });
    if (!mod) throw new Error(`node ${this.config.id}: unknown part "${pc.part}"`);
    let handle: PartHandle;
    try {
      handle = await mod.open(pc.options, { ...this.deps.env, bus: pc.bus, latest: (q) => this.latest.get(q) });
    } catch (e) {
      this.countError(pc.part);
      const retryS = Math.min(300, 5 * 2 ** attempt);
      log.error({ err: (e as Error).message, retry_in_s: retryS }, `cannot open ${pc.part} at ${pc.where}: check wiring, power and the address/path in the station config`);
      this.later(() => void this.openPart(pc, attempt + 1), retryS * 1000);
      return;
    }
    if (this.stopped) return void (await handle.close());
    this.handles.push(handle);
    const deliver = (s: PartSample) => this.deliver(pc.part, s);
    if (handle.stream) {
      handle.stream(deliver, (reason) => {
        this.countError(pc.part);
        log.warn({ reason }, 'frame refused');
      });
    }
    const read = handle.read?.bind(handle);
    if (read) {
      const poll = async () => {
        if (this.stopped) return;
        try {
          deliver(await read());
        } catch (e) {
          // A read cut short by stop() is not a fault.
          if (this.stopped) return;
          this.countError(pc.part);
          log.warn({ err: (e as Error).message }, `read failed at ${pc.where}; retrying at the next sample`);
        }
        this.later(() => void poll(), pc.every_s * 1000);
      };
      void poll();
    }
  }

  private deliver(part: string, s: PartSample): void {
    const time = (s.time ?? this.deps.now?.() ?? new Date()).toISOString();
    for (const [q, v] of Object.entries(s.values)) this.latest.set(q, v);
    const reading: Reading = { v: 1, site: this.config.site, node: this.config.id, part, time, clock: this.config.clock, values: s.values };
    if (s.flags?.length) reading.flags = s.flags;
    this.deps.emit(reading);
  }

  private later(fn: () => void, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private countError(part: string): void {
    this.errors.set(part, (this.errors.get(part) ?? 0) + 1);
  }
}
