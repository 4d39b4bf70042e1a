// Runs a station in the foreground until SIGINT/SIGTERM, then stops it cleanly (outbox flushed, status
// "offline" published, ports closed). One plain line for people, or one JSON object with --json.
import { fileURLToPath } from 'node:url';
import type { StationConfig } from '../config/schema.js';
import { createLogger } from '../core/log.js';
import { redactUrl } from '../core/redact.js';
import { startStation } from '../station.js';
import { stationWarnings } from '../config/load.js';
import { systemdNotifier } from '../core/sd-notify.js';

/** The embedded defaults `npm start` runs: a simulated station described like any real one. */
export function demoStationFile(): string {
  return fileURLToPath(new URL('../../hardware/stations/demo.yaml', import.meta.url));
}

export async function runStation(config: StationConfig, opts: { json: boolean; label: string }): Promise<void> {
  const log = createLogger();
  // Listen for Ctrl-C before anything starts: a signal during start-up must still close ports and socat.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  for (const w of stationWarnings(config)) log.warn(w);
  // Under systemd (Type=notify, deploy/systemd/airlane.service): READY=1 once started, then watchdog pings;
  // run by hand, it does nothing.
  const notify = systemdNotifier({ warn: (m) => log.warn(m) });
  const station = await startStation(config, log);
  await notify.ready(`site ${config.site}`);
  const summary = {
    station: opts.label,
    site: config.site,
    page: station.httpUrl,
    api: `${station.httpUrl}api/v1/latest`,
    mqtt: redactUrl(station.mqttUrl),
    influxdb: station.influxUrl ? redactUrl(station.influxUrl) : null,
    simulated: config.simulate,
    data_dir: config.data_dir,
  };
  if (opts.json) console.log(JSON.stringify(summary));
  else {
    console.log(`Airlane ${opts.label} "${config.site}" running${config.simulate ? ' (simulated sensors)' : ''}`);
    console.log(`  page      ${summary.page}`);
    console.log(`  API       ${summary.api}`);
    console.log(`  MQTT      ${summary.mqtt}${config.mqtt ? '' : ' (embedded broker)'}`);
    console.log(`  InfluxDB  ${summary.influxdb ?? 'not configured (set AIRLANE_INFLUX_URL)'}`);
    console.log('Press Ctrl-C to stop.');
  }
  await stopRequested;
  await notify.stopping();
  await station.stop();
  notify.close();
}
