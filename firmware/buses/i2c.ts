// The I2C bus as drivers see it. Drivers get an I2cBus injected and never import i2c-bus: on a Pi the real
// adapter wraps /dev/i2c-N, in tests and in the demo a FakeI2cBus routes transfers to device simulators that
// answer register reads like the chips do.

export interface I2cBus {
  /** Write `data` to the device at 7-bit `address` (register pointer first, as the chip expects). */
  write(address: number, data: Uint8Array): Promise<void>;
  /** Read `length` bytes from the device (after a pointer write, if the chip needs one). */
  read(address: number, length: number): Promise<Uint8Array>;
  /** Write the register pointer, then read `length` bytes (a combined transfer with repeated start). */
  readRegister(address: number, register: number, length: number): Promise<Uint8Array>;
}

/** A simulated chip on a FakeI2cBus: sees the same byte transfers a real chip would. */
export interface I2cDeviceSim {
  onWrite(data: Uint8Array): void;
  onRead(length: number): Uint8Array;
}

export class I2cError extends Error {
  constructor(
    message: string,
    readonly address: number,
  ) {
    super(message);
    this.name = 'I2cError';
  }
}

export class FakeI2cBus implements I2cBus {
  private readonly devices = new Map<number, I2cDeviceSim>();

  attach(address: number, device: I2cDeviceSim): this {
    this.devices.set(address, device);
    return this;
  }

  detach(address: number): void {
    this.devices.delete(address);
  }

  private device(address: number): I2cDeviceSim {
    const d = this.devices.get(address);
    // A real bus reports a missing ACK as EREMOTEIO; say which address did not answer.
    if (!d) throw new I2cError(`no device answered at I2C address 0x${address.toString(16)} (check wiring and address)`, address);
    return d;
  }

  async write(address: number, data: Uint8Array): Promise<void> {
    this.device(address).onWrite(data);
  }

  async read(address: number, length: number): Promise<Uint8Array> {
    return this.device(address).onRead(length);
  }

  async readRegister(address: number, register: number, length: number): Promise<Uint8Array> {
    const d = this.device(address);
    d.onWrite(Uint8Array.of(register));
    return d.onRead(length);
  }
}

/**
 * Reads `length` bytes, retrying while the device does not acknowledge (a sensor still measuring NACKs its read
 * address: Sensirion SHT3x §4.4, SHT4x §4.4). Resolves with the bytes, or rejects with the last bus error.
 */
export async function readWhenReady(
  bus: I2cBus,
  address: number,
  length: number,
  attempts: number,
  sleep: (ms: number) => Promise<void>,
): Promise<Uint8Array> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await bus.read(address, length);
    } catch (e) {
      if (!(e instanceof I2cError)) throw e;
      last = e;
      if (i + 1 < attempts) await sleep(1);
    }
  }
  throw last;
}
