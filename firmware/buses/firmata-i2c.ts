// The I2cBus drivers use (firmware/buses/i2c.ts), carried over Firmata: chips on an Arduino's A4/A5 read through
// firmata.js's i2cConfig / i2cWrite / i2cReadOnce (firmata-io lib/firmata.js) and the board's I2C_REQUEST /
// I2C_REPLY messages (firmata/protocol i2c.md). A driver such as the BME280's runs over it unchanged.
//
// What the Firmata layer cannot do, and how this bus deals with it:
// - A write gets no answer: a chip that does not acknowledge it goes unnoticed. Reads do get one; an address nobody
//   acknowledges answers with no data bytes (I2CFirmata readAndReportData), which becomes an error here.
// - firmata.js keys replies by "I2C-reply-<address>-<register>" and hands each to the first waiting callback, so two
//   reads in flight for the same key would swap answers. Requests therefore go one at a time per board.
// - A reply that comes after its timeout is taken by the next read of the same address and register, if any.
import { FakeI2cBus, I2cError, type I2cBus, type I2cDeviceSim } from './i2c.js';
import type { Firmata } from './firmata.js';

/** The part of firmata.js this bus uses. */
export type FirmataI2cIo = Pick<Firmata, 'i2cConfig' | 'i2cWrite' | 'i2cReadOnce' | 'once' | 'removeListener'>;

export interface FirmataI2cOptions {
  /** How long a read waits for the board's I2C_REPLY. Default 1000 ms. */
  timeoutMs?: number;
  /**
   * Microseconds the board waits between a register-pointer write and the read (I2C_CONFIG delay), for chips that
   * need it. 0–127: firmata.js sends the delay as whole bytes, so a larger value would break the message.
   */
  delayUs?: number;
  /** Where the board is, for error messages ("the Firmata board on /dev/ttyACM0"). */
  where?: string;
}

// A sysex message holds at most 64 bytes after START_SYSEX (FirmataConstants.h MAX_DATA_BYTES); a write request
// spends 3 on command, address and mode and 2 per data byte.
const MAX_WRITE = 30;
// I2CFirmata keeps the register and the data in `byte i2cRxData[32]` (I2CFirmata.h): a 32-byte read writes one byte
// past it. Wire itself returns at most 32 (BUFFER_LENGTH).
const MAX_READ = 31;

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** One request at a time per board, shared by every bus made over the same io. */
const queues = new WeakMap<object, Promise<unknown>>();
function serialize<T>(io: object, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(io) ?? Promise.resolve()).then(task, task);
  queues.set(io, run.catch(() => undefined));
  return run;
}

/** An I2cBus over a Firmata board's I2C (I2C_CONFIG is sent once, here). */
export function firmataI2cBus(io: FirmataI2cIo, options: FirmataI2cOptions = {}): I2cBus {
  const timeoutMs = options.timeoutMs ?? 1000;
  const delayUs = options.delayUs ?? 0;
  const where = options.where ?? 'the Firmata board';
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) throw new RangeError(`timeoutMs must be a positive number; got ${timeoutMs}`);
  if (!Number.isInteger(delayUs) || delayUs < 0 || delayUs > 127) {
    throw new RangeError(`delayUs must be an integer 0-127 (firmata.js sends I2C_CONFIG's delay as raw bytes); got ${delayUs}`);
  }
  io.i2cConfig({ delay: delayUs });

  const checkAddress = (address: number) => {
    if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
      throw new RangeError(`I2C address must be a 7-bit address 0x00-0x7f; got ${address}`);
    }
  };
  const checkLength = (address: number, length: number) => {
    if (!Number.isInteger(length) || length < 1 || length > MAX_READ) {
      throw new I2cError(`I2C read of ${length} bytes from ${hex(address)} via ${where}: Firmata reads 1-${MAX_READ} bytes at a time`, address);
    }
  };

  const readOnce = (address: number, register: number | null, length: number): Promise<Uint8Array> =>
    serialize(io, () => {
      const what = register === null ? hex(address) : `${hex(address)} register ${hex(register)}`;
      return new Promise<Uint8Array>((resolve, reject) => {
        const event = `I2C-reply-${address}-${register ?? 0}`;
        const onReply = (data: number[]) => {
          clearTimeout(timer);
          if (data.length < length) {
            reject(
              new I2cError(
                data.length === 0
                  ? `no I2C device answered at ${what} via ${where} (0 of ${length} bytes); check SDA on A4, SCL on A5, ` +
                      'power, pull-ups and the address'
                  : `I2C read of ${what} via ${where} returned ${data.length} of ${length} bytes`,
                address,
              ),
            );
          } else resolve(Uint8Array.from(data.slice(0, length), (b) => b & 0xff));
        };
        const timer = setTimeout(() => {
          io.removeListener(event, onReply as never);
          reject(
            new I2cError(
              `no I2C reply for ${what} from ${where} within ${timeoutMs} ms; check that the board runs ` +
                'StandardFirmata or ConfigurableFirmata with I2C and that its USB link is up',
              address,
            ),
          );
        }, timeoutMs);
        try {
          if (register === null) io.i2cReadOnce(address, length, onReply);
          else io.i2cReadOnce(address, register, length, onReply);
        } catch (e) {
          clearTimeout(timer);
          io.removeListener(event, onReply as never);
          reject(new I2cError(`I2C read of ${what} via ${where} failed: ${(e as Error).message}`, address));
        }
      });
    });

  return {
    async write(address, data) {
      checkAddress(address);
      if (data.length < 1 || data.length > MAX_WRITE) {
        throw new I2cError(`I2C write of ${data.length} bytes to ${hex(address)} via ${where}: Firmata writes 1-${MAX_WRITE} bytes at a time`, address);
      }
      await serialize(io, async () => {
        try {
          io.i2cWrite(address, [...data]);
        } catch (e) {
          throw new I2cError(`I2C write to ${hex(address)} register ${hex(data[0] ?? 0)} via ${where} failed: ${(e as Error).message}`, address);
        }
      });
    },
    async read(address, length) {
      checkAddress(address);
      checkLength(address, length);
      return readOnce(address, null, length);
    },
    async readRegister(address, register, length) {
      checkAddress(address);
      checkLength(address, length);
      if (!Number.isInteger(register) || register < 0 || register > 0xff) throw new RangeError(`I2C register must be 0x00-0xff; got ${register}`);
      return readOnce(address, register, length);
    },
  };
}

/** What a simulated Arduino offers for chips on its bus (FirmataBoardSimulator). */
export interface I2cChipSocket {
  attachI2c(address: number, device: I2cDeviceSim): unknown;
  detachI2c(address: number): void;
}

/**
 * For a simulated satellite: transfers go over Firmata like on a real one, while attach/detach put the chip
 * simulators on the virtual Arduino's bus. It is a FakeI2cBus, so parts that attach their simulator when handed one
 * (bme280/part.ts) work unchanged.
 */
export class SimulatedFirmataI2cBus extends FakeI2cBus {
  constructor(
    private readonly bus: I2cBus,
    private readonly board: I2cChipSocket,
  ) {
    super();
  }

  override attach(address: number, device: I2cDeviceSim): this {
    this.board.attachI2c(address, device);
    return this;
  }

  override detach(address: number): void {
    this.board.detachI2c(address);
  }

  override write(address: number, data: Uint8Array): Promise<void> {
    return this.bus.write(address, data);
  }

  override read(address: number, length: number): Promise<Uint8Array> {
    return this.bus.read(address, length);
  }

  override readRegister(address: number, register: number, length: number): Promise<Uint8Array> {
    return this.bus.readRegister(address, register, length);
  }
}
