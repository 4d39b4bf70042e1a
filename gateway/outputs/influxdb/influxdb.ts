// The InfluxDB 1.x output: writes batches of Metrics with node-influx (precision ms, the metric's own
// timestamp, so a replay overwrites instead of duplicating — influxdb-mqtt.md §2) and turns every failure
// into an OutputError the outbox can act on (errors.ts).
import influx, { type IPoint } from 'influx';
import type { Logger } from 'pino';
import type { Metric } from '../../core/metric.js';
import type { Output, PluginContext } from '../../core/plugin.js';
import { classifyInfluxError, OutputError, statusOf, type RequestContext } from './errors.js';
import { resolveTarget, type InfluxOutputOptions, type InfluxTarget } from './options.js';
import { emptyCounts, toPoint, type SanitizeCounts } from './sanitize.js';

export interface InfluxOutputStats extends SanitizeCounts {
  /** Points the server stored. */
  written: number;
  /** Points the server refused (400 partial write, or a single point over max-body-size). */
  rejected: number;
  /** /write requests sent, and 413 splits among them. */
  requests: number;
  splits: number;
  /** Failed requests that kept their data (retry or config). */
  errors: number;
}

// The outbox owns retries and their backoff; node-influx's own would hide failures and, with its host
// backoff, refuse every request for up to 10 s after one error ("No host available").
const NO_BACKOFF = { getDelay: () => 0, next: () => NO_BACKOFF, reset: () => NO_BACKOFF };

interface Refused {
  dropped: number;
  reasons: string[];
}

export class InfluxDbOutput implements Output {
  readonly name = 'influxdb';
  private readonly target: InfluxTarget;
  private readonly client: influx.InfluxDB;
  private readonly log: Logger;
  private readonly counters: InfluxOutputStats = {
    ...emptyCounts(),
    written: 0,
    rejected: 0,
    requests: 0,
    splits: 0,
    errors: 0,
  };

  constructor(
    readonly options: InfluxOutputOptions,
    ctx: Pick<PluginContext, 'log'>,
  ) {
    this.target = resolveTarget(options);
    this.log = ctx.log.child({ output: this.name, url: this.target.safeUrl });
    const { protocol, host, port, database, username, password } = this.target;
    this.client = new influx.InfluxDB({
      protocol,
      host,
      port,
      database,
      ...(username !== undefined ? { username, password: password ?? '' } : {}),
      pool: { maxRetries: 0, requestTimeout: options.timeout_ms, backoff: NO_BACKOFF },
    });
  }

  /** Server URL (no password) and database, for status pages and messages. */
  get where(): string {
    return this.target.safeUrl;
  }

  stats(): InfluxOutputStats {
    return { ...this.counters };
  }

  /** Checks the server answers and the database exists (creating it when allowed). Rejects with an OutputError. */
  async start(): Promise<void> {
    const [ping] = await this.client.ping(this.options.timeout_ms);
    if (!ping?.online) {
      const status = ping?.res?.statusCode;
      throw new OutputError(
        'retry',
        `InfluxDB at ${this.where} did not answer /ping${status ? ` (HTTP ${status})` : ` within ${this.options.timeout_ms} ms`}. ` +
          'Is influxd running, and are host and port in the url right? Data is kept and sent once it answers.',
        { output: this.name, where: this.where, ...(status ? { status } : {}) },
      );
    }
    await this.ensureDatabase();
  }

  private context(operation: string, points: number): RequestContext {
    const ctx: RequestContext = { output: this.name, where: this.where, database: this.target.database, operation, points };
    if (this.target.username !== undefined) ctx.username = this.target.username;
    return ctx;
  }

