// A UART part wired to an Arduino, seen from the Pi as a Duplex stream: bytes written go out through firmata.js's
// serialWrite (SERIAL_WRITE), bytes the part sends come back as SERIAL_REPLY messages from a continuous serialRead
// (firmata/protocol serial-1.0.md; firmata-io lib/firmata.js). A driver that takes a serialport or any Duplex, such
// as the PMS5003's, runs over it unchanged.
//
// Facts that shape it (firmata/ConfigurableFirmata src/SerialFirmata.cpp, .h; Boards.h):
// - Serial needs ConfigurableFirmata built with SerialFirmata (or StandardFirmataPlus); plain StandardFirmata
//   ignores the messages without a word, so it is refused here by its name.
// - On a Uno or Nano (ATmega328P) the only hardware UART is the USB link to the Pi: SerialFirmata refuses
//   HW_SERIAL0, and HW_SERIAL1-3 exist only on a Mega. UART parts go on software serial ports 0x08-0x0B on two
//   digital pins of your choice.
// - AVR SoftwareSerial receives on one port at a time (the one that last called listen()); a second software port
//   receiving on the same board would miss its bytes, so it is refused.
// - Use port ids 0x08-0x0B as numbers: firmata.js's SERIAL_PORT_IDs gives SW_SERIAL2/3 as 0x10/0x11, which are
//   not the protocol's 0x0A/0x0B.
import { Duplex } from 'node:stream';
import type { Firmata } from './firmata.js';

/** The part of firmata.js this port uses. */
export type FirmataSerialIo = Pick<
  Firmata,
  'serialConfig' | 'serialWrite' | 'serialRead' | 'serialStop' | 'serialClose' | 'once' | 'removeListener' | 'firmware' | 'pins' | 'transport'
>;

export interface FirmataSerialOptions {
  /** 0x08-0x0B software serial (any board); 0x01-0x03 hardware Serial1-3 (Mega only). */
  portId: number;
  baud: number;
  /** Board pin the part's TX is wired to (software ports only). */
  rxPin?: number;
  /** Board pin the part's RX is wired to (software ports only). */
  txPin?: number;
  /** Where the port is, for error messages; default from the board's serial path, port and pins. */
  where?: string;
}

// A sysex message holds at most 64 bytes after START_SYSEX (FirmataConstants.h MAX_DATA_BYTES): command, port and
// 2 bytes per data byte leave room for 31.
const MAX_WRITE_CHUNK = 31;
// Baud travels in three 7-bit bytes ("Serial Config").
const MAX_BAUD = 2 ** 21 - 1;
const MODE_INPUT = 0x00;
const MODE_OUTPUT = 0x01;

const isSoftware = (portId: number) => portId >= 0x08 && portId <= 0x0b;
const portName = (portId: number) => `0x${portId.toString(16).padStart(2, '0')}`;

/** Software ports receiving on each board (SoftwareSerial listens on one). */
const receiving = new WeakMap<object, number>();

export class FirmataSerialPort extends Duplex {
  readonly portId: number;
  readonly where: string;
  private linkClosed = false;
  private readonly onLinkClose = () => {
    this.linkClosed = true;
    this.destroy(new Error(`${this.where}: the Firmata link to the board closed`));
  };

  constructor(
    private readonly io: FirmataSerialIo,
    options: FirmataSerialOptions,
  ) {
    super();
    const { portId, baud, rxPin, txPin } = options;
    this.portId = portId;
    const board = io.transport?.path ?? 'the Firmata board';
    this.where =
      options.where ??
      (isSoftware(portId) ? `${board} software serial ${portName(portId)} (RX pin ${rxPin}, TX pin ${txPin})` : `${board} Serial${portId}`);
    check(io, options, this.where);

    io.serialConfig(isSoftware(portId) ? { portId, baud, rxPin: rxPin!, txPin: txPin! } : { portId, baud });
    io.serialRead(portId, (data) => {
      if (!this.destroyed) this.push(Buffer.from(data));
    });
    if (isSoftware(portId)) receiving.set(io, portId);
    io.once('close', this.onLinkClose);
  }

