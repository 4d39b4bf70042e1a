// The Arduino Uno / Nano (ATmega328P) satellite as data: which pins Firmata offers, which are taken, and the logic
// level it drives. The prose and its sources are arduino-uno-nano.md; `airlane config check`
// (gateway/config/wiring.ts) reads this instead of repeating it.

export const arduinoUnoNano = {
  name: 'Arduino Uno / Nano (ATmega328P)',
  /**
   * 5 V logic: outputs drive VCC, inputs read HIGH above about 3 V and take at most VCC + 0.5 V (ATmega328P
   * datasheet, absolute maximum ratings [U: figures not re-read]).
   */
  logic: { outputHighV: 5, maxInputV: 5.5, source: 'Microchip ATmega328P datasheet, DC characteristics [U]' },
  /** Firmata's digital pins on the ATmega328P (firmata/arduino Boards.h: IS_PIN_DIGITAL(p) 2…19). */
  digitalPins: { first: 2, last: 19 },
  /** D0/D1: the hardware serial port, the USB link to the Pi; Firmata never offers them (Boards.h). */
  usbSerialPins: [0, 1],
  /** A0–A5 are digital 14–19 (Boards.h: PIN_TO_ANALOG(p) = p − 14). */
  analogPins: { first: 14, last: 19 },
  /**
   * A4 = 18 = SDA, A5 = 19 = SCL (Boards.h: IS_PIN_I2C). ConfigurableFirmata's I2C_CONFIG calls Wire.begin()
   * (I2CFirmata.cpp, enableI2CPins), whose twi_init turns on the ATmega's internal pull-ups on both ("activate
   * internal pullups for twi", arduino/ArduinoCore-avr libraries/Wire/src/utility/twi.c): the bus idles at 5 V
   * through 20–50 kΩ (ATmega328P R_PU).
   */
  i2c: { sda: 18, scl: 19, pullUpV: 5 },
  /** External interrupts INT0/INT1. Firmata reports digital inputs by polling ports, so counters need not use them. */
  interruptPins: [2, 3],
  /**
   * D13 carries the on-board LED: with the internal pull-up an input idles around 1.7 V on many boards (Arduino
   * "Digital Pins" page; the Nano has no op-amp buffer, aconcaguasci.blogspot.com 2021). Avoid it as a pull-up input.
   */
  ledPin: 13,
  /**
   * Software serial ports SW_SERIAL0–3 = port ids 8–11 (firmata/protocol serial.md). Arduino's SoftwareSerial
   * receives on one port at a time: ConfigurableFirmata's SerialFirmata has SERIAL_LISTEN to switch which
   * (`listen()` "on software serial ports" only), so a second port loses what arrives while the first listens.
   */
  softwareSerial: { firstPortId: 8, lastPortId: 11, receivesOnePortAtATime: true },
  sources: [
    'firmata/arduino Boards.h (ATmega168/328P block)',
    'firmata/protocol serial.md; firmata/ConfigurableFirmata src/SerialFirmata.cpp (SERIAL_LISTEN), src/I2CFirmata.cpp (Wire.begin)',
    'arduino/ArduinoCore-avr libraries/Wire/src/utility/twi.c (twi_init pull-ups)',
    'Microchip ATmega328P datasheet, DC characteristics (R_PU 20–50 kΩ)',
    'Arduino documentation, Digital Pins (pin 13)',
  ],
} as const;

/** "D10", or "A4 (pin 18)" for the analog pins Firmata numbers 14–19. */
export function arduinoPinName(pin: number): string {
  const { first, last } = arduinoUnoNano.analogPins;
  return pin >= first && pin <= last ? `A${pin - first} (pin ${pin})` : `D${pin}`;
}

/** Pins free for a new input or software serial line: digital, not the LED, not the I2C pair, not in `used`. */
export function freeArduinoPins(used: ReadonlySet<number>): number[] {
  const { first, last } = arduinoUnoNano.digitalPins;
  const free: number[] = [];
  for (let p: number = first; p <= last; p++) {
    if (p === arduinoUnoNano.ledPin || p === arduinoUnoNano.i2c.sda || p === arduinoUnoNano.i2c.scl || used.has(p)) continue;
    free.push(p);
  }
  return free;
}
