import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partModules } from '../../firmware/drivers/index.js';
import type { PartModule } from '../../firmware/drivers/types.js';
import { arduinoPinName, freeArduinoPins } from '../../hardware/boards/arduino-uno-nano.js';
import { piSerialPort } from '../../hardware/boards/raspberry-pi.js';
import { loadStation, parseStation } from './load.js';
import { checkWiring, formatWiringProblem } from './wiring.js';

const check = (yaml: string, modules: readonly PartModule<any>[] = partModules) => checkWiring(parseStation(yaml, 'station.yaml', {}, { checkWiring: false }), modules);

const NO2 = `serial_number: "202440338", we_zero_electronic_mv: 232.95, ae_zero_electronic_mv: 217.2, we_zero_sensor_mv: -29.492, ae_zero_sensor_mv: -18.396, sensitivity_mv_per_ppb: 0.247543`;

describe('I2C addresses', () => {
  it('names the part a strap can move, its address key and the free address (sht3x ADDR high)', () => {
    const problems = check(`site: rue
nodes:
  - id: n1
    parts:
      - { part: pms5003, bus: { type: uart, path: /dev/ttyAMA0 } }
      - { part: bme280, bus: { type: i2c, bus: 1 } }
      - { part: sps30, bus: { type: i2c, bus: 1 } }
      - { part: sht3x, bus: { type: i2c, bus: 1 } }
      - { part: pmsa003i, bus: { type: i2c, bus: 1 } }
      - { part: sht4x, bus: { type: i2c, bus: 1 } }
`);
    expect(problems).toEqual([
      {
        path: ['nodes', 0, 'parts', 3, 'options', 'address'],
        message: 'sht3x at 0x44 clashes with sht4x (nodes.0.parts.5) on i2c-1; set address: 0x45 (ADDR pin high) or move one to another bus',
        severity: 'error',
      },
    ]);
    expect(formatWiringProblem(problems[0]!)).toBe(
      'nodes.0.parts.3.options.address: sht3x at 0x44 clashes with sht4x (nodes.0.parts.5) on i2c-1; set address: 0x45 (ADDR pin high) or move one to another bus',
    );
  });

  it('treats the Pi bus as one across the nodes on this Pi', () => {
    expect(
      check(`site: rue
nodes:
  - id: n1
    parts: [{ part: bme280, bus: { type: i2c, bus: 1 } }]
  - id: n2
    parts: [{ part: bme280, bus: { type: i2c, bus: 1 } }]
`),
    ).toEqual([
      {
        path: ['nodes', 1, 'parts', 0, 'options', 'address'],
        message: 'bme280 at 0x76 clashes with bme280 (nodes.0.parts.0) on i2c-1; set address: 0x77 (SDO to VDDIO) or move one to another bus',
        severity: 'error',
      },
    ]);
  });

  it("names the chip behind a part and its own address key (no2-b43f's ADS1115)", () => {
    expect(
      check(`site: rue
nodes:
  - id: n1
    parts:
      - { part: no2-b43f, bus: { type: i2c, bus: 1 }, options: { ${NO2} } }
      - { part: no2-b43f, bus: { type: i2c, bus: 1 }, options: { ${NO2}, ads1115_address: 0x48 } }
`),
    ).toEqual([
      {
        path: ['nodes', 0, 'parts', 1, 'options', 'ads1115_address'],
        message: "no2-b43f's ADS1115 at 0x48 clashes with no2-b43f's ADS1115 (nodes.0.parts.0) on i2c-1; set ads1115_address: 0x49 (ADDR to VDD) or move one to another bus",
        severity: 'error',
      },
    ]);
  });

  it('offers another part variant when no strap can help, and only a free address', () => {
    expect(
      check(`site: rue
nodes:
  - id: n1
    parts:
      - { part: sht3x, bus: { type: i2c, bus: 1 }, options: { address: 0x45 } }
      - { part: sht4x, bus: { type: i2c, bus: 1 } }
      - { part: sht4x, bus: { type: i2c, bus: 1 } }
`),
    ).toEqual([
      {
        path: ['nodes', 0, 'parts', 2, 'options', 'address'],
        message: 'sht4x at 0x44 clashes with sht4x (nodes.0.parts.1) on i2c-1; set address: 0x46 (fit an SHT40-CD1B) or move one to another bus',
        severity: 'error',
      },
    ]);
  });

  it('says when neither address can change', () => {
    expect(
      check(`site: rue
nodes:
  - id: n1
    parts:
      - { part: pmsa003i, bus: { type: i2c, bus: 1 } }
      - { part: pmsa003i, bus: { type: i2c, bus: 1 } }
`),
    ).toEqual([
      {
        path: ['nodes', 0, 'parts', 1],
        message: 'pmsa003i at 0x12 clashes with pmsa003i (nodes.0.parts.0) on i2c-1; neither can take another free address there: move one to another bus',
        severity: 'error',
      },
    ]);
  });

  it("checks a satellite's I2C on its own, apart from the Pi's", () => {
    const problems = check(`site: rue
nodes:
  - id: pi
    parts: [{ part: sht4x, bus: { type: i2c, bus: 1 } }]
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sht4x, bus: { type: firmata-i2c } }
      - { part: sht3x, bus: { type: firmata-i2c } }
`);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([
      {
        path: ['nodes', 1, 'parts', 1, 'options', 'address'],
        message: "sht3x at 0x44 clashes with sht4x (nodes.1.parts.0) on nano's I2C (A4/A5); set address: 0x45 (ADDR pin high) or move one to another bus",
        severity: 'error',
      },
    ]);
  });
});

