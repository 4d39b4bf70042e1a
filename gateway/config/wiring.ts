// `airlane config check`, the wiring half: compares a validated station with the board maps (hardware/boards/)
// and each part's own wiring facts (PartModule.wiring, from its datasheet) and names every conflict before anything
// is soldered — I2C address clashes, a serial port or a satellite pin used twice, and logic levels that do not
// match. Pure: no I/O, nothing opened. A part wired to a bus kind it does not speak is the schema's and the node
// runtime's to refuse; it is skipped here.
import { busKind, type PartModule, type PartWiring, type I2cDeviceFact } from '../../firmware/drivers/types.js';
import { arduinoPinName, arduinoUnoNano, freeArduinoPins } from '../../hardware/boards/arduino-uno-nano.js';
import { piHeaderPins, piSerialPort, raspberryPi } from '../../hardware/boards/raspberry-pi.js';
import type { BusEntry, StationConfig } from './schema.js';

export type WiringPath = (string | number)[];

export interface WiringProblem {
  /** Key path in the station file of the setting to change, e.g. ['nodes', 0, 'parts', 3, 'options', 'address']. */
  path: WiringPath;
  /** What is wrong, against what, and what to do (without the path). */
  message: string;
  /** 'warning': cannot be decided from the file alone (a breakout may level-shift) or works with losses. */
  severity: 'error' | 'warning';
}

/** One line for people: "nodes.0.parts.3.options.address: sht3x at 0x44 clashes …", warnings marked. */
export function formatWiringProblem(p: WiringProblem): string {
  return `${p.severity === 'warning' ? 'warning: ' : ''}${p.path.join('.')}: ${p.message}`;
}

type Node = StationConfig['nodes'][number];

interface PlacedPart {
  id: string;
  path: WiringPath;
  nodeIndex: number;
  node: Node;
  bus: BusEntry;
  /** Undefined when the part declares no wiring facts: only its ports and pins are checked. */
  wiring: PartWiring | undefined;
}

const at = (path: WiringPath) => path.join('.');
const hex = (a: number) => `0x${a.toString(16).padStart(2, '0')}`;
const error = (path: WiringPath, message: string): WiringProblem => ({ path, message, severity: 'error' });
const warning = (path: WiringPath, message: string): WiringProblem => ({ path, message, severity: 'warning' });

export function checkWiring(station: StationConfig, modules: readonly PartModule<any>[]): WiringProblem[] {
  const byId = new Map(modules.map((m) => [m.definition.id, m]));
  const parts: PlacedPart[] = [];
  station.nodes.forEach((node, nodeIndex) =>
    node.parts.forEach((entry, partIndex) => {
      const wiring = byId.get(entry.part)?.wiring?.(entry.options);
      if (wiring && !wiring.buses.includes(busKind(entry.bus))) return;
      parts.push({ id: entry.part, path: ['nodes', nodeIndex, 'parts', partIndex], nodeIndex, node, bus: entry.bus, wiring });
    }),
  );
  return [...i2cClashes(parts), ...serialReuse(station, parts), ...satellitePins(station, parts), ...logicLevels(station, parts)];
}

// ---- I2C addresses ----

interface PlacedDevice {
  part: PlacedPart;
  fact: I2cDeviceFact;
}

const deviceName = (d: PlacedDevice) => (d.fact.chip ? `${d.part.id}'s ${d.fact.chip}` : d.part.id);

/** Pi buses are shared by every node on this Pi (one station = one Pi); a satellite's bus is its own. */
function i2cBusOf(p: PlacedPart): { key: string; label: string } | undefined {
  if (p.bus.type === 'i2c') return { key: `pi:i2c-${p.bus.bus}`, label: `i2c-${p.bus.bus}` };
  if (p.bus.type === 'firmata-i2c') return { key: `${p.node.id}:i2c`, label: `${p.node.id}'s I2C (A4/A5)` };
  return undefined;
}

