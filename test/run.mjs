#!/usr/bin/env node
// `npm test`: makes sure the daemons the integration tests start (socat, mosquitto, influxd) are installed,
// installing them with apt where that is allowed, then runs vitest. Allowed = root (or passwordless sudo) AND
// (CI=true or AIRLANE_TEST_INSTALL=1). In CI nothing may be skipped: a missing tool fails the run. Elsewhere
// the unit tests still run, with a loud notice that the integration tests did not.
// Usage: node test/run.mjs [vitest args…]   e.g. node test/run.mjs gateway/outputs   or   -- --project unit
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = { socat: 'socat', mosquitto: 'mosquitto', influxd: 'influxdb', chromium: 'chromium', prometheus: 'prometheus', promtool: 'prometheus' }; // tool → Debian package
const ci = process.env.CI === 'true';
const installWanted = ci || process.env.AIRLANE_TEST_INSTALL === '1';

const say = (msg) => process.stderr.write(`[npm test] ${msg}\n`);

// Same search as test/services/daemon.ts: PATH plus the sbin dirs a non-root PATH often lacks (mosquitto).
function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

const missingTools = () => Object.keys(tools).filter((t) => !findExecutable(t));

/** The prefix that makes us root, or undefined when we cannot become root without a password. */
function rootPrefix() {
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? ['sudo', '-n'] : undefined;
}

function run(argv, env = process.env) {
  say(`$ ${argv.join(' ')}`);
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env, cwd: root });
  if (r.error) say(`could not run ${argv[0]}: ${r.error.message}`);
  return r.status ?? 1;
}

let missing = missingTools();
if (missing.length > 0) {
  const packages = [...new Set(missing.map((t) => tools[t]))];
  const prefix = installWanted ? rootPrefix() : undefined;
  if (prefix) {
    say(`installing ${packages.join(', ')} with apt (missing: ${missing.join(', ')})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run([...prefix, 'apt-get', 'update'], env) === 0) {
      run([...prefix, 'apt-get', 'install', '-y', ...packages], env);
    }
    missing = missingTools();
  }
  if (missing.length > 0) {
    const cmd = `sudo apt-get update && sudo apt-get install -y ${[...new Set(missing.map((t) => tools[t]))].join(' ')}`;
    const why = !installWanted
      ? 'installing is only done when CI=true or AIRLANE_TEST_INSTALL=1'
      : prefix
        ? 'apt-get did not install them (see its output above)'
        : 'installing needs root or passwordless sudo';
    say(`missing: ${missing.join(', ')} (${why}).`);
    say(`install them with:  ${cmd}`);
    say(`or let this command do it:  sudo AIRLANE_TEST_INSTALL=1 npm test`);
    if (ci) {
      say('CI=true: nothing may be skipped, so the test run fails here.');
      process.exit(1);
    }
  }
}

const extra = process.argv.slice(2);
const args = ['vitest', 'run', ...extra];
const unitOnly = missing.length > 0;
if (unitOnly) {
  args.push('--project', 'unit');
  const line = '!'.repeat(78);
  say(line);
  say(`INTEGRATION TESTS SKIPPED: ${missing.join(', ')} not installed. Only the unit tests run.`);
  say(line);
}
const code = run(['npx', ...args]);
if (unitOnly) say(`reminder: integration tests were SKIPPED (missing: ${missing.join(', ')}).`);
process.exit(code);
