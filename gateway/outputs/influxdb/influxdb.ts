// The InfluxDB 1.x output: writes batches of Metrics with node-influx (precision ms, the metric's own
// timestamp, so a replay overwrites instead of duplicating — influxdb-mqtt.md §2) and turns every failure
// into an OutputError the outbox can act on (errors.ts). On a 400 it finds exactly which points were refused
// (bisect.ts) and names them in the error, so the pipeline can move them to its dead-letter table.
import influx, { type IPoint } from 'influx';
import type { Logger } from 'pino';
import type { Metric } from '../../core/metric.js';
import type { Output, PluginContext } from '../../core/plugin.js';
import { isolateRefused, type Refusal } from './bisect.js';
import { classifyInfluxError, isServerError, OutputError, parseRefusal, statusOf, type RequestContext } from './errors.js';
import { resolveTarget, type InfluxOutputOptions, type InfluxTarget } from './options.js';
import { convert, emptyCounts, type SanitizeCounts } from './sanitize.js';

export interface InfluxOutputStats extends SanitizeCounts {
  /** Points the server stored. */
  written: number;
  /** Points the server refused (400, or a single point over max-body-size). */
  rejected: number;
  /** /write requests sent, and 413 splits among them. */
  requests: number;
  splits: number;
  /** Requests (among `requests`) spent finding which points of a refused request were the bad ones. */
  bisectRequests: number;
  /** Failed requests that kept their data (retry or config). */
  errors: number;
}

// The outbox owns retries and their backoff; node-influx's own would hide failures and, with its host
// backoff, refuse every request for up to 10 s after one error ("No host available").
const NO_BACKOFF = { getDelay: () => 0, next: () => NO_BACKOFF, reset: () => NO_BACKOFF };

/** A point and where it came from in the batch given to write(). */
interface Entry {
  index: number;
  point: IPoint;
}

