// A part that keeps returning exactly the same values — every quantity identical, reading after reading — has
// most likely stopped measuring: a sensor answering from a frozen buffer, an ADC input stuck at a rail, a driver
// repeating its last frame. Its readings are kept and flagged `stuck` (DESIGN.md §1: mark, never drop) until a
// value changes.
//
// Why 900 s by default: live parts never hold every quantity still that long. A PMS5003 in clean air may report
// PM 0 µg/m³ for hours, but its six particle counts move from one 2.3 s frame to the next; an NO2 cell read
// through a 16-bit ADC moves by several LSB of noise; a BME280's 0.01 °C temperature is never flat for 15 min
// outdoors. 900 s is still short enough to raise the flag within one dashboard refresh of a quarter hour.

export const DEFAULT_STUCK_AFTER_S = 900;

export class StuckWatch {
  stuck = false;
  private last: Record<string, number> | undefined;
  private sameSince = 0;

  /** afterMs 0 disables the watch. */
  constructor(private readonly afterMs: number) {}

  /** Feeds one reading (at monotonic time `mono`, ms); returns whether it is stuck. */
  observe(values: Record<string, number>, mono: number): boolean {
    if (this.afterMs <= 0) return false;
    if (this.last && sameValues(this.last, values)) {
      this.stuck = mono - this.sameSince > this.afterMs;
    } else {
      this.last = { ...values };
      this.sameSince = mono;
      this.stuck = false;
    }
    return this.stuck;
  }

  /** After a reopen the part starts afresh: a value repeated across a gap proves nothing. */
  reset(): void {
    this.last = undefined;
    this.stuck = false;
  }
}

function sameValues(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
