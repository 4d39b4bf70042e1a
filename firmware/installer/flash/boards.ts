// The boards `airlane flash` programs over their serial bootloader. Sizes and rates:
// - ATmega328P: 32 KiB flash, 128-byte pages (64 words), signature 1E 95 0F (ATmega328P datasheet DS40002061A,
//   §27.3 "Signature Bytes" table 27-6 and §28.5 "Page Size" table 28-12).
// - Uno and Nano since 2018 ship Optiboot: 512-byte boot section, 115200 baud (Arduino AVR core boards.txt:
//   uno.upload.maximum_size=32256, uno.upload.speed=115200; nano.menu.cpu.atmega328 likewise).
// - Older Nanos ship ATmegaBOOT_168: 2 KiB boot section, 57600 baud (boards.txt nano.menu.cpu.atmega328old:
//   upload.maximum_size=30720, upload.speed=57600).

export type BoardId = 'nano' | 'nano-old-bootloader' | 'uno';

export interface BoardProfile {
  id: BoardId;
  /** For messages. */
  name: string;
  baud: number;
  bootloader: 'Optiboot' | 'ATmegaBOOT';
  pageSize: number;
  flashBytes: number;
  /** Flash left for the sketch: flash minus the boot section. */
  usableBytes: number;
  signature: readonly [number, number, number];
}

const ATMEGA328P_SIGNATURE = [0x1e, 0x95, 0x0f] as const;

export const BOARDS: Readonly<Record<BoardId, BoardProfile>> = {
  nano: { id: 'nano', name: 'Arduino Nano', baud: 115_200, bootloader: 'Optiboot', pageSize: 128, flashBytes: 32_768, usableBytes: 32_256, signature: ATMEGA328P_SIGNATURE },
  'nano-old-bootloader': {
    id: 'nano-old-bootloader', name: 'Arduino Nano (old bootloader)', baud: 57_600, bootloader: 'ATmegaBOOT', pageSize: 128, flashBytes: 32_768, usableBytes: 30_720, signature: ATMEGA328P_SIGNATURE,
  },
  uno: { id: 'uno', name: 'Arduino Uno', baud: 115_200, bootloader: 'Optiboot', pageSize: 128, flashBytes: 32_768, usableBytes: 32_256, signature: ATMEGA328P_SIGNATURE },
};

export const BOARD_IDS = Object.keys(BOARDS) as BoardId[];

export function isBoardId(s: string): s is BoardId {
  return Object.hasOwn(BOARDS, s);
}

/** Chips someone may plug in by mistake, to name them in the signature error. */
export const KNOWN_SIGNATURES: Readonly<Record<string, string>> = {
  '1e950f': 'ATmega328P',
  '1e9514': 'ATmega328',
  '1e9406': 'ATmega168',
  '1e940b': 'ATmega168P',
  '1e9801': 'ATmega2560 (Mega)',
  '1e9587': 'ATmega32U4 (Leonardo/Micro)',
};