  /** Stop reading, close the port on the board, and end the stream. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.once('close', () => resolve());
      this.destroy();
    });
  }

  override _read(): void {
    // Bytes are pushed as SERIAL_REPLY messages arrive; the board cannot be asked to hold them.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.linkClosed) return callback(new Error(`${this.where}: the Firmata link to the board is closed`));
    try {
      for (let i = 0; i < chunk.length; i += MAX_WRITE_CHUNK) this.io.serialWrite(this.portId, [...chunk.subarray(i, i + MAX_WRITE_CHUNK)]);
      callback();
    } catch (e) {
      callback(new Error(`${this.where}: write failed: ${(e as Error).message}`));
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.io.removeListener('close', this.onLinkClose);
    if (receiving.get(this.io) === this.portId) receiving.delete(this.io);
    if (!this.linkClosed) {
      try {
        this.io.serialStop(this.portId);
        this.io.serialClose(this.portId);
      } catch {
        // the link went away while closing: nothing left to tell the board
      }
    }
    callback(error);
  }
}

/** A Duplex over a serial port of a Firmata board; see FirmataSerialPort. */
export function firmataSerialPort(io: FirmataSerialIo, options: FirmataSerialOptions): FirmataSerialPort {
  return new FirmataSerialPort(io, options);
}

function check(io: FirmataSerialIo, { portId, baud, rxPin, txPin }: FirmataSerialOptions, where: string): void {
  const firmware = io.firmware?.name ?? '';
  if (/^StandardFirmata(\.ino)?$/i.test(firmware)) {
    throw new Error(
      `${where}: the board runs ${firmware}, which has no serial support; flash ConfigurableFirmata with ` +
        'ENABLE_SERIAL (or StandardFirmataPlus) to use a UART part on it',
    );
  }
  if (portId === 0x00) {
    throw new Error(
      `${where}: HW_SERIAL0 is the board's own link to the Pi and ConfigurableFirmata refuses it; wire the part to ` +
        'two free digital pins and use software serial port 0x08',
    );
  }
  if (!(Number.isInteger(portId) && ((portId >= 0x01 && portId <= 0x03) || isSoftware(portId)))) {
    throw new RangeError(`${where}: serial port id must be 0x08-0x0B (software) or 0x01-0x03 (Mega hardware); got ${portId}`);
  }
  if (!(Number.isInteger(baud) && baud > 0 && baud <= MAX_BAUD)) throw new RangeError(`${where}: baud must be 1-${MAX_BAUD}; got ${baud}`);
  if (!isSoftware(portId)) return;
  if (rxPin === undefined || txPin === undefined) {
    throw new Error(`${where}: a software serial port needs rx_pin and tx_pin (the board pins the part's TX and RX are wired to)`);
  }
  if (rxPin === txPin) throw new Error(`${where}: rx_pin and tx_pin are both ${rxPin}; they must be two different pins`);
  for (const [name, pin] of [['rx_pin', rxPin], ['tx_pin', txPin]] as const) {
    const modes = io.pins?.[pin]?.supportedModes;
    // Pins 0 and 1 carry the USB link and offer no mode at all in the capability report (Boards.h IS_PIN_DIGITAL).
    if (io.pins?.length && !(modes?.includes(MODE_INPUT) && modes.includes(MODE_OUTPUT))) {
      throw new Error(`${where}: ${name} ${pin} is not a free digital pin on this board (pins 0 and 1 are its USB link)`);
    }
  }
  const other = receiving.get(io);
  if (other !== undefined && other !== portId) {
    throw new Error(
      `${where}: software serial ${portName(other)} already receives on this board, and SoftwareSerial receives on one ` +
        'port at a time; put the second UART part on another Arduino or on a UART of the Pi',
    );
  }
}