function i2cClashes(parts: PlacedPart[]): WiringProblem[] {
  const buses = new Map<string, { label: string; devices: PlacedDevice[] }>();
  for (const part of parts) {
    const bus = i2cBusOf(part);
    if (!bus || !part.wiring?.i2c) continue;
    const group = buses.get(bus.key) ?? { label: bus.label, devices: [] };
    buses.set(bus.key, group);
    for (const fact of part.wiring.i2c) group.devices.push({ part, fact });
  }
  const problems: WiringProblem[] = [];
  for (const { label, devices } of buses.values()) {
    const used = new Set(devices.map((d) => d.fact.address));
    const first = new Map<number, PlacedDevice>();
    for (const d of devices) {
      const holder = first.get(d.fact.address);
      if (holder) problems.push(addressClash(holder, d, label, used));
      else first.set(d.fact.address, d);
    }
  }
  return problems;
}

/**
 * Reported on the device cheapest to move: one whose address a strap selects (an ADDR pin) before one that needs
 * another part variant, the later one in the file when both can; with no free address left, on the later one.
 */
function addressClash(a: PlacedDevice, b: PlacedDevice, bus: string, used: ReadonlySet<number>): WiringProblem {
  const free = (d: PlacedDevice) => (d.fact.optionKey ? (d.fact.choices ?? []).filter((c) => !used.has(c.address)) : []);
  const target = [b, a].find((d) => free(d).some((c) => c.rewire)) ?? [b, a].find((d) => free(d).length > 0);
  const address = hex(a.fact.address);
  if (!target || !target.fact.optionKey) {
    return error(b.part.path, `${deviceName(b)} at ${address} clashes with ${deviceName(a)} (${at(a.part.path)}) on ${bus}; neither can take another free address there: move one to another bus`);
  }
  const other = target === b ? a : b;
  const choice = free(target).find((c) => c.rewire) ?? free(target)[0]!;
  return error(
    [...target.part.path, 'options', target.fact.optionKey],
    `${deviceName(target)} at ${address} clashes with ${deviceName(other)} (${at(other.part.path)}) on ${bus}; set ${target.fact.optionKey}: ${hex(choice.address)} (${choice.how}) or move one to another bus`,
  );
}

// ---- Serial ports: a UART path, a satellite's USB port, a counter's port, a satellite's software serial port ----

interface PortUse {
  key: string;
  /** The name as written: "/dev/ttyUSB0", "software serial port 8 of pole-1-nano". */
  name: string;
  path: WiringPath;
  who: string;
  /** Where `who` is in the file, for messages: the part, or the port key of a board or counter. */
  ref: WiringPath;
  kind: 'part' | 'board' | 'counter' | 'software';
  onHeader: boolean;
  nodeId?: string;
}

function serialReuse(station: StationConfig, parts: PlacedPart[]): WiringProblem[] {
  const uses: PortUse[] = [];
  station.nodes.forEach((node, i) => {
    if (node.board) {
      const port = piSerialPort(node.board.port);
      const path: WiringPath = ['nodes', i, 'board', 'port'];
      uses.push({ key: port.key, name: node.board.port, path, ref: path, who: `the Arduino of node ${node.id}`, kind: 'board', onHeader: port.onHeader, nodeId: node.id });
    }
    for (const p of parts.filter((x) => x.nodeIndex === i)) {
      if (p.bus.type === 'uart') {
        const port = piSerialPort(p.bus.path);
        uses.push({ key: port.key, name: p.bus.path, path: [...p.path, 'bus', 'path'], ref: p.path, who: p.id, kind: 'part', onHeader: port.onHeader });
      } else if (p.bus.type === 'firmata-serial') {
        const name = `software serial port ${p.bus.port_id} of ${node.id}`;
        uses.push({ key: `${node.id}:sw${p.bus.port_id}`, name, path: [...p.path, 'bus', 'port_id'], ref: p.path, who: p.id, kind: 'software', onHeader: false });
      }
    }
  });
  station.counters.forEach((c, k) => {
    // A counter with `node` shares that satellite's board; its own `port` (defaulted) is not opened.
    if (c.node !== undefined) return;
    const port = piSerialPort(c.port);
    const path: WiringPath = ['counters', k, 'port'];
    uses.push({ key: port.key, name: c.port, path, ref: path, who: `counter ${c.id}`, kind: 'counter', onHeader: port.onHeader });
  });

  const problems: WiringProblem[] = [];
  const first = new Map<string, PortUse>();
  for (const use of uses) {
    const prev = first.get(use.key);
    if (!prev) {
      first.set(use.key, use);
      continue;
    }
    const alias = prev.name !== use.name && use.onHeader ? ` as ${prev.name}, the same header UART (pins 8/10) on a Pi 1–4` : '';
    problems.push(error(use.path, `${use.name} is used twice: also by ${prev.who} (${at(prev.ref)})${alias}; ${portFix(prev, use)}`));
  }
  return problems;
}

