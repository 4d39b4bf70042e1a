// Assembles one station from its validated config: the broker (embedded unless one is named), the pipeline with
// its outbox, outputs, inputs and the air/traffic window, the sensor nodes and traffic counters wired to this
// Pi (or their simulators), and the local HTTP API and page. stop() takes it all down in the reverse order.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { stationMqttOptions, type StationConfig } from './config/schema.js';
import { Pipeline, type OutputSlot } from './core/pipeline.js';
import type { Input } from './core/plugin.js';
import { LocalInput } from './inputs/local/local.js';
import { MqttInput } from './inputs/mqtt/mqtt.js';
import { mqttInputOptions } from './inputs/mqtt/options.js';
import { LatestStore } from './outputs/latest/latest.js';
import { MqttOutput } from './outputs/mqtt/mqtt.js';
import { InfluxDbOutput } from './outputs/influxdb/index.js';
import { WindowsAggregator } from './aggregators/windows/windows.js';
import { CorrectProcessor } from './processors/correct/index.js';
import { QcProcessor } from './processors/qc/index.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded.js';
import { startHttp, type HttpHandle } from './http/server.js';
import { commissioningByNode } from './http/installer-page.js';
import { partHealth } from './http/part-health.js';
import { createHistory } from './http/history.js';
import { SelfInput } from './inputs/self/self.js';
import type { GatewayHealth } from './core/health.js';
import { NodeRuntime, type PartStatus } from '../firmware/node/runtime.js';
import { partModules } from '../firmware/drivers/index.js';
import { describeBus, nodeEnv, type NodeEnv } from '../firmware/node/env.js';
import { keepCounter } from '../firmware/node/counter.js';

export interface Station {
  pipeline: Pipeline;
  latest: LatestStore;
  local: LocalInput;
  mqttUrl: string;
  httpUrl: string;
  influxUrl?: string;
  /** Per-node, per-part status, as /api/v1/status serves it. */
  statusSnapshot(): { site: string; nodes: Record<string, unknown> };
  stop(): Promise<void>;
}

