// Every station profile under hardware/stations/ is a valid station file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStation } from '../../gateway/config/load.js';

const dir = new URL('../../hardware/stations/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('station profiles', () => {
  it('include the demo and the three reference stations', () => {
    expect(files.sort()).toEqual(['demo.yaml', 'full.yaml', 'kerbside-pi.yaml', 'satellite-nano.yaml']);
  });

  // Stations listening on the network take their API token from the environment (never from the file).
  const env = { AIRLANE_HTTP_TOKEN: 'test-token-0123456789abcdef' };

  it.each(files)('%s validates', (f) => {
    const station = loadStation(join(dir, f), env);
    expect(station.nodes.length).toBeGreaterThan(0);
  });

  it('refuses a station on 0.0.0.0 without a token, saying how to set one', () => {
    expect(() => loadStation(join(dir, 'kerbside-pi.yaml'), {})).toThrow(/http\.token: .*needs a token/);
  });
});