describe('serial ports', () => {
  it('refuses two parts on one UART path', () => {
    expect(
      check(`site: rue
nodes:
  - id: n1
    parts:
      - { part: sds011, bus: { type: uart, path: /dev/ttyUSB0 } }
      - { part: pms5003, bus: { type: uart, path: /dev/ttyUSB0 } }
`),
    ).toEqual([
      {
        path: ['nodes', 0, 'parts', 1, 'bus', 'path'],
        message: '/dev/ttyUSB0 is used twice: also by sds011 (nodes.0.parts.0); give each its own port (a second sensor on a USB-serial adapter, /dev/ttyUSB1)',
        severity: 'error',
      },
    ]);
  });

  it('knows /dev/serial0 and /dev/ttyAMA0 are the same header pins, across nodes', () => {
    expect(
      check(`site: rue
nodes:
  - id: n1
    parts: [{ part: pms5003, bus: { type: uart, path: /dev/ttyAMA0 } }]
  - id: n2
    parts: [{ part: sps30, bus: { type: uart, path: /dev/serial0 } }]
`),
    ).toEqual([
      {
        path: ['nodes', 1, 'parts', 0, 'bus', 'path'],
        message:
          "/dev/serial0 is used twice: also by pms5003 (nodes.0.parts.0) as /dev/ttyAMA0, the same header UART (pins 8/10) on a Pi 1–4; give each its own port (a second sensor on a USB-serial adapter, /dev/ttyUSB1)",
        severity: 'error',
      },
    ]);
  });

  it("points a counter on a satellite's port at `node:`", () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyACM0 }
    parts: [{ part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11 } }]
counters:
  - id: c1
    type: firmata
    counter: { detectors: [{ detector: loop-a, pin: 2 }] }
`),
    ).toEqual([
      {
        path: ['counters', 0, 'port'],
        message: '/dev/ttyACM0 is used twice: also by the Arduino of node nano (nodes.0.board.port); to count on that Arduino, give the counter node: nano instead of a port',
        severity: 'error',
      },
    ]);
  });

  it('refuses two counters on one port, and a part on a board port', () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts: [{ part: sds011, bus: { type: uart, path: /dev/ttyUSB0 } }]
counters:
  - { id: c1, type: firmata, port: /dev/ttyACM1, counter: { detectors: [{ detector: a, pin: 2 }] } }
  - { id: c2, type: firmata, port: /dev/ttyACM1, counter: { detectors: [{ detector: b, pin: 2 }] } }
`).map(formatWiringProblem),
    ).toEqual([
      'nodes.0.parts.0.bus.path: /dev/ttyUSB0 is used twice: also by the Arduino of node nano (nodes.0.board.port); give each its own port (a second sensor on a USB-serial adapter, /dev/ttyUSB1)',
      'counters.1.port: /dev/ttyACM1 is used twice: also by counter c1 (counters.0.port); one Arduino runs one counter: put all its detectors in one counter entry',
    ]);
  });

  it("refuses two parts on one satellite's software serial port", () => {
    const problems = check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11 } }
      - { part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 4, tx_pin: 5 } }
