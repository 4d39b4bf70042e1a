// The station-file examples in the READMEs are checked with the real schema, so docs and code cannot drift apart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStation } from '../../gateway/config/load.js';

const root = new URL('../../', import.meta.url).pathname;
const readmes = ['README.md', ...readdirSync(join(root, 'firmware/drivers')).map((d) => `firmware/drivers/${d}/README.md`)].filter((f) => {
  try {
    readFileSync(join(root, f));
    return true;
  } catch {
    return false;
  }
});

/** YAML blocks that are whole station files, or start with `nodes:` / `counters:` (completed with a site). */
function stationExamples(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((y) => /^(site|nodes|counters):/m.test(y))
    .map((y) => (/^site:/m.test(y) ? y : `site: example\n${y}`));
}

const cases = readmes.flatMap((f) => stationExamples(f).map((y, i) => [`${f} #${i + 1}`, y] as const));

describe('README station examples', () => {
  it('there are examples to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('%s is a valid station file', (_name, yaml) => {
    expect(() => parseStation(yaml, 'README example', { AIRLANE_HTTP_TOKEN: 'test-token-0123456789abcdef' })).not.toThrow();
    expect(parseStation(yaml, 'README example', { AIRLANE_HTTP_TOKEN: 'test-token-0123456789abcdef' }).site).toMatch(/\S/);
  });
});
