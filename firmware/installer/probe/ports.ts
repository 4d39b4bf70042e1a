// Candidate serial ports on this machine: what serialport's udev listing reports, merged with the device nodes
// that exist without udev (a container, a minimal image, a pty made by socat). Symlinks such as
// /dev/serial/by-id/usb-… and /dev/serial0 are resolved so one port is listed once, with its stable by-id name.
import { readdirSync, realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';

export interface CandidatePort {
  /** The device node (symlinks resolved), e.g. /dev/ttyUSB0. */
  path: string;
  /** The stable /dev/serial/by-id/… name, when there is one. */
  by_id?: string;
  /** Other names pointing at the same node, e.g. /dev/serial0. */
  aliases?: string[];
}

/** Seams for tests; production code passes nothing. */
export interface PortsDeps {
  /** Names in a directory; [] (not an error) when the directory is missing. */
  readdir?: (dir: string) => string[];
  /** The target of a path with every symlink resolved; throws when it dangles. */
  realpath?: (path: string) => string;
  /** serialport's listing (spawns udevadm; rejects without udev). */
  list?: () => Promise<Array<{ path: string }>>;
}

const BY_ID = '/dev/serial/by-id';
// Raspberry Pi UARTs and the usual USB adapters: FTDI/CH340/CP210x → ttyUSB, Arduino/CDC-ACM → ttyACM.
const DEV_PATTERNS = [/^ttyUSB\d+$/, /^ttyACM\d+$/, /^ttyAMA\d+$/, /^serial[01]$/];

function defaultReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export async function listCandidatePorts(deps: PortsDeps = {}): Promise<CandidatePort[]> {
  const readdir = deps.readdir ?? defaultReaddir;
  const realpath = deps.realpath ?? realpathSync;
  const list = deps.list ?? (() => SerialPort.list());

  const names: string[] = [];
  try {
    for (const p of await list()) names.push(p.path);
  } catch {
    // No udev (containers, chroots): the directory scan below still finds the nodes.
  }
  const byIdNames = readdir(BY_ID).map((n) => `${BY_ID}/${n}`);
  names.push(...byIdNames);
  for (const n of readdir('/dev')) if (DEV_PATTERNS.some((re) => re.test(n))) names.push(`/dev/${n}`);

  const ports = new Map<string, CandidatePort>();
  for (const name of names) {
    let real: string;
    try {
      real = realpath(name);
    } catch {
      continue; // a dangling link: an adapter just unplugged
    }
    const port = ports.get(real) ?? { path: real };
    ports.set(real, port);
    if (name === real) continue;
    if (name.startsWith(`${BY_ID}/`)) port.by_id ??= name;
    else if (!port.aliases?.includes(name)) port.aliases = [...(port.aliases ?? []), name];
  }
  return [...ports.values()].sort((a, b) => a.path.localeCompare(b.path));
}