`);
    expect(problems).toEqual([
      {
        path: ['nodes', 0, 'parts', 1, 'bus', 'port_id'],
        message: 'software serial port 8 of nano is used twice: also by sps30 (nodes.0.parts.0); give each part its own port_id (8–11) and its own rx_pin/tx_pin',
        severity: 'error',
      },
    ]);
  });
});

describe('satellite pins', () => {
  it('refuses a pin used twice (RX = TX) and offers a free one', () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 10 } }
`).map(formatWiringProblem),
    ).toEqual([
      "nodes.0.parts.0.bus.tx_pin: D10 on nano is already sps30's RX (nodes.0.parts.0.bus.rx_pin); use a free pin, e.g. 2",
    ]);
  });

  it('refuses the USB serial pins 0/1 (the schema already does; the board map says why)', () => {
    const station = parseStation(
      `site: rue\ncounters:\n  - { id: c1, type: firmata, port: /dev/ttyACM0, counter: { detectors: [{ detector: a, pin: 2 }] } }\n`,
      'station.yaml',
      {},
    );
    station.counters[0]!.counter.detectors[0]!.pin = 1;
    expect(checkWiring(station, partModules).map(formatWiringProblem)).toEqual([
      "counters.0.counter.detectors.0.pin: D1 on counter c1's Arduino carries the USB serial link to the Pi; use a free pin, e.g. 2",
    ]);
  });

  it("refuses A4/A5 for serial when the satellite has an I2C part", () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 18, tx_pin: 2 } }
      - { part: sht3x, bus: { type: firmata-i2c } }
`),
    ).toEqual([
      {
        path: ['nodes', 0, 'parts', 0, 'bus', 'rx_pin'],
        message: 'A4 (pin 18) on nano is already its I2C SDA line, used by sht3x (nodes.0.parts.1); use a free pin, e.g. 3',
        severity: 'error',
      },
    ]);
  });

  it("refuses a detector of a counter sharing the satellite on one of its serial pins", () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 2, tx_pin: 3 } }
counters:
  - id: loops
    type: firmata
    node: nano
    counter:
      detectors:
        - { detector: loop-in, lane: "1", pin: 3 }
        - { detector: loop-in, lane: "2", pin: 4 }
`),
    ).toEqual([
      {
        path: ['counters', 0, 'counter', 'detectors', 0, 'pin'],
        message: "D3 on nano is already sps30's TX (nodes.0.parts.0.bus.tx_pin); use a free pin, e.g. 5",
        severity: 'error',
      },
    ]);
  });

  it('warns about a second software serial port, the LED pin as a pull-up input and pins an Uno lacks', () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11 } }
      - { part: sps30, bus: { type: firmata-serial, port_id: 9, rx_pin: 8, tx_pin: 9 } }
counters:
  - id: loops
    type: firmata
    port: /dev/ttyACM0
    counter:
      detectors:
        - { detector: loop-a, pin: 13 }
        - { detector: loop-b, pin: 25 }
`),
    ).toEqual([
      {
        path: ['counters', 0, 'counter', 'detectors', 0, 'pin'],
        message: "D13 on counter loops's Arduino drives the on-board LED: with the internal pull-up it may idle near 1.7 V and read as a vehicle; use a free pin, e.g. 2",
        severity: 'warning',
      },
      {
        path: ['counters', 0, 'counter', 'detectors', 1, 'pin'],
        message: "pin 25 is not on an Uno or Nano (Firmata's digital pins there are 2–19); use a free pin, e.g. 2, unless counter loops's Arduino is a board with more pins",
        severity: 'warning',
      },
      {
        path: ['nodes', 0, 'parts', 1, 'bus', 'port_id'],
        message:
          "nano already has software serial port 8 for sps30 (nodes.0.parts.0), and its software serial receives on one port at a time: sps30 loses what it sends while the other listens; move one to another satellite or to the Pi's UART",
        severity: 'warning',
      },
    ]);
  });
});

describe('logic levels', () => {
  it('takes level_shifted: true as the installer\'s word that a shifter is fitted', () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sds011, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11, level_shifted: true } }
      - { part: bme280, bus: { type: firmata-i2c, level_shifted: true } }
`),
    ).toEqual([]);
  });

  it('warns about a 3.3 V part on an Arduino, on serial and on I2C', () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/ttyUSB0 }
    parts:
      - { part: sds011, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11 } }
      - { part: bme280, bus: { type: firmata-i2c } }
      - { part: sht3x, bus: { type: firmata-i2c } }
`),
    ).toEqual([
      {
        path: ['nodes', 0, 'parts', 0, 'bus'],
        message:
          "sds011 takes 3.3 V logic (Nova SDS011 specification V1.3, Interface specification: UART TTL @3.3V) but nano's TX pin D11 drives 5 V; add a level shifter or a 5 V-tolerant breakout (then set level_shifted: true on this bus)",
        severity: 'warning',
      },
      {
        path: ['nodes', 0, 'parts', 1, 'bus'],
        message:
          "bme280 takes at most 3.6 V on SDA/SCL (Bosch BST-BME280-DS002 §1, VDDIO ≤ 3.6 V) but nano's I2C (A4/A5) is pulled up to 5 V by the ATmega; add a level shifter or a 5 V-tolerant breakout (then set level_shifted: true on this bus)",
        severity: 'warning',
      },
    ]);
  });

  it("refuses a 5 V-logic output on a Pi pin, but not on a USB adapter", () => {
    const fiveVolt = partModules.map((m) =>
      m.definition.id === 'sds011' ? { ...m, wiring: () => ({ buses: ['serial' as const], logic: { maxInputV: 5.5, outputHighV: 5, source: 'test part' } }) } : m,
    );
    const station = `site: rue
