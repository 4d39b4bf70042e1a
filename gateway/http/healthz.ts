// GET /healthz: is this gateway keeping its promise that an accepted reading reaches its outputs? Answered from
// one GatewayHealth snapshot. Only conditions a person must act on count; a short network cut (an output
// retrying for a few minutes) is the outbox doing its job and must not make a monitor flap.
import type { GatewayHealth } from '../core/health.js';
import { redactUrl } from '../core/redact.js';

export interface HealthVerdict {
  status: 'ok' | 'degraded';
  problems: string[];
}

/**
 * The rules, in order:
 * 1. the outbox cannot be written: nothing new is accepted or acknowledged upstream;
 * 2. a durable output is in state `config` (the server answered 401/403/404: credentials, rights, database);
 * 3. a durable output has data queued and no successful write for longer than `stallAfterS` (counted from the
 *    process start when it never wrote).
 * Parts (sensors) do not count: a faulted sensor is a station problem /metrics reports, not a gateway failure.
 */
export function healthVerdict(h: GatewayHealth, now: number, stallAfterS: number): HealthVerdict {
  const problems: string[] = [];
  if (!h.outbox_writable) problems.push('outbox not writable: new readings are refused and nothing is acknowledged upstream; check free space and permissions of the data directory');
  for (const o of h.outputs) {
    if (!o.durable) continue;
    if (o.state === 'config') {
      problems.push(`${o.output}: the server refuses the writes and a person must act (credentials, permissions or database)${o.last_error ? `: ${clip(o.last_error)}` : ''}; data is kept`);
    }
    const since = o.last_success_ms ?? h.started_ms;
    const silentS = Math.floor((now - since) / 1000);
    if (o.queued > 0 && silentS > stallAfterS) {
      problems.push(`${o.output}: no successful write for ${silentS} s with ${o.queued} queued`);
    }
  }
  return { status: problems.length ? 'degraded' : 'ok', problems };
}

/** /healthz is open without a token: an error text goes out only without URL passwords, and short. */
function clip(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ').replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, (u) => redactUrl(u));
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}
