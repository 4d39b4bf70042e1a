// The `airlane` command (DESIGN.md §5). Output for programs is JSON (one object per line where there are many);
// output for people is short and plain; errors say what, where and what to do, and exit non-zero:
// 0 done, 1 failure (bad config, service error), 2 usage error.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { runDecode, UsageError, DECODABLE_PARTS } from './decode.js';

// Commands load what they need when they run: `decode` or `--help` do not pull in serial ports and brokers.
const config = () => import('../config/load.js');
const run = () => import('./run.js');

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
    const [{ loadStation }, { demoStationFile, runStation }] = await Promise.all([config(), run()]);
    await runStation(loadStation(demoStationFile()), { json: opts.json ?? false, label: 'demo station' });
  });

program
  .command('gateway')
  .description('run the gateway (and the nodes and counters wired to this Pi) from a station file')
  .requiredOption('-c, --config <file>', 'station file (YAML or JSON)')
  .option('--json', 'print the start-up summary as JSON')
  .action(async (opts: { config: string; json?: boolean }) => {
    const [{ loadStation }, { runStation }] = await Promise.all([config(), run()]);
    await runStation(loadStation(opts.config), { json: opts.json ?? false, label: opts.config });
  });

const configCmd = program.command('config').description('check or describe station files');
configCmd
  .command('check')
  .description('validate a station file; exit 1 and list every problem when it is wrong')
  .argument('<file>', 'station file (YAML or JSON)')
  .option('--json', 'print the result as JSON')
  .action(async (file: string, opts: { json?: boolean }) => {
    const { loadStation, stationWarnings } = await config();
    const station = loadStation(file);
    const warnings = stationWarnings(station);
    const parts = station.nodes.reduce((n, node) => n + node.parts.length, 0);
    const summary = { ok: true, file, site: station.site, nodes: station.nodes.length, parts, counters: station.counters.length, warnings };
    if (opts.json) console.log(JSON.stringify(summary));
    else {
      console.log(`${file}: ok — site ${station.site}, ${summary.nodes} node(s), ${parts} part(s), ${summary.counters} counter(s)`);
      for (const w of warnings) console.log(`  ${w}`);
    }
  });
configCmd
  .command('schema')
  .description('print the JSON Schema of station files (for editors)')
  .action(async () => {
    const [{ z }, { stationSchema }] = await Promise.all([import('zod'), config()]);
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

const collect = (v: string, prev: string[] = []) => [...prev, v];
program
  .command('probe')
  .description('identify the sensors and boards wired to this Pi (serial ports and I2C)')
  .option('--json', 'one JSON object {serial, i2c}')
  .option('--port <path>', 'probe this serial port instead of the discovered ones (repeatable)', collect)
  .option('--i2c-bus <n>', 'I2C bus number to scan (repeatable; default 1)', collect)
  .action(async (o: { json?: boolean; port?: string[]; i2cBus?: string[] }) => {
    const { runProbe } = await import('./probe.js');
    process.exitCode = await runProbe(
      { ...(o.json ? { json: true } : {}), ...(o.port ? { ports: o.port } : {}), ...(o.i2cBus ? { i2cBuses: o.i2cBus } : {}) },
      { out: (l) => console.log(l), err: (l) => console.error(l) },
    );
  });

program
  .command('commission')
  .description('check every part of a node on the pole, keep the record and publish it (stop the station service first)')
  .option('--station <file>', 'station file (YAML or JSON)')
  .option('--node <id>', 'only this node (default: every node)')
  .option('--by <name>', 'installer name for the record')
  .option('--json', 'one JSON line per node')
  .option('--seconds <n>', 'observation window per node', Number)
  .action(async (o: Record<string, unknown>) => {
    const { runCommission } = await import('./commission.js');
    process.exitCode = await runCommission(o, { out: (l) => console.log(l), err: (l) => console.error(l) });
  });

const calc = program.command('calc').description('calculations: air-quality indices, NowCast, PM and NO2 corrections, Webster cycles, peak-hour factor (one JSON object on stdout)');
const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) };
calc
  .command('aqi')
  .description('index level of concentrations: ATMO and EAQI in µg/m³ for the scheme\'s own period; us-epa PM µg/m³ (24 h), O3 ppm (8 h), NO2/SO2 ppb (1 h), CO ppm (8 h)')
  .requiredOption('--scheme <scheme>', 'atmo | eaqi | eaqi-2020 | us-epa')
  .option('--pm25 <n>')
  .option('--pm10 <n>')
  .option('--no2 <n>')
  .option('--o3 <n>')
  .option('--so2 <n>')
  .option('--co <n>')
  .action(async (o: Record<string, string>) => {
    const { runCalcAqi } = await import('./calc-aqi.js');
    process.exitCode = runCalcAqi(o, io);
  });
