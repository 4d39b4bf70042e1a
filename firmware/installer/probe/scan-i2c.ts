// Who answers at the I2C addresses Airlane's parts use. Each address gets one harmless transfer (a register or
// identification read that changes no setting); a part that can tell itself apart from a neighbour on the same
// address (BME280 vs BMP280 by chip id, SHT3x vs SHT4x by which command set it answers) is named alone, otherwise
// every part known at that address is listed.
import { I2cError, type I2cBus } from '../../buses/i2c.js';
import { openLinuxI2cBus, type LinuxI2cDeps } from '../../buses/i2c-linux.js';
import { CHIP_ID_BME280, CHIP_ID_BMP280, REG as BME_REG } from '../../drivers/bme280/registers.js';
import { PMSA003I_BLOCK_BYTES } from '../../drivers/pmsa003i/protocol.js';
import { commandBytes as sht3xCommand, READ_STATUS as SHT3X_READ_STATUS } from '../../drivers/sht3x/protocol.js';
import { READ_SERIAL as SHT4X_READ_SERIAL, READ_SERIAL_MS as SHT4X_READ_SERIAL_MS } from '../../drivers/sht4x/protocol.js';
import { I2C_CMD as SPS_I2C_CMD, I2C_READ_LENGTH as SPS_READ_LENGTH, unpackWords } from '../../drivers/sps30/i2c-protocol.js';
import { asciiz } from '../../drivers/sps30/commands.js';
import { sensirionCrc8 } from '../../protocols/sensirion-crc8.js';

export interface I2cProbeEntry {
  bus: number;
  /** "0x76" */
  address: string;
  /** Parts that fit what answered; one when a register told them apart. */
  candidates: string[];
  /** True when an identification register or a checksum-valid reply confirmed the part. */
  confirmed: boolean;
  detail: Record<string, string | number>;
}

export interface I2cBusProbe {
  bus: number;
  /** Devices that answered (empty when none did). */
  found: I2cProbeEntry[];
  /** Set when the bus itself could not be used; then `found` is empty. */
  error?: string;
}

const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** Bosch chip ids in register 0xD0: BME280 datasheet §5.4.1, BMP280 datasheet §4.3.1, BME680 datasheet §5.3.3.5. */
const BOSCH_CHIP_IDS: Record<number, string> = { [CHIP_ID_BME280]: 'BME280', [CHIP_ID_BMP280]: 'BMP280', 0x61: 'BME680' };

type Found = Omit<I2cProbeEntry, 'bus' | 'address'>;
type Probe = (bus: I2cBus, address: number, sleep: (ms: number) => Promise<void>) => Promise<Found | null>;

/** Null when nobody acknowledged; any other bus failure propagates. */
async function answered<T>(op: () => Promise<T>): Promise<T | null> {
  try {
    return await op();
  } catch (e) {
    if (e instanceof I2cError) return null;
    throw e;
  }
}

/** Sensirion words: every 2 data bytes carry a CRC-8 (SHT3x datasheet §4.12, SHT4x datasheet §4.4). */
function crcWordsValid(b: Uint8Array): boolean {
  if (b.length === 0 || b.length % 3 !== 0) return false;
  for (let i = 0; i < b.length; i += 3) if (sensirionCrc8(b, i, i + 2) !== b[i + 2]) return false;
  return true;
}

const pmsa003i: Probe = async (bus, address): Promise<Found | null> => {
  const block = await answered(() => bus.read(address, PMSA003I_BLOCK_BYTES));
  if (!block) return null;
  // The PMSA003I's I2C block is the UART frame, header 42 4D included (PMSA003I manual, "I2C data").
  const ok = block[0] === 0x42 && block[1] === 0x4d;
  return { candidates: ['PMSA003I'], confirmed: ok, detail: ok ? {} : { note: 'answered without the 42 4D header' } };
};

