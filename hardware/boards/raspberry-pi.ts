// The Raspberry Pi's 40-pin header as data: which /dev paths reach which header pins, and the logic level they
// stand. The prose, with the configuration steps, is raspberry-pi.md; the [S…] marks point at its source list.
// `airlane config check` (gateway/config/wiring.ts) reads this instead of repeating it.

/** Header pin ↔ BCM GPIO, for the pins the station uses (pinout.xyz pin table [S5]). */
export const piHeaderPins = {
  sda1: { pin: 3, gpio: 2 },
  scl1: { pin: 5, gpio: 3 },
  txd: { pin: 8, gpio: 14 },
  rxd: { pin: 10, gpio: 15 },
  idSd: { pin: 27, gpio: 0 },
  idSc: { pin: 28, gpio: 1 },
} as const;

export const raspberryPi = {
  name: 'Raspberry Pi 40-pin header',
  /**
   * Every GPIO is 3.3 V logic, nothing above 3.3 V on any pin: "All UARTs on the Raspberry Pi are 3.3V only -
   * damage will occur if they are connected to 5V systems" [S1, uart.adoc]. 3.3 V in both directions.
   */
  logic: { outputHighV: 3.3, maxInputV: 3.3, source: 'Raspberry Pi documentation, Configuring UARTs [S1]' },
  /** The header UART: GPIO14 TXD (pin 8), GPIO15 RXD (pin 10) carry the primary UART [S1][S2]. */
  headerUart: {
    tx: piHeaderPins.txd,
    rx: piHeaderPins.rxd,
    /**
     * Names of what sits on pins 8/10. Only one UART can be muxed onto GPIO14/15 at a time, so two of these in one
     * station are one port used twice: /dev/ttyAMA0 (first PL011) once configured on every model, /dev/ttyS0
     * (mini UART, primary on Pi 3/4/Zero W) and /dev/serial0 (link to the primary UART) [S1]. On a Pi 5
     * /dev/serial0 is the debug connector instead [S3], so a clash involving it is certain on a Pi 1–4 only.
     */
    devices: ['/dev/ttyAMA0', '/dev/ttyS0', '/dev/serial0'],
  },
  /** Link to the secondary UART: Bluetooth on models with a radio, not normally on the header [S1]. */
  secondaryUart: '/dev/serial1',
  /**
   * Pi 4 only: four more PL011s through `dtoverlay=uart2…uart5`, TXD/RXD on GPIO 0/1, 4/5, 8/9, 12/13 (firmware
   * overlays README [S8]). Their /dev/ttyAMA numbers depend on which are enabled [U].
   */
  extraUarts: [
    { overlay: 'uart2', txGpio: 0, rxGpio: 1 },
    { overlay: 'uart3', txGpio: 4, rxGpio: 5 },
    { overlay: 'uart4', txGpio: 8, rxGpio: 9 },
    { overlay: 'uart5', txGpio: 12, rxGpio: 13 },
  ],
  /**
   * Serial devices that are not header pins: USB-serial adapters (FTDI, CH340 → ttyUSB; CDC-ACM such as an Uno
   * → ttyACM) and the stable udev names for them. Their logic level is the adapter's, not the Pi's.
   */
  usbSerial: [/^\/dev\/ttyUSB\d+$/, /^\/dev\/ttyACM\d+$/, /^\/dev\/serial\/by-(id|path)\//],
  i2c: {
    /** I2C-1 on GPIO2/3 (pins 3/5), /dev/i2c-1, fixed 1.8 kΩ pull-ups to 3.3 V [S6][S9]. */
    1: { sda: piHeaderPins.sda1, scl: piHeaderPins.scl1, pullUpV: 3.3 },
    /** I2C-0 on GPIO0/1 (pins 27/28) is reserved for HAT ID EEPROMs [S6]. */
    0: { sda: piHeaderPins.idSd, scl: piHeaderPins.idSc, pullUpV: 3.3, reserved: 'HAT ID EEPROM' },
  },
  sources: [
    '[S1] raspberrypi/documentation, documentation/asciidoc/computers/configuration/uart.adoc',
    '[S2] raspberrypi/documentation, config_txt/boot.adoc (enable_uart: GPIOs 14 and 15, pins 8 and 10)',
    '[S3] raspberrypi/documentation PR #3294 (Pi 5: /dev/serial0 → /dev/ttyAMA10, the debug UART)',
    '[S5] pinout-xyz/Pinout.xyz src/en/template/pinout.yaml',
    '[S6] pinout-xyz/Pinout.xyz src/en/overlay/i2c.md',
    '[S8] Raspberry Pi firmware /boot/overlays/README (i2c_arm, uart2–uart5)',
    '[S9] fivdi/i2c-bus doc/raspberry-pi-i2c.md',
  ],
} as const;

/** What a serial path in a station file is on a Pi: a header UART (3.3 V pins), a USB adapter, or unknown. */
export interface PiSerialPort {
  /** Paths naming the same hardware share this key. */
  key: string;
  /** For messages: "the Pi's header UART (pins 8/10)". */
  label: string;
  /** True when the path is the Pi's own GPIO pins, so the Pi's 3.3 V logic applies. */
  onHeader: boolean;
}

export function piSerialPort(path: string): PiSerialPort {
  if ((raspberryPi.headerUart.devices as readonly string[]).includes(path)) {
    return { key: 'pi:header-uart', label: `the Pi's header UART (pins ${piHeaderPins.txd.pin}/${piHeaderPins.rxd.pin})`, onHeader: true };
  }
  if (raspberryPi.usbSerial.some((re) => re.test(path))) return { key: path, label: path, onHeader: false };
  // Another PL011 (Pi 4 uart2–5, Pi 5 UARTs) is still a header UART at 3.3 V; anything else is not known here.
  return { key: path, label: path, onHeader: /^\/dev\/ttyAMA\d+$/.test(path) };
}
