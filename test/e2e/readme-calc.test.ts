// Every `$ airlane calc …` example in the README is run with the real CLI and must print exactly the line the
// README shows under it: the documented figures are the program's, not hand-written.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
