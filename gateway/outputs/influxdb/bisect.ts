// Finds exactly which points of a refused /write request InfluxDB 1.x would not store. A 400 "partial write"
// stores every valid point but names only the first problem and a count (services/httpd/handler.go,
// serveWrite), so the refused points are found by resending halves: harmless, because a point already
// stored is only overwritten by its own copy (same series and timestamp, influxdb-mqtt.md §2).
//
// The count is NOT used to skip a half as clean: measured on 1.6.7, a batch with a field type conflict and
// an unparsable line answers `partial write: field type conflict … dropped=1` — the unparsable line is not
// counted. So every point ends either in a group the server stored (204) or alone in a refused request.
// Two things keep the request count near log2(n) per refused point anyway:
//   - when the left half is stored, the right half must hold the refusal: it is split without being sent;
//   - when the server says it refused every point of a group (dropped = size), they are all taken as refused
//     without splitting (a count can only be too low, never too high), e.g. a backlog older than the
//     retention policy: `partial write: points beyond retention policy dropped=N`.

/** What the server said about a refused request. */
export interface Refusal {
  /** The server's reason, without the `partial write: ` prefix and ` dropped=N` suffix. */
  reason: string;
  /** Points the server says it refused (a lower bound). */
  dropped: number;
  /** One reason per refused line when the server listed them (`unable to parse '…': …`), in line order. */
  lines: string[];
}

/** Sends one group as one request: undefined when stored, a Refusal on a 400; throws for anything else. */
export type Probe<T> = (group: readonly T[]) => Promise<Refusal | undefined>;

export interface Isolated<T> {
  refused: Array<{ item: T; reason: string }>;
  /** Requests sent by the isolation (the first, refused request is not counted). */
  requests: number;
  /** True when the budget ran out: the groups left were reported refused unconfirmed, with the group's reason. */
  exhausted: boolean;
}

/** Requests allowed to isolate `dropped` refused points among `size`: two per halving step per point, plus slack. */
export function bisectionBudget(size: number, dropped: number): number {
  const depth = Math.ceil(Math.log2(Math.max(2, size)));
  return 2 * depth * (Math.max(1, dropped) + 1);
}

/** Per-point reasons when the refusal covers every point of the group. */
function reasonsForAll(size: number, refusal: Refusal): string[] {
  if (refusal.lines.length === size) return refusal.lines;
  return new Array<string>(size).fill(refusal.reason);
}

/**
 * Isolates the refused points of `group`, which was just sent as one request and refused with `refusal`.
 * The group itself is never sent again; only strict subsets are.
 */
export async function isolateRefused<T>(
  group: readonly T[],
  refusal: Refusal,
  probe: Probe<T>,
  budget = bisectionBudget(group.length, refusal.dropped),
): Promise<Isolated<T>> {
  const result: Isolated<T> = { refused: [], requests: 0, exhausted: false };
  const refuseAll = (items: readonly T[], r: Refusal, note = ''): void => {
    const reasons = reasonsForAll(items.length, r);
    items.forEach((item, i) => result.refused.push({ item, reason: `${reasons[i] ?? r.reason}${note}` }));
  };

  // `items` holds at least one refused point and must not be sent as it is. `known` is the group's own
  // refusal when it was sent, undefined when the refusal was inferred from its parent and sibling.
  const split = async (items: readonly T[], known: Refusal | undefined, inherited: Refusal): Promise<void> => {
    if (known && known.dropped >= items.length) return refuseAll(items, known);
    if (items.length === 1 && known) return refuseAll(items, known);
    if (result.requests >= budget) {
      result.exhausted = true;
      return refuseAll(items, known ?? inherited, ` (not isolated: bisection budget of ${budget} requests used up)`);
    }
    if (items.length === 1) {
      // Inferred, never sent alone: send it once for its own reason (and in case it is stored after all).
      await send(items, inherited);
      return;
    }
    const half = Math.ceil(items.length / 2);
    const left = items.slice(0, half);
    const right = items.slice(half);
    const leftRefused = await send(left, known ?? inherited);
    if (leftRefused) await send(right, known ?? inherited);
    else await split(right, undefined, known ?? inherited);
  };

  // Sends `items` once; recurses into a refused group. Returns whether it was refused.
  const send = async (items: readonly T[], inherited: Refusal): Promise<boolean> => {
    if (result.requests >= budget) {
      result.exhausted = true;
      refuseAll(items, inherited, ` (not isolated: bisection budget of ${budget} requests used up)`);
      return true;
    }
    result.requests++;
    const r = await probe(items);
    if (!r) return false;
    await split(items, r, r);
    return true;
  };

  await split(group, refusal, refusal);
  return result;
}