  private async ensureDatabase(): Promise<void> {
    const { database } = this.target;
    if (this.options.create_database) {
      // Idempotent in InfluxDB 1.x: succeeds when the database exists already.
      await this.client.createDatabase(database).catch((e: unknown) => {
        throw classifyInfluxError(e, this.context('CREATE DATABASE', 0));
      });
    } else {
      const names = await this.client.getDatabaseNames().catch((e: unknown) => {
        throw classifyInfluxError(e, this.context('SHOW DATABASES', 0));
      });
      if (!names.includes(database)) {
        throw new OutputError(
          'config',
          `InfluxDB at ${this.where}: database "${database}" does not exist and create_database is false. ` +
            `Create it (CREATE DATABASE "${database}") or set create_database: true.`,
          { output: this.name, where: this.where, status: 404 },
        );
      }
    }
  }

  /**
   * Resolves when every point is stored. Rejects with an OutputError: 'retry'/'config' keep the batch (a later
   * resend is harmless: same series and timestamps overwrite); 'partial' means everything valid is stored and
   * `info.dropped` points were refused for good.
   */
  async write(batch: Metric[]): Promise<void> {
    const local = emptyCounts();
    const points: IPoint[] = [];
    for (const metric of batch) {
      const point = toPoint(metric, local);
      if (point) points.push(point);
    }
    this.addLocal(local);
    if (local.droppedPoints + local.droppedFields + local.droppedTags > 0) {
      this.log.warn({ ...local, batch: batch.length }, 'dropped invalid values before writing (see counts)');
    }
    const refused: Refused = { dropped: 0, reasons: [] };
    for (let i = 0; i < points.length; i += this.options.batch_size) {
      await this.send(points.slice(i, i + this.options.batch_size), refused);
    }
    if (refused.dropped > 0) {
      const reasons = [...new Set(refused.reasons)].join('; ');
      const written = points.length - refused.dropped;
      const message =
        `InfluxDB at ${this.where} stored ${written} of ${points.length} points and refused ${refused.dropped}: ${reasons}. ` +
        'The refused points are invalid as they are and are not sent again.';
      this.log.warn({ dropped: refused.dropped, written, reason: reasons }, 'InfluxDB refused points');
      throw new OutputError('partial', message, {
        output: this.name,
        where: this.where,
        status: 400,
        dropped: refused.dropped,
        written,
        reason: reasons,
      });
    }
  }

  private async send(points: IPoint[], refused: Refused, createdNow = false): Promise<void> {
    if (points.length === 0) return;
    this.counters.requests++;
    try {
      await this.client.writePoints(points, { precision: 'ms' });
      this.counters.written += points.length;
      return;
    } catch (e) {
      const status = statusOf(e);
      if (status === 413 && points.length > 1) {
        // Body over the server's max-body-size: halves until each fits (Telegraf outputs.influxdb_v2 does the same).
        this.counters.splits++;
        const half = Math.ceil(points.length / 2);
        await this.send(points.slice(0, half), refused);
        await this.send(points.slice(half), refused);
        return;
      }
      if (status === 413) {
        this.counters.rejected++;
        refused.dropped++;
        refused.reasons.push('a single point is larger than the server max-body-size (413)');
        return;
      }
      if (status === 404 && this.options.create_database && !createdNow) {
        // The database went missing (dropped while we run, or start() never got through): create it once, resend.
        await this.ensureDatabase().catch((err: unknown) => {
          this.counters.errors++;
          throw err;
        });
        return this.send(points, refused, true);
      }
      const error = classifyInfluxError(e, this.context('write', points.length));
      if (error.kind === 'partial') {
        const dropped = error.info.dropped ?? 0;
        this.counters.written += points.length - dropped;
        this.counters.rejected += dropped;
        refused.dropped += dropped;
        if (error.info.reason) refused.reasons.push(error.info.reason);
        return;
      }
      this.counters.errors++;
      throw error;
    }
  }

  private addLocal(c: SanitizeCounts): void {
    this.counters.droppedPoints += c.droppedPoints;
    this.counters.droppedFields += c.droppedFields;
    this.counters.droppedTags += c.droppedTags;
    this.counters.changedTags += c.changedTags;
  }

  async stop(): Promise<void> {
    // Nothing to close: node-influx keeps no connection or timer of its own (and NO_BACKOFF sets none).
  }
}
