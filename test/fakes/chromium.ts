// Debian's headless Chromium for page tests, with the flags this machine needs (no sandbox as root, no background
// networking: the network is closed) and a fresh profile. Asynchronous: the station serving the page runs in the
// test's own process, so a synchronous spawn would block the very server Chromium is asking.
import { execFile } from 'node:child_process';
import { findExecutable } from '../services/daemon.js';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--window-size=390,844', // a phone
];

export function chromium(profileDir: string, ...args: string[]): Promise<{ status: number; stdout: string }> {
  const bin = findExecutable('chromium');
  if (!bin) throw new Error('chromium is not installed (apt-get install chromium); npm test installs it in CI');
  return new Promise((resolve) =>
    execFile(bin, [...FLAGS, `--user-data-dir=${profileDir}`, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout) =>
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    ),
  );
}