calc
  .command('nowcast')
  .description('EPA NowCast of PM2.5 from hourly means (most recent first; empty = missing hour)')
  .requiredOption('--pm25 <h1,h2,…>', 'hourly means in µg/m³, most recent first')
  .action(async (o: { pm25?: string }) => {
    const { runCalcNowcast } = await import('./calc-aqi.js');
    process.exitCode = runCalcNowcast(o, io);
  });
calc
  .command('pm-correction')
  .description('correct a low-cost PM2.5 reading: epa-2021, epa-fasm (2022 extended, smoke) or kohler (humidity growth)')
  .requiredOption('--method <method>', 'epa-2021 | epa-fasm | kohler')
  .requiredOption('--pm25 <n>', 'PM2.5 in µg/m³ (Plantower CF=1 for the EPA methods)')
  .option('--rh <percent>', 'relative humidity, %')
  .option('--kappa <k>', 'hygroscopicity κ (kohler)')
  .action(async (o: Record<string, string>) => {
    const { runCalcPmCorrection } = await import('./calc-correction.js');
    process.exitCode = runCalcPmCorrection(o, io);
  });
calc
  .command('no2-b43f')
  .description('NO2 from an Alphasense NO2-B43F (AAN 803 algorithms 1–4)')
  .requiredOption('--we <mV>', 'working electrode, mV')
  .requiredOption('--ae <mV>', 'auxiliary electrode, mV')
  .requiredOption('--we-zero <mV>', 'WE electronic zero (WEe, from the ISB sheet), mV')
  .requiredOption('--ae-zero <mV>', 'AE electronic zero (AEe), mV')
  .option('--we-sensor-zero <mV>', 'WE sensor zero (algorithms 2–4), mV')
  .option('--ae-sensor-zero <mV>', 'AE sensor zero (algorithms 2–4), mV')
  .option('--series <series>', 'B4 | A4 (temperature table)', 'B4')
  .requiredOption('--sensitivity <mV_per_ppb>', 'WE sensitivity, mV/ppb')
  .requiredOption('--temp <celsius>', 'sensor temperature, °C')
  .option('--algorithm <1-4>', 'AAN 803 algorithm', '1')
  .action(async (o: Record<string, string>) => {
    const { runCalcNo2B43f } = await import('./calc-correction.js');
    process.exitCode = runCalcNo2B43f(o, io);
  });

calc
  .command('webster')
  .description("Webster's optimum cycle and green splits (critical flow ratio per phase)")
  .option('--flows <q1,q2,…>', 'critical flow per phase, veh/h')
  .option('--saturation <s1,s2,…>', 'saturation flow per phase, veh/h')
  .option('--ratios <y1,y2,…>', 'critical flow ratios y = q/s (instead of --flows and --saturation)')
  .requiredOption('--lost-time <s>', 'lost time per cycle L, s')
  .option('--cycle <s>', 'a given cycle C instead of the optimum')
  .action(async (o: Record<string, string>) => {
    const { runCalcWebster } = await import('./calc-traffic.js');
    process.exitCode = runCalcWebster(o, io);
  });
calc
  .command('phf')
  .description('peak-hour factor of four consecutive 15-min counts')
  .requiredOption('--counts <c1,c2,c3,c4>', 'four consecutive 15-min counts')
  .action(async (o: Record<string, string>) => {
    const { runCalcPhf } = await import('./calc-traffic.js');
    process.exitCode = runCalcPhf(o, io);
  });