const shtx: Probe = async (bus, address, sleep): Promise<Found | null> => {
  // SHT3x: "read status register" F3 2D returns one word + CRC (SHT3x datasheet §4.11).
  if ((await answered(() => bus.write(address, sht3xCommand(SHT3X_READ_STATUS)))) !== null) {
    const status = await answered(() => bus.read(address, 3));
    if (status && crcWordsValid(status)) return { candidates: ['SHT3x'], confirmed: true, detail: { status: `0x${((status[0]! << 8) | status[1]!).toString(16).padStart(4, '0')}` } };
  }
  // SHT4x: "read serial number" 0x89, two words + CRCs after ~1 ms (SHT4x datasheet §4.5).
  const wrote = await answered(() => bus.write(address, Uint8Array.of(SHT4X_READ_SERIAL)));
  if (wrote !== null) {
    await sleep(SHT4X_READ_SERIAL_MS + 1);
    const serial = await answered(() => bus.read(address, 6));
    if (serial && crcWordsValid(serial)) {
      const sn = ((serial[0]! << 24) | (serial[1]! << 16) | (serial[3]! << 8) | serial[4]!) >>> 0;
      return { candidates: ['SHT4x'], confirmed: true, detail: { serial: sn.toString(16).padStart(8, '0') } };
    }
    return { candidates: ['SHT3x', 'SHT4x'], confirmed: false, detail: {} };
  }
  return null;
};

const ads1115: Probe = async (bus, address): Promise<Found | null> => {
  // Config register (pointer 01); power-up value 0x8583 (ADS1115 datasheet §9.6.3). Reading changes nothing.
  const cfg = await answered(() => bus.readRegister(address, 0x01, 2));
  if (!cfg) return null;
  return { candidates: ['ADS1115'], confirmed: false, detail: { config: `0x${((cfg[0]! << 8) | cfg[1]!).toString(16).padStart(4, '0')}` } };
};

const sps30: Probe = async (bus, address): Promise<Found | null> => {
  // Read product type: pointer D0 02, 12 bytes = 8 characters with CRCs, "00080000" (SPS30 datasheet §6.3.9).
  if ((await answered(() => bus.write(address, Uint8Array.of(SPS_I2C_CMD.productType >> 8, SPS_I2C_CMD.productType & 0xff)))) === null) return null;
  const raw = await answered(() => bus.read(address, SPS_READ_LENGTH.productType));
  if (!raw) return { candidates: ['SPS30'], confirmed: false, detail: {} };
  try {
    return { candidates: ['SPS30'], confirmed: true, detail: { product_type: asciiz(unpackWords(raw, SPS_I2C_CMD.productType)) } };
  } catch {
    return { candidates: ['SPS30'], confirmed: false, detail: { note: 'product type reply failed its CRC' } };
  }
};

const bosch: Probe = async (bus, address): Promise<Found | null> => {
  const id = await answered(() => bus.readRegister(address, BME_REG.CHIP_ID, 1));
  if (!id) return null;
  const chip = id[0]!;
  const name = BOSCH_CHIP_IDS[chip];
  return name
    ? { candidates: [name], confirmed: true, detail: { chip_id: hex2(chip) } }
    : { candidates: ['BME280', 'BMP280'], confirmed: false, detail: { chip_id: hex2(chip) } };
};

/** The addresses tried, in order, and how each is asked. */
export const I2C_PROBES: ReadonlyArray<readonly [address: number, probe: Probe]> = [
  [0x12, pmsa003i],
  [0x44, shtx],
  [0x45, shtx],
  [0x48, ads1115],
  [0x49, ads1115],
  [0x4a, ads1115],
  [0x4b, ads1115],
  [0x69, sps30],
  [0x76, bosch],
  [0x77, bosch],
];

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function scanI2cBus(bus: I2cBus, busNumber: number, sleep: (ms: number) => Promise<void> = realSleep): Promise<I2cProbeEntry[]> {
  const found: I2cProbeEntry[] = [];
  for (const [address, probe] of I2C_PROBES) {
    const r = await probe(bus, address, sleep);
    if (r) found.push({ bus: busNumber, address: hex2(address), ...r });
  }
  return found;
}

/** Opens /dev/i2c-N and scans it; a missing bus becomes a one-line `error`, never a throw. */
export async function probeLinuxI2cBus(busNumber: number, deps: LinuxI2cDeps = {}): Promise<I2cBusProbe> {
  let bus;
  try {
    bus = await openLinuxI2cBus(busNumber, deps);
  } catch (e) {
    const msg = (e as Error).message;
    if (/does not exist/.test(msg)) return { bus: busNumber, found: [], error: `I2C bus ${busNumber} not enabled: raspi-config → Interface → I2C` };
    return { bus: busNumber, found: [], error: msg.split('\n')[0] ?? msg };
  }
  try {
    return { bus: busNumber, found: await scanI2cBus(bus, busNumber) };
  } catch (e) {
    return { bus: busNumber, found: [], error: (e as Error).message };
  } finally {
    await bus.close().catch(() => undefined);
  }
}
