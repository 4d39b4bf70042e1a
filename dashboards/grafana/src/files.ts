// Everything the generator writes, as path → content, so the generator, its --check and the staleness test compare
// the same bytes.
import { DASHBOARDS } from './index.js';
import { dashboardProviderYaml, datasourceYaml, provisioningOptions, type ProvisioningOptions } from './provisioning.js';

/** Paths relative to dashboards/grafana/. JSON with two-space indent and a final newline, stable across runs. */
export function generatedFiles(options: ProvisioningOptions = provisioningOptions()): Map<string, string> {
  const files = new Map<string, string>();
  for (const d of DASHBOARDS) files.set(`dashboards/${d.file}`, `${JSON.stringify(d.build(), null, 2)}\n`);
  files.set('provisioning/datasources/airlane.yaml', datasourceYaml(options));
  files.set('provisioning/dashboards/airlane.yaml', dashboardProviderYaml(options));
  return files;
}
