'use strict';
// Raise/clear with hysteresis and minimum durations, one state per key (site). Time comes from the caller (the
// readings' own time), so behaviour does not depend on how fast messages arrive.
//
// clear → raised when value ≥ raiseAt without a break for at least raiseForMs;
// raised → clear when value ≤ clearAt without a break for at least clearForMs.
// A value in the dead band between clearAt and raiseAt keeps the current state and breaks a pending change: that
// is what stops a level hovering around one bound from raising and clearing over and over.

class Hysteresis {
  constructor({ raiseAt, clearAt, raiseForMs, clearForMs }) {
    if (!Number.isFinite(raiseAt) || !Number.isFinite(clearAt)) throw new TypeError('raiseAt and clearAt must be numbers');
    if (clearAt >= raiseAt) throw new TypeError(`clearAt (${clearAt}) must be below raiseAt (${raiseAt})`);
    if (!(raiseForMs >= 0) || !(clearForMs >= 0)) throw new TypeError('durations must be ≥ 0');
    Object.assign(this, { raiseAt, clearAt, raiseForMs, clearForMs });
    this.states = new Map(); // key → { raised, since (ms) | undefined, last (ms) }
  }

  /** Feeds one value at time t (ms); returns undefined or { event: 'raise'|'clear', since, t, durationMs }. */
  update(key, t, value) {
    let s = this.states.get(key);
    if (!s) this.states.set(key, (s = { raised: false, since: undefined, last: -Infinity }));
    if (t < s.last) return undefined; // out of order: would rewind the timers
    s.last = t;
    const towards = s.raised ? value <= this.clearAt : value >= this.raiseAt;
    if (!towards) {
      s.since = undefined;
      return undefined;
    }
    if (s.since === undefined) s.since = t;
    const durationMs = t - s.since;
    if (durationMs < (s.raised ? this.clearForMs : this.raiseForMs)) return undefined;
    const since = s.since;
    s.raised = !s.raised;
    s.since = undefined;
    return { event: s.raised ? 'raise' : 'clear', since, t, durationMs };
  }

  isRaised(key) {
    return this.states.get(key)?.raised === true;
  }
}

module.exports = { Hysteresis };
