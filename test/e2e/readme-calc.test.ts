// Every `$ airlane calc …` example in the README, and the `airlane signal-plan` example, is run with the real CLI
// and must print exactly what the README shows under it: the documented figures are the program's, not hand-written.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8').split('\n');
const examples = readme.flatMap((line, i) => {
  const m = /^\$ airlane (calc .*?)\s*(#.*)?$/.exec(line);
  return m ? [[m[1]!, readme[i + 1]!] as const] : [];
});

describe('README calc examples', () => {
  it('there are examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('airlane %s', (command, expected) => {
    const out = execFileSync('node', [`${root}bin/airlane.mjs`, ...command.split(/\s+/)], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe(expected);
  });
});

describe('README signal-plan example', () => {
  it('prints the periods and advice the README shows', () => {
    const start = readme.findIndex((l) => l.startsWith('$ airlane signal-plan'));
    expect(start).toBeGreaterThan(0);
    let end = start;
    while (readme[end]!.endsWith('\\')) end++;
    const command = readme.slice(start, end + 1).join(' ').replace(/^\$ airlane /, '').replace(/\\/g, ' ').trim().split(/\s+/);
    const shown: string[] = [];
    for (let i = end + 1; readme[i] !== '```'; i++) shown.push(readme[i]!);
    const out = mkdtempSync(join(tmpdir(), 'airlane-readme-plan-'));
    try {
      const args = command.map((a, i) => (command[i - 1] === '--out' ? out : a));
      const printed = execFileSync('node', [`${root}bin/airlane.mjs`, ...args], { cwd: root, encoding: 'utf8' });
      expect(printed.trimEnd().split('\n')).toEqual(shown.map((l) => l.replace('/tmp/plan', out)));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
