// Options of the local HTTP API and page. The one rule that matters for a pole on a public network: an API that
// anyone on the network can reach must ask for a token, so the schema refuses to start it without one.
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

/** Loopback only: 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 and its IPv4-mapped form (RFC 4291 §2.5.3, §2.5.5.2). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}

export const httpOptions = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /**
     * Bearer token for everything but GET /healthz, the read-only page and the data it polls. At least 16
     * characters: a guessable secret on an open port is found by a scanner; 16 random base64 characters carry
     * 96 bits, far beyond online guessing. Syntax is RFC 6750 §2.1 b64token so it fits an Authorization header.
     */
    token: z
      .string()
      .min(16, { error: 'must be at least 16 characters (try `openssl rand -hex 24`)' })
      .max(512, { error: 'must be at most 512 characters' })
      .regex(/^[A-Za-z0-9\-._~+/]+=*$/, {
        error: 'may hold only letters, digits and - . _ ~ + / (with trailing =), as RFC 6750 §2.1 allows in a bearer token',
      })
      .optional(),
    /** The API is reachable from a public network (e.g. behind a port forward) even though it listens on loopback. */
    public: z.boolean().default(false),
    /** /healthz turns 503 when a durable output with data queued has not written successfully for this long. */
    stall_after_s: z.number().int().positive().default(600),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.token !== undefined) return;
    if (o.public || !isLoopbackHost(o.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: `${o.public ? 'public: true says the API is reachable from a public network' : `host ${o.host} is reachable from the network`}, so the API needs a token: set http.token to a random string of at least 16 characters (e.g. \`openssl rand -hex 24\`)${o.public ? '' : ', or listen on 127.0.0.1'}`,
      });
    }
  });
export type HttpOptions = z.infer<typeof httpOptions>;