program
  .command('signal-plan')
  .description('signal-timing advice for an intersection from its counts (Webster/HCM), with air quality in the loop')
  .requiredOption('--intersection <file>', 'intersection file (YAML or JSON)')
  .option('--counts <csv>', '15-min counts (CSV)')
  .option('--from-influx <url>', "read the site's traffic and NO2 from InfluxDB instead")
  .option('--no2 <csv>', "the site's NO2 (time,no2_ugm3) instead of the intersection file's air_quality.no2_csv")
  .option('--influx <url>', 'also write the signal_plan points to this InfluxDB')
  .option('--until <iso>', 'with --from-influx: end of the week read (default now)')
  .option('--days <n>', 'with --from-influx: days read (default 7)')
  .option('--out <dir>', 'write plan.json, timing sheets and report.html here')
  .option('--json', 'print the result as JSON')
  .action(async (o: Record<string, unknown>) => {
    const { runSignalPlan } = await import('./signal-plan.js');
    process.exitCode = await runSignalPlan(o, io);
  });

program
  .command('simulate')
  .description('publish readings from N simulated nodes over many sites to a broker on this machine (loopback only)')
  .requiredOption('--nodes <n>', 'simulated nodes (20 per site)')
  .requiredOption('--rate <hz>', 'readings per second per node')
  .option('--duration <s>', 'seconds', '10')
  .option('--url <url>', 'broker', 'mqtt://127.0.0.1:1883')
  .option('--seed <k>', 'seed of the simulated values')
  .option('--json', 'one JSON summary')
  .action(async (o: Record<string, string | boolean>) => {
    const { runSimulate } = await import('./simulate.js');
    process.exitCode = await runSimulate(o, io);
  });

program
  .command('acl')
  .description('print a Mosquitto acl_file: each node may publish only under airlane/v1/<site>/<node>/')
  .argument('[stations...]', 'station files (YAML or JSON)')
  .option('--node <site/node>', 'a remote node publishing on its own (repeatable)', collect)
  .option('--password-file <path>', 'the Mosquitto password_file the printed mosquitto_passwd commands fill')
  .option('--json', 'one JSON object {users, acl}')
  .action(async (stations: string[], o: { node?: string[]; passwordFile?: string; json?: boolean }) => {
    const { runAcl } = await import('./acl.js');
    process.exitCode = runAcl(
      { stations, ...(o.node ? { nodes: o.node } : {}), ...(o.passwordFile ? { passwordFile: o.passwordFile } : {}), ...(o.json ? { json: true } : {}) },
      { out: (l) => console.log(l), err: (l) => console.error(l) },
    );
  });

program
  .command('flash')
  .description('program an Arduino over its bootloader (STK500v1), verify it, check that Firmata answers')
  .option('--board <board>', 'nano | nano-old-bootloader | uno')
  .option('--port <path>', 'serial port of the Arduino')
  .option('--hex <file>', 'sketch as Intel HEX (e.g. ConfigurableFirmata built for the board)')
  .option('--json', 'one JSON object instead of the summary line')
  .option('--firmata-baud <rate>', 'Firmata rate after flashing (default: try 57600, then 115200)')
  .option('--no-firmata-check', 'do not open the board with Firmata afterwards')
  .action(async (o: Record<string, unknown>) => {
    const { runFlash } = await import('./flash.js');
    process.exitCode = await runFlash(o, {
      out: (l) => console.log(l),
      err: (l) => console.error(l),
      errRaw: (t) => process.stderr.write(t),
      isTTY: process.stderr.isTTY ?? false,
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
  } else if ((e as Error).name === 'ConfigError') {
    console.error((e as Error).message);
    process.exitCode = 1;
  } else {
    console.error(`airlane: ${(e as Error).message}`);
    process.exitCode = 1;
  }
  // A start that failed half-way may leave a socket or timer open: the error is said, so do not hang on it.
  setTimeout(() => process.exit(), 2000).unref();
}