nodes:
  - id: n1
    parts:
      - { part: sds011, bus: { type: uart, path: /dev/ttyAMA0 } }
      - { part: sds011, bus: { type: uart, path: /dev/ttyUSB0 } }
`;
    expect(check(station, fiveVolt)).toEqual([
      {
        path: ['nodes', 0, 'parts', 0, 'bus'],
        message: "sds011 drives its TX at 5 V (test part) into the Pi's RX (GPIO15, pin 10), which takes 3.3 V at most; add a level shifter or wire it through a USB-serial adapter",
        severity: 'error',
      },
    ]);
    expect(check(station)).toEqual([]);
  });

  it("refuses an Arduino wired to the Pi's header UART instead of USB", () => {
    expect(
      check(`site: rue
nodes:
  - id: nano
    board: { type: firmata, port: /dev/serial0 }
    parts: [{ part: sps30, bus: { type: firmata-serial, port_id: 8, rx_pin: 10, tx_pin: 11 } }]
`),
    ).toEqual([
      {
        path: ['nodes', 0, 'board', 'port'],
        message: "the Arduino of node nano drives 5 V on its TX into the Pi's RX (GPIO15, pin 10), which takes 3.3 V at most; connect it by USB (/dev/ttyACM0 or /dev/ttyUSB0) or add a level shifter",
        severity: 'error',
      },
    ]);
  });

  it('warns off i2c-0, the HAT EEPROM bus', () => {
    expect(check(`site: rue\nnodes:\n  - id: n1\n    parts: [{ part: sht3x, bus: { type: i2c, bus: 0 } }]\n`)).toEqual([
      {
        path: ['nodes', 0, 'parts', 0, 'bus', 'bus'],
        message: 'i2c-0 (pins 27/28) is reserved for HAT ID EEPROMs; wire sht3x to i2c-1 (pins 3/5) and set bus: 1',
        severity: 'warning',
      },
    ]);
  });

  it('skips a part on a bus kind it does not speak (refused when opened)', () => {
    expect(
      check(`site: rue
nodes:
  - id: n1
    parts:
      - { part: bme280, bus: { type: uart, path: /dev/ttyAMA0 } }
      - { part: pms5003, bus: { type: i2c, bus: 1 } }
      - { part: bme280, bus: { type: i2c, bus: 1 } }
`),
    ).toEqual([]);
  });
});

describe('station profiles', () => {
  const dir = new URL('../../hardware/stations/', import.meta.url).pathname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  // The satellites' 3.3 V parts are declared level-shifted (level_shifted: true), so nothing is left to say.
  const expected: Record<string, string[]> = { 'demo.yaml': [], 'full.yaml': [], 'kerbside-pi.yaml': [], 'satellite-nano.yaml': [] };

  it.each(files)('%s has no wiring errors', (f) => {
    const problems = checkWiring(loadStation(join(dir, f), { AIRLANE_HTTP_TOKEN: 'test-token-0123456789abcdef' }), partModules);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(problems.map(formatWiringProblem)).toEqual(expected[f]);
  });
});

describe('board maps', () => {
  it('tells header UART paths from USB adapters', () => {
    expect(piSerialPort('/dev/serial0')).toEqual(piSerialPort('/dev/ttyAMA0'));
    expect(piSerialPort('/dev/ttyS0')).toMatchObject({ key: 'pi:header-uart', onHeader: true });
    expect(piSerialPort('/dev/ttyAMA2')).toEqual({ key: '/dev/ttyAMA2', label: '/dev/ttyAMA2', onHeader: true });
    for (const usb of ['/dev/ttyUSB0', '/dev/ttyACM1', '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0']) {
      expect(piSerialPort(usb)).toEqual({ key: usb, label: usb, onHeader: false });
    }
  });

  it("names Arduino pins as Firmata numbers them and keeps the LED, I2C and taken pins out of the free list", () => {
    expect([arduinoPinName(2), arduinoPinName(14), arduinoPinName(19)]).toEqual(['D2', 'A0 (pin 14)', 'A5 (pin 19)']);
    expect(freeArduinoPins(new Set([2, 3, 10, 11]))).toEqual([4, 5, 6, 7, 8, 9, 12, 14, 15, 16, 17]);
  });
});
