// Sensirion's CRC-8 over each 16-bit data word (SHT3x/SHT4x, SPS30 I2C, SGP4x, SCD30/4x, SEN5x):
// polynomial 0x31 (x⁸ + x⁵ + x⁴ + 1), init 0xFF, no reflection, no final XOR (protocols.md §3; SHT3x datasheet
// §4.12). 0xBEEF → 0x92 is the datasheet's own example.
export function sensirionCrc8(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0xff;
  for (let i = start; i < end; i++) {
    crc ^= data[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