function portFix(prev: PortUse, use: PortUse): string {
  if (use.kind === 'counter' && prev.kind === 'board') return `to count on that Arduino, give the counter node: ${prev.nodeId} instead of a port`;
  if (use.kind === 'counter' && prev.kind === 'counter') return 'one Arduino runs one counter: put all its detectors in one counter entry';
  if (use.kind === 'software') return `give each part its own port_id (${arduinoUnoNano.softwareSerial.firstPortId}–${arduinoUnoNano.softwareSerial.lastPortId}) and its own rx_pin/tx_pin`;
  return 'give each its own port (a second sensor on a USB-serial adapter, /dev/ttyUSB1)';
}

// ---- Pins of an Arduino: a satellite with its parts and the counters it carries, or a counter's own board ----

interface PinUse {
  pin: number;
  path: WiringPath;
  who: string;
  /** A detector read with the internal pull-up (active low). */
  pullUp?: boolean;
}

function satellitePins(station: StationConfig, parts: PlacedPart[]): WiringProblem[] {
  const boards: { name: string; uses: PinUse[] }[] = [];
  station.nodes.forEach((node, i) => {
    if (!node.board) return;
    const uses: PinUse[] = [];
    const mine = parts.filter((p) => p.nodeIndex === i);
    // The I2C pair is fixed by the chip: listed first, so the movable pin is the one reported.
    const i2cPart = mine.find((p) => p.bus.type === 'firmata-i2c');
    if (i2cPart) {
      const used = `used by ${i2cPart.id} (${at(i2cPart.path)})`;
      uses.push({ pin: arduinoUnoNano.i2c.sda, path: [...i2cPart.path, 'bus'], who: `its I2C SDA line, ${used}` });
      uses.push({ pin: arduinoUnoNano.i2c.scl, path: [...i2cPart.path, 'bus'], who: `its I2C SCL line, ${used}` });
    }
    for (const p of mine) {
      if (p.bus.type === 'firmata-analog') {
        // A0–A5 are Firmata pins 14–19: an analog input takes its pin like any other use.
        uses.push({ pin: 14 + p.bus.channel, path: [...p.path, 'bus', 'channel'], who: `${p.id}'s analog input (${at([...p.path, 'bus', 'channel'])})` });
        continue;
      }
      if (p.bus.type !== 'firmata-serial') continue;
      uses.push({ pin: p.bus.rx_pin, path: [...p.path, 'bus', 'rx_pin'], who: `${p.id}'s RX (${at([...p.path, 'bus', 'rx_pin'])})` });
      uses.push({ pin: p.bus.tx_pin, path: [...p.path, 'bus', 'tx_pin'], who: `${p.id}'s TX (${at([...p.path, 'bus', 'tx_pin'])})` });
    }
    station.counters.forEach((c, k) => {
      if (c.node === node.id) uses.push(...detectorUses(c, k));
    });
    boards.push({ name: node.id, uses });
  });
  station.counters.forEach((c, k) => {
    if (c.node === undefined) boards.push({ name: `counter ${c.id}'s Arduino`, uses: detectorUses(c, k) });
  });

  const problems: WiringProblem[] = [];
  for (const { name, uses } of boards) {
    const taken = new Set(uses.map((u) => u.pin));
    const suggestion = () => {
      const free = freeArduinoPins(taken)[0];
      return free === undefined ? 'no pin is free: move a part to another satellite' : `use a free pin, e.g. ${free}`;
    };
    const first = new Map<number, PinUse>();
    for (const use of uses) {
      const pinName = arduinoPinName(use.pin);
      const { first: lo, last: hi } = arduinoUnoNano.digitalPins;
      if ((arduinoUnoNano.usbSerialPins as readonly number[]).includes(use.pin)) {
        problems.push(error(use.path, `${pinName} on ${name} carries the USB serial link to the Pi; ${suggestion()}`));
        continue;
      }
      if (use.pin > hi) {
        problems.push(warning(use.path, `pin ${use.pin} is not on an Uno or Nano (Firmata's digital pins there are ${lo}–${hi}); ${suggestion()}, unless ${name} is a board with more pins`));
      }
      const prev = first.get(use.pin);
      if (prev) {
        problems.push(error(use.path, `${pinName} on ${name} is already ${prev.who}; ${suggestion()}`));
        continue;
      }
      first.set(use.pin, use);
      if (use.pin === arduinoUnoNano.ledPin && use.pullUp) {
        problems.push(warning(use.path, `${pinName} on ${name} drives the on-board LED: with the internal pull-up it may idle near 1.7 V and read as a vehicle; ${suggestion()}`));
      }
    }
  }
  return [...problems, ...softwareSerialPorts(station, parts)];
}