type Rejected = Array<{ index: number; reason: string }>;

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
    bisectRequests: 0,
    errors: 0,
  };
  /** Warned once per run that an existing retention policy differs from the options. */
  private policyWarned = false;

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
    const rp = this.options.retention_policy;
    if (this.options.create_database) {
      // Idempotent in InfluxDB 1.x: succeeds when the database exists already.
      await this.client.createDatabase(database).catch((e: unknown) => {
        throw classifyInfluxError(e, this.context('CREATE DATABASE', 0));
      });
      if (rp) await this.ensureRetentionPolicy();
      return;
    }
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
    if (rp && !(await this.policyNames()).includes(rp.name)) {
      throw new OutputError(
        'config',
        `InfluxDB at ${this.where}: retention policy "${rp.name}" does not exist on database "${database}" and create_database is false. ` +
          `Create it (${this.policyStatement()}) or set create_database: true.`,
        { output: this.name, where: this.where, reason: `retention policy not found: ${rp.name}` },
      );
    }
  }

  private policyStatement(): string {
    const rp = this.options.retention_policy;
    if (!rp) return '';
    return `CREATE RETENTION POLICY "${rp.name}" ON "${this.target.database}" DURATION ${rp.duration} REPLICATION ${rp.replication}${rp.default ? ' DEFAULT' : ''}`;
  }

  private async policyNames(): Promise<string[]> {
    const rows = await this.client.showRetentionPolicies(this.target.database).catch((e: unknown) => {
      throw classifyInfluxError(e, this.context('SHOW RETENTION POLICIES', 0));
    });
    return rows.map((r) => r.name);
  }

  /**
   * CREATE RETENTION POLICY … (InfluxQL "Database management", docs.influxdata.com/influxdb/v1/query_language/
   * manage-database/): a no-op when the same policy exists. A policy of that name with other settings is kept
   * as it is, with a warning: altering it from here could shorten its duration and delete data.
   */
  private async ensureRetentionPolicy(): Promise<void> {
    const rp = this.options.retention_policy;
    if (!rp) return;
    const { database } = this.target;
    try {
      await this.client.createRetentionPolicy(rp.name, {
        database,
        duration: rp.duration,
        replication: rp.replication,
        isDefault: rp.default,
      });
    } catch (e) {
      const error = classifyInfluxError(e, this.context('CREATE RETENTION POLICY', 0));
      const exists = /already exists|conflicts with an existing policy/.test(error.info.reason ?? '');
      if (!exists || !(await this.policyNames()).includes(rp.name)) throw error;
      if (!this.policyWarned) {
        this.policyWarned = true;
        this.log.warn(
          { retention_policy: rp.name, database, reason: error.info.reason },
          `retention policy "${rp.name}" exists with other settings than the options; it is used as it is. ` +
            `To change it, run ALTER RETENTION POLICY "${rp.name}" ON "${database}" … yourself (a shorter duration deletes data).`,
        );
      }
    }
  }

  /**
   * Resolves when every point is stored. Rejects with an OutputError: 'retry'/'config' keep the batch (a later
   * resend is harmless: same series and timestamps overwrite); 'partial' means everything else is stored and
   * `info.rejected` lists the metrics (indices into `batch`) that never can be as they are, with the reason.
   */
  async write(batch: Metric[]): Promise<void> {
    const local = emptyCounts();
    const entries: Entry[] = [];
    const rejected: Rejected = [];
    batch.forEach((metric, index) => {
      const r = convert(metric, local);
      if ('point' in r) entries.push({ index, point: r.point });
      else rejected.push({ index, reason: r.reason });
    });
    this.addLocal(local);
    if (local.droppedPoints + local.droppedFields + local.droppedTags > 0) {
      this.log.warn({ ...local, batch: batch.length }, 'dropped invalid values before writing (see counts)');
    }
    for (let i = 0; i < entries.length; i += this.options.batch_size) {
      await this.deliver(entries.slice(i, i + this.options.batch_size), rejected);
    }
    if (rejected.length > 0) {
      rejected.sort((a, b) => a.index - b.index);
      const reasons = [...new Set(rejected.map((r) => r.reason))];
      const reason = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? `; and ${reasons.length - 3} other reasons` : '');
      const written = batch.length - rejected.length;
      const message =
        `InfluxDB at ${this.where} stored ${written} of ${batch.length} points; ${rejected.length} cannot be stored as they are: ${reason}. ` +
        'They are not sent again (info.rejected lists them).';
      this.log.warn({ dropped: rejected.length, written, reason }, 'points refused');
      throw new OutputError('partial', message, {
        output: this.name,
        where: this.where,
        status: 400,
        dropped: rejected.length,
        written,
        rejected,
        reason,
      });
    }
  }

  private async post(entries: readonly Entry[]): Promise<void> {
    const rp = this.options.retention_policy;
    await this.client.writePoints(
      entries.map((e) => e.point),
      rp ? { precision: 'ms', retentionPolicy: rp.name } : { precision: 'ms' },
    );
  }

  private async deliver(entries: Entry[], rejected: Rejected, recreated = false): Promise<void> {
    if (entries.length === 0) return;
    this.counters.requests++;
    try {
      await this.post(entries);
      this.counters.written += entries.length;
      return;
    } catch (e) {
      const status = statusOf(e);
      if (status === 413 && entries.length > 1) {
        // Body over the server's max-body-size: halves until each fits (Telegraf outputs.influxdb_v2 does the same).
        this.counters.splits++;
        const half = Math.ceil(entries.length / 2);
        await this.deliver(entries.slice(0, half), rejected);
        await this.deliver(entries.slice(half), rejected);
        return;
      }
      if (status === 413 && entries[0]) {
        this.counters.rejected++;
        rejected.push({ index: entries[0].index, reason: 'a single point is larger than the server max-body-size (413)' });
        return;
      }
      // The database went missing (dropped while we run, or start() never got through): create it once, resend.
      // A missing retention policy is a 500 whose body node-influx drops, so a 5xx gets the same one repair.
      const repairable = status === 404 || (isServerError(e) && this.options.retention_policy !== undefined);
      if (repairable && this.options.create_database && !recreated) {
        await this.ensureDatabase().catch((err: unknown) => {
          this.counters.errors++;
          throw err;
        });
        return this.deliver(entries, rejected, true);
      }
      const error = classifyInfluxError(e, this.context('write', entries.length));
      if (error.kind === 'partial') return this.isolate(entries, parseRefusal(error.info.reason ?? '', entries.length), rejected);
      this.counters.errors++;
      throw error;
    }
  }

  /** `entries` were refused as one request: find which, by sending strict subsets (bisect.ts). */
  private async isolate(entries: Entry[], refusal: Refusal, rejected: Rejected): Promise<void> {
    const result = await isolateRefused(entries, refusal, async (group) => {
      this.counters.requests++;
      this.counters.bisectRequests++;
      try {
        await this.post(group);
        return undefined;
      } catch (e) {
        const error = classifyInfluxError(e, this.context('write', group.length));
        if (error.kind === 'partial') return parseRefusal(error.info.reason ?? '', group.length);
        this.counters.errors++;
        throw error;
      }
    });
    for (const { item, reason } of result.refused) rejected.push({ index: item.index, reason });
    this.counters.rejected += result.refused.length;
    this.counters.written += entries.length - result.refused.length;
    if (result.exhausted) {
      this.log.warn(
        { points: entries.length, requests: result.requests, refused: result.refused.length },
        'gave up isolating refused points; the rest of the refused requests is reported refused as a whole',
      );
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
