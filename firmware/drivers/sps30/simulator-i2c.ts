// An SPS30 on a FakeI2cBus: it sees the same transfers a real one would — 16-bit commands with CRC-protected
// words, pointer-then-read — and answers with words + CRCs. Mode rules as in simulator-uart.ts (datasheet v1.0
// §6 (I2C)). I2C has no state byte, so a refused transfer is a missing ACK: the simulator throws an I2cError, which
// the bus hands to the driver as the real adapter would (EREMOTEIO).
//
// Sleep: the interface is off. The first transfer (an empty write = start + stop condition, or a first wake-up
// command) is the low pulse on SDA: not acknowledged, but it switches the interface on for 100 ms, during which
// only wake-up is accepted (datasheet §6 (I2C); python-i2c-sps30 WakeUp).
//
// SIMULATOR CHOICES (the datasheet does not say): a command not allowed in the current mode, an unknown command
// and a word with a wrong CRC are not acknowledged; wake-up while awake is acknowledged and does nothing; reading
// measured values outside measurement mode is not acknowledged.
import { I2cError, type I2cDeviceSim } from '../../buses/i2c.js';
import { I2C_CMD, I2C_START_FLOAT, i2cCommandName, packWords, parseCommandFrame, SPS30_I2C_ADDRESS } from './i2c-protocol.js';
import { encodeMeasurement } from './measurement.js';
import { Sps30Model, type Sps30ModelOptions } from './simulator.js';
import { SPS30_PRODUCT_TYPE, WAKE_WINDOW_MS } from './simulator-uart.js';

/** ASCII text as whole words, null-padded to `bytes` (even). */
function textWords(text: string, bytes: number): number[] {
  const b = Buffer.alloc(bytes);
  b.write(text.slice(0, bytes), 'latin1');
  const words: number[] = [];
  for (let i = 0; i < bytes; i += 2) words.push(b.readUInt16BE(i));
  return words;
}

export class Sps30I2cSimulator implements I2cDeviceSim {
  readonly model: Sps30Model;
  /** Names of the commands acknowledged, in order — for tests. */
  readonly received: string[] = [];
  private pointer: number | undefined;
  private interfaceOnUntil = 0;

  constructor(options: Sps30ModelOptions = {}) {
    this.model = new Sps30Model(options);
  }

  get mode() {
    return this.model.mode;
  }

  private nack(why: string): never {
    throw new I2cError(`SPS30 at 0x69 did not acknowledge: ${why}`, SPS30_I2C_ADDRESS);
  }

  onWrite(data: Uint8Array): void {
    const m = this.model;
    if (m.mode === 'sleep') {
      if (m.now() > this.interfaceOnUntil) {
        this.interfaceOnUntil = m.now() + WAKE_WINDOW_MS;
        if (data.length === 0) return; // the pulse itself: start + stop, no byte to acknowledge
        this.nack('asleep (this transfer was the wake pulse)');
      }
      const f = parseCommandFrame(data);
      if (f?.command === I2C_CMD.wake && f.words?.length === 0) {
        m.idle();
        this.received.push('wake-up');
        return;
      }
      this.nack('asleep: only wake-up is accepted');
    }
    if (data.length === 0) return; // an address probe
    const f = parseCommandFrame(data);
    if (!f) this.nack(`a 1-byte write is not a command`);
    if (!f.words) this.nack(`CRC mismatch in the data of ${i2cCommandName(f.command)}`);
    const w = f.words;
    const allowed = (ok: boolean, why: string) => {
      if (!ok) this.nack(`${i2cCommandName(f.command)} ${why}`);
    };
    switch (f.command) {
      case I2C_CMD.start:
        allowed(w.length === 1 && w[0] === I2C_START_FLOAT, 'needs argument 0x0300 (float output)');
        allowed(m.mode === 'idle', 'is only allowed in idle mode');
        m.startMeasuring();
        break;
      case I2C_CMD.stop:
        allowed(m.mode === 'measuring', 'is only allowed in measurement mode');
        m.idle();
        break;
      case I2C_CMD.sleep:
        allowed(m.firmware.major >= 2, 'needs firmware 2.0');
        allowed(m.mode === 'idle', 'is only allowed in idle mode');
        m.sleep();
        this.interfaceOnUntil = 0;
        break;
      case I2C_CMD.wake:
        break;
      case I2C_CMD.fanClean:
        allowed(m.mode === 'measuring', 'is only allowed in measurement mode');
        m.fanCleanings++;
        break;
      case I2C_CMD.reset:
        m.idle();
        break;
      case I2C_CMD.autoClean:
        if (w.length === 2) m.autoCleanIntervalS = (w[0]! * 0x10000 + w[1]!) >>> 0;
        else allowed(w.length === 0, 'takes two words (u32 seconds) or none');
        break;
      case I2C_CMD.read:
        allowed(m.mode === 'measuring', 'is only allowed in measurement mode');
        break;
      case I2C_CMD.dataReady:
      case I2C_CMD.serial:
      case I2C_CMD.productType:
      case I2C_CMD.version:
        break;
      default:
        this.nack(`unknown command 0x${f.command.toString(16).padStart(4, '0')}`);
    }
    this.pointer = f.command;
    this.received.push(i2cCommandName(f.command));
  }

  onRead(length: number): Uint8Array {
    const m = this.model;
    if (m.mode === 'sleep') this.nack('asleep');
    const out = new Uint8Array(length).fill(0xff); // bytes past the answer read as an idle (pulled-up) bus
    const answer = this.answer();
    if (answer) out.set(answer.subarray(0, length));
    return out;
  }

  private answer(): Uint8Array | undefined {
    const m = this.model;
    switch (this.pointer) {
      case I2C_CMD.dataReady:
        return packWords([m.dataReady() ? 1 : 0]);
      case I2C_CMD.read: {
        const b = encodeMeasurement(m.takeLatest());
        const words: number[] = [];
        for (let i = 0; i < b.length; i += 2) words.push(b.readUInt16BE(i));
        return packWords(words);
      }
      case I2C_CMD.serial:
        return packWords(textWords(m.serial.slice(0, 31), 32)); // null-terminated within 32 bytes
      case I2C_CMD.productType:
        return packWords(textWords(SPS30_PRODUCT_TYPE, 8));
      case I2C_CMD.version:
        return packWords([(m.firmware.major << 8) | m.firmware.minor]);
      case I2C_CMD.autoClean:
        return packWords([Math.floor(m.autoCleanIntervalS / 0x10000), m.autoCleanIntervalS & 0xffff]);
      default:
        return undefined;
    }
  }
}