function detectorUses(c: StationConfig['counters'][number], k: number): PinUse[] {
  return c.counter.detectors.map((d, di) => {
    const path: WiringPath = ['counters', k, 'counter', 'detectors', di, 'pin'];
    return { pin: d.pin, path, who: `detector ${d.detector} lane ${d.lane} of counter ${c.id} (${at(path)})`, pullUp: d.active === 'low' };
  });
}

/** ConfigurableFirmata's software serial receives on one port at a time (hardware/boards/arduino-uno-nano.ts). */
function softwareSerialPorts(station: StationConfig, parts: PlacedPart[]): WiringProblem[] {
  const problems: WiringProblem[] = [];
  station.nodes.forEach((node, i) => {
    const firstByPort = new Map<number, PlacedPart>();
    for (const p of parts) {
      if (p.nodeIndex !== i || p.bus.type !== 'firmata-serial' || firstByPort.has(p.bus.port_id)) continue;
      firstByPort.set(p.bus.port_id, p);
    }
    const [listening, ...others] = [...firstByPort.entries()];
    if (!listening) return;
    for (const [, p] of others) {
      problems.push(
        warning(
          [...p.path, 'bus', 'port_id'],
          `${node.id} already has software serial port ${listening[0]} for ${listening[1].id} (${at(listening[1].path)}), and its software serial receives on one port at a time: ${p.id} loses what it sends while the other listens; move one to another satellite or to the Pi's UART`,
        ),
      );
    }
  });
  return problems;
}

// ---- Logic levels ----