export async function startStation(config: StationConfig, log: Logger): Promise<Station> {
  const dataDir = resolve(config.data_dir);
  mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let broker: EmbeddedBroker | undefined;
    let mqttUrl = config.mqtt?.url;
    if (!mqttUrl) {
      broker = await startEmbeddedBroker(config.embedded_broker_port, log);
      cleanups.push(() => broker!.close());
      mqttUrl = broker.url;
    }
    // Without a configured broker: the embedded one, with the same defaults a configured one gets.
    const mqttConf = config.mqtt ?? stationMqttOptions.parse({ url: mqttUrl });

    const latest = new LatestStore();
    const outputs: OutputSlot[] = [{ output: latest, durable: false, batchSize: 1, flushIntervalMs: 0 }];
    if (config.influxdb) {
      outputs.push({
        output: new InfluxDbOutput(config.influxdb, { log: log.child({ output: 'influxdb' }) }),
        durable: true,
        batchSize: config.influxdb.batch_size,
        flushIntervalMs: config.influxdb.flush_interval_ms,
      });
    }
    const mqttOut = new MqttOutput({ ...mqttConf, url: mqttUrl, gateway: config.gateway, client_id: `${mqttConf.client_id}-${config.site}-${config.gateway}` }, config.site, log.child({ output: 'mqtt' }));
    outputs.push({ output: mqttOut, durable: true, batchSize: mqttConf.batch_size, flushIntervalMs: mqttConf.flush_interval_ms });
    const nodeStatus = new Map<string, Record<string, PartStatus>>();
    const statusSnapshot = () => ({ site: config.site, nodes: Object.fromEntries(nodeStatus) as Record<string, unknown> });

    const startedMs = Date.now();
    // Filled in once the pipeline exists; the self input and the HTTP API only call it after start.
    let pipelineRef: Pipeline | undefined;
    const health = (): GatewayHealth => ({
      site: config.site,
      gateway: config.gateway,
      started_ms: startedMs,
      ...pipelineRef!.health(),
      parts: partHealth(config.site, Object.fromEntries(nodeStatus)),
    });

    const localNodes = new Set(config.nodes.map((n) => n.id));
    const localDetectors = new Set(config.counters.flatMap((c) => c.counter.detectors.map((d) => d.detector)));
    const local = new LocalInput();
    const inputs: Input[] = [local, new SelfInput(config.self_report, { health, log })];
    if (mqttConf.subscribe) {
      inputs.push(
        new MqttInput(
          mqttInputOptions.parse({
            url: mqttUrl,
            client_id: `airlane-in-${config.site}-${config.gateway}`,
            require_commissioning: mqttConf.require_commissioning,
            // The same credentials and TLS as the output (absent for the embedded broker).
            ...pickDefined(mqttConf, ['username', 'password', 'password_file', 'tls', 'shared_group']),
          }),
          {
          log: log.child({ input: 'mqtt' }),
          isLocal: (kind, site, id) => site === config.site && (kind === 'reading' ? localNodes.has(id) : localDetectors.has(id)),
        }),
      );
    }

    const windows = new WindowsAggregator(config.windows, { file: join(dataDir, 'windows.sqlite'), log: log.child({ aggregator: 'windows' }) });
    // Before the pipeline's own cleanup: cleanups run in reverse, so the windows close after the pipeline stopped.
    cleanups.push(async () => windows.close());
    const correct = new CorrectProcessor(
      config.nodes.flatMap((n) => n.parts.filter((p) => p.corrections).map((p) => ({ site: config.site, node: n.id, part: p.part, corrections: p.corrections! }))),
      log.child({ processor: 'correct' }),
    );
    const pipeline = new Pipeline({
      log,
      outboxFile: join(dataDir, 'outbox.sqlite'),
      outbox: config.outbox,
      inputs,
      processors: [correct, new QcProcessor(config.qc, { modules: partModules })],
      aggregators: [windows],
      outputs,
    });
    pipelineRef = pipeline;
    // Registered first: a start that fails half-way (a broker refusing the subscription) is undone too.
    cleanups.push(() => pipeline.stop());
    await pipeline.start();

    const runtimes: NodeRuntime[] = [];
    const envs = new Map<string, NodeEnv>();
    for (const node of config.nodes) {
      const env = nodeEnv({ simulate: config.simulate, log: log.child({ node: node.id }), board: node.board });
      envs.set(node.id, env);
      const rt = new NodeRuntime(
        {
          site: config.site,
          id: node.id,
          clock: config.clock,
          parts: node.parts.map((p) => ({
            part: p.part,
            bus: p.bus,
            where: describeBus(p.bus, node.board?.port),
            every_s: p.every_s,
            average_s: p.average_s,
            duty_cycle: p.duty_cycle,
            stuck_after_s: p.stuck_after_s,
            options: p.options,
          })),
        },
        {
          log,
          modules: new Map(partModules.map((m) => [m.definition.id, m])),
          env,
          emit: (r) => local.reading(r),
          onStatus: (parts) => {
            nodeStatus.set(node.id, parts);
            mqttOut.publishRetained(`airlane/v1/${config.site}/${node.id}/status`, JSON.stringify({ state: 'online', parts }));
          },
        },
      );
      await rt.start();
      runtimes.push(rt);
      cleanups.push(async () => {
        await rt.stop();
        await env.close();
        mqttOut.publishRetained(`airlane/v1/${config.site}/${node.id}/status`, JSON.stringify({ state: 'offline', parts: rt.statuses() }));
      });
    }

    for (const c of config.counters) {
      const satellite = c.node === undefined ? undefined : envs.get(c.node);
      const counter = keepCounter(c, {
        site: config.site,
        simulate: config.simulate,
        log: log.child({ counter: c.id }),
        emit: (count) => local.traffic(count),
        ...(satellite ? { board: () => satellite.board() } : {}),
      });
      cleanups.push(() => counter.close());
    }

    const http: HttpHandle = await startHttp(config.http, {
      latest,
      stats: pipeline.stats,
      depth: () => Object.fromEntries(outputs.filter((o) => o.durable).map((o) => [o.output.name, pipeline.depth(o.output.name)])),
      status: () => statusSnapshot(),
      commissioning: () => commissioningByNode(dataDir),
      health,
      history: createHistory(windows.reader),
    });
    cleanups.push(() => http.close());

    return {
      pipeline,
      latest,
      local,
      mqttUrl,
      httpUrl: http.url,
      statusSnapshot,
      ...(config.influxdb ? { influxUrl: config.influxdb.url } : {}),
      stop: () => runCleanups(cleanups),
    };
  } catch (e) {
    await runCleanups(cleanups);
    throw e;
  }
}


function pickDefined<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
}
