// `npm run chaos`: the long chaos run (see README.md). Progress on stderr, exactly one JSON line on stdout;
// exit 1 when anything was lost, duplicated, accepted corrupted, or the gateway crashed.
import { parseArgs } from 'node:util';
import { failures, runChaos } from './chaos.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '600' },
    seed: { type: 'string' },
    nodes: { type: 'string', default: '4' },
    rate: { type: 'string', default: '10' },
    fuzz: { type: 'string', default: '100000' },
    'json-only': { type: 'boolean', default: false },
    'keep-dir': { type: 'boolean', default: false },
  },
});

const num = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative number (got ${v})\n`);
    process.exit(2);
  }
  return n;
};

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : num('seed', values.seed);
const verdict = await runChaos({
  durationS: num('duration', values.duration),
  seed,
  nodes: Math.max(1, Math.round(num('nodes', values.nodes))),
  rate: num('rate', values.rate) || 1,
  fuzz: Math.round(num('fuzz', values.fuzz)),
  keepDir: values['keep-dir'],
  log: values['json-only'] ? () => undefined : (l) => process.stderr.write(`${l}\n`),
});
process.stdout.write(`${JSON.stringify(verdict)}\n`);
const failed = failures(verdict);
if (failed.length && !values['json-only']) process.stderr.write(`chaos: FAILED (${failed.map((k) => `${k}=${verdict[k]}`).join(', ')}); replay with --seed ${seed}\n`);
process.exit(failed.length ? 1 : 0);
