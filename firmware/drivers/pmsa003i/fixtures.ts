// Blocks for the PMSA003I with their source and what they must decode to (worked out by hand from the bytes:
// big-endian words at the offsets of protocols.md §1).
//
// No published PMSA003I I2C capture was found (searched: Adafruit_PM25AQI and CircuitPython PM25 code and issues,
// forum threads printing the 32 bytes). The sensor returns the UART frame's block unchanged (protocols.md §1;
// adafruit/Adafruit_PM25AQI Adafruit_PM25AQI_Base.cpp: "PMSA003I uses same protocol as PMS5003: 0x42 0x4D"), so
// the fixture is a real UART capture of the same family, labelled as such.
import type { Values } from '../types.js';

export const bytesOf = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

export const PYPMS_PMSX003_3 = {
  source:
    'UART capture, PMS5003 layout (not an I2C read): avaldebe/PyPMS tests/captured_data/PMSx003.hexdump line 0x60 ' +
    '(commit d569192f3cc7e0b8888b735de22a225c936f9f19), from the PMSx003 family (PMS1003/5003/7003/A003 per ' +
    'PMSx003.info).',
  hex: '42 4d 00 1c 00 00 00 07 00 07 00 00 00 07 00 07 00 b4 00 3c 00 27 00 18 00 00 00 00 97 00 02 8d',
  values: {
    pm1_cf1_ugm3: 0,
    pm25_cf1_ugm3: 7,
    pm10_cf1_ugm3: 7,
    pm1_ugm3: 0,
    pm25_ugm3: 7,
    pm10_ugm3: 7,
    n0_3_per_dl: 180,
    n0_5_per_dl: 60,
    n1_0_per_dl: 39,
    n2_5_per_dl: 24,
    n5_0_per_dl: 0,
    n10_per_dl: 0,
  } satisfies Values,
  version: 0x97,
  errorCode: 0,
} as const;

/**
 * What a bus that is not talking to the sensor's frame looks like: "i2cdump only gave me 0x42 for all register
 * values" (glennklockwood.com/electronics/pmsa300i.html, an Adafruit PMSA003I on a BeagleBone). Not a 32-byte read,
 * but the pattern a stuck or misaddressed read returns; it must fail the header check.
 */
export const ALL_0X42 = { source: 'glennklockwood.com/electronics/pmsa300i.html (i2cdump)', hex: Array(32).fill('42').join(' ') };
