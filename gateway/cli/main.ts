// The `airlane` command (DESIGN.md §5). Output for programs is JSON (one object per line where there are many);
// output for people is short and plain; errors say what, where and what to do, and exit non-zero:
// 0 done, 1 failure (bad config, service error), 2 usage error.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, loadStation, stationSchema } from '../config/load.js';
import { runDecode, UsageError, DECODABLE_PARTS } from './decode.js';
import { demoStationFile, runStation } from './run.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('airlane')
  .description('Airlane: air-quality and traffic station firmware and gateway')
  .version(pkg.version)
  .showHelpAfterError('(run airlane --help for usage)')
  .exitOverride();

program
  .command('demo')
  .alias('start')
  .description('run a whole simulated station on embedded defaults (what `npm start` runs)')
  .option('--json', 'print the start-up summary as JSON')
  .action(async (opts: { json?: boolean }) => {
    await runStation(loadStation(demoStationFile()), { json: opts.json ?? false, label: 'demo station' });
  });

program
  .command('gateway')
  .description('run the gateway (and the nodes and counters wired to this Pi) from a station file')
  .requiredOption('-c, --config <file>', 'station file (YAML or JSON)')
  .option('--json', 'print the start-up summary as JSON')
  .action(async (opts: { config: string; json?: boolean }) => {
    await runStation(loadStation(opts.config), { json: opts.json ?? false, label: opts.config });
  });

const config = program.command('config').description('check or describe station files');
config
  .command('check')
  .description('validate a station file; exit 1 and list every problem when it is wrong')
  .argument('<file>', 'station file (YAML or JSON)')
  .option('--json', 'print the result as JSON')
  .action((file: string, opts: { json?: boolean }) => {
    const station = loadStation(file);
    const parts = station.nodes.reduce((n, node) => n + node.parts.length, 0);
    const summary = { ok: true, file, site: station.site, nodes: station.nodes.length, parts, counters: station.counters.length };
    console.log(
      opts.json ? JSON.stringify(summary) : `${file}: ok — site ${station.site}, ${summary.nodes} node(s), ${parts} part(s), ${summary.counters} counter(s)`,
    );
  });
config
  .command('schema')
  .description('print the JSON Schema of station files (for editors)')
  .action(() => {
    console.log(JSON.stringify(z.toJSONSchema(stationSchema, { io: 'input', unrepresentable: 'any' }), null, 2));
  });

program
  .command('decode')
  .description(`decode raw sensor bytes to JSON lines (parts: ${DECODABLE_PARTS.join(', ')})`)
  .argument('<part>', 'sensor part')
  .option('--hex <bytes>', 'bytes as hex, e.g. "42 4d 00 1c …"')
  .option('--file <file>', 'read bytes from a file (a capture); stdin otherwise')
  .action(async (part: string, opts: { hex?: string; file?: string }) => {
    await runDecode(part, opts, {
      stdin: process.stdin,
      out: (l) => process.stdout.write(l + '\n'),
      err: (l) => process.stderr.write(l + '\n'),
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UsageError) {
    console.error(`airlane: ${e.message}`);
    process.exitCode = 2;
  } else if (e instanceof ConfigError) {
    console.error(e.message);
    process.exitCode = 1;
  } else {
    console.error(`airlane: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
