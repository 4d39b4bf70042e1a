import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentFolders, partModules } from './index.js';

const here = new URL('.', import.meta.url).pathname;
const folders = readdirSync(here).filter((f) => statSync(join(here, f)).isDirectory());

describe('driver registry', () => {
  it('lists every part folder exactly once, and no part without a folder', () => {
    const ids = partModules.map((m) => m.definition.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids, ...componentFolders].sort()).toEqual([...folders].sort());
  });

  it.each(folders)('%s has a README', (folder) => {
    expect(existsSync(join(here, folder, 'README.md'))).toBe(true);
  });

  it.each(partModules.map((m) => [m.definition.id, m] as const))('%s declares canonical quantities with ranges', (_id, m) => {
    expect(m.definition.quantities.length).toBeGreaterThan(0);
    for (const q of m.definition.quantities) {
      expect(q.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(q.min).toBeLessThan(q.max);
    }
  });
});
