// Rebuilds the committed Grafana files from dashboards/grafana/src:
//   node bin/tsx.mjs dashboards/grafana/generate.ts           write dashboards/*.json and provisioning/**/*.yaml
//   node bin/tsx.mjs dashboards/grafana/generate.ts --check   exit 1, naming each stale file, if any differs
// AIRLANE_INFLUX_URL and AIRLANE_GRAFANA_DASHBOARDS change what the provisioning files point at (README.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './src/files.js';

const root = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];

for (const [path, content] of generatedFiles()) {
  const file = join(root, path);
  const shown = relative(process.cwd(), file);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    stale.push(shown);
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  console.log(`wrote ${shown}`);
}

if (stale.length > 0) {
  for (const s of stale) console.error(`stale: ${s} differs from a fresh generation`);
  console.error('run: node bin/tsx.mjs dashboards/grafana/generate.ts');
  process.exit(1);
}
if (check) console.log('Grafana dashboards and provisioning files are up to date');
