// The in-process input: the node runtime on the same Pi hands its readings and counts straight to the gateway.
// Validated with the same zod schemas as data from the network: a bad reading from our own driver is a bug to
// count and report, not something to write.
import type { Input, Sink } from '../../core/plugin.js';
import { ReadingSchema, TrafficCountSchema, describeIssues } from '../../core/reading.js';
import { readingToMetric, trafficToMetric } from '../../core/metric.js';

export class LocalInput implements Input {
  readonly name = 'local';
  private sink: Sink | undefined;

  async start(sink: Sink): Promise<void> {
    this.sink = sink;
  }

  async stop(): Promise<void> {
    this.sink = undefined;
  }

  /** Returns false when the reading was rejected (the reason is counted and logged by the sink). */
  reading(data: unknown): boolean {
    const sink = this.sink;
    if (!sink) return false;
    const r = ReadingSchema.safeParse(data);
    if (!r.success) {
      sink.reject('local/reading', describeIssues(r.error));
      return false;
    }
    sink.push(readingToMetric(r.data));
    return true;
  }

  traffic(data: unknown): boolean {
    const sink = this.sink;
    if (!sink) return false;
    const r = TrafficCountSchema.safeParse(data);
    if (!r.success) {
      sink.reject('local/traffic', describeIssues(r.error));
      return false;
    }
    sink.push(trafficToMetric(r.data));
    return true;
  }
}