function logicLevels(station: StationConfig, parts: PlacedPart[]): WiringProblem[] {
  const problems: WiringProblem[] = [];
  const pi = raspberryPi.logic;
  const arduino = arduinoUnoNano.logic;
  const piRx = `GPIO${piHeaderPins.rxd.gpio}, pin ${piHeaderPins.rxd.pin}`;
  for (const p of parts) {
    const bus = [...p.path, 'bus'];
    if (p.bus.type === 'i2c' && p.bus.bus === 0) {
      problems.push(warning([...bus, 'bus'], `i2c-0 (pins 27/28) is reserved for HAT ID EEPROMs; wire ${p.id} to i2c-1 (pins 3/5) and set bus: 1`));
    }
    const logic = p.wiring?.logic;
    if (!logic) continue;
    const why = `(${logic.source})`;
    switch (p.bus.type) {
      case 'uart': {
        const port = piSerialPort(p.bus.path);
        if (!port.onHeader) break; // a USB adapter: its own level, not the Pi's
        if (logic.outputHighV !== undefined && logic.outputHighV > pi.maxInputV) {
          const rx = port.key === 'pi:header-uart' ? `the Pi's RX (${piRx})` : `the Pi's RX pin of ${p.bus.path}`;
          problems.push(error(bus, `${p.id} drives its TX at ${logic.outputHighV} V ${why} into ${rx}, which takes ${pi.maxInputV} V at most; add a level shifter or wire it through a USB-serial adapter`));
        }
        if (logic.maxInputV < pi.outputHighV) {
          problems.push(error(bus, `${p.id} takes at most ${logic.maxInputV} V on its RX ${why} but ${port.label} drives ${pi.outputHighV} V; add a level shifter`));
        }
        break;
      }
      case 'i2c': {
        const pullUpV = raspberryPi.i2c[p.bus.bus as 0 | 1]?.pullUpV ?? pi.outputHighV;
        if (logic.maxInputV < pullUpV) {
          problems.push(error(bus, `${p.id} takes at most ${logic.maxInputV} V on SDA/SCL ${why} but i2c-${p.bus.bus} is pulled up to ${pullUpV} V; add a level shifter`));
        }
        break;
      }
      case 'firmata-serial':
        if (logic.maxInputV < arduino.outputHighV && !p.bus.level_shifted) {
          problems.push(warning(bus, `${p.id} takes ${logic.maxInputV} V logic ${why} but ${p.node.id}'s TX pin ${arduinoPinName(p.bus.tx_pin)} drives ${arduino.outputHighV} V; add a level shifter or a 5 V-tolerant breakout (then set level_shifted: true on this bus)`));
        }
        if (logic.outputHighV !== undefined && logic.outputHighV > arduino.maxInputV) {
          problems.push(error(bus, `${p.id} drives its TX at ${logic.outputHighV} V ${why} but ${p.node.id}'s RX pin takes ${arduino.maxInputV} V at most; add a level shifter`));
        }
        break;
      case 'firmata-i2c':
        if (logic.maxInputV < arduinoUnoNano.i2c.pullUpV && !p.bus.level_shifted) {
          problems.push(warning(bus, `${p.id} takes at most ${logic.maxInputV} V on SDA/SCL ${why} but ${p.node.id}'s I2C (A4/A5) is pulled up to ${arduinoUnoNano.i2c.pullUpV} V by the ATmega; add a level shifter or a 5 V-tolerant breakout (then set level_shifted: true on this bus)`));
        }
        break;
    }
  }
  // An Arduino's own serial link (USB on the board) wired straight to the Pi's header UART: 5 V TX into a 3.3 V RX.
  const arduinoOnHeader = (port: string, path: WiringPath, who: string) => {
    if (piSerialPort(port).onHeader && arduino.outputHighV > pi.maxInputV) {
      problems.push(error(path, `${who} drives ${arduino.outputHighV} V on its TX into the Pi's RX (${piRx}), which takes ${pi.maxInputV} V at most; connect it by USB (/dev/ttyACM0 or /dev/ttyUSB0) or add a level shifter`));
    }
  };
  station.nodes.forEach((node, i) => node.board && arduinoOnHeader(node.board.port, ['nodes', i, 'board', 'port'], `the Arduino of node ${node.id}`));
  station.counters.forEach((c, k) => c.node === undefined && arduinoOnHeader(c.port, ['counters', k, 'port'], `counter ${c.id}'s Arduino`));
  return problems;
}
