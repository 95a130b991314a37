import type { EventNames } from "../config/event-names.js";
import type { PqlRule } from "./diagnose-settings.js";

/** One occurrence of a PQL signal: which signal, when, and the value it is counted by. */
export interface SignalOccurrence {
  signal: number;
  time: number;
  /** Occurrences with the same key count once towards their signal. */
  key: string;
}

/** A PQL rule with its event names resolved: raw event name → indexes of the signals it feeds. */
export interface ResolvedPqlRule {
  windowMs: number;
  atLeast: number[];
  distinctBy: (string | undefined)[];
  signalsByEvent: Map<string, number[]>;
}

/** Resolves logical event names (`invite`) through the config's `events:` mapping. */
export function resolvePqlRule(rule: PqlRule, names: EventNames): ResolvedPqlRule {
  const signalsByEvent = new Map<string, number[]>();
  rule.signals.forEach((signal, index) => {
    const event = Object.hasOwn(names, signal.event)
      ? names[signal.event as keyof EventNames]
      : signal.event;
    signalsByEvent.set(event, [...(signalsByEvent.get(event) ?? []), index]);
  });
  return {
    windowMs: rule.windowHours * 3_600_000,
    atLeast: rule.signals.map((s) => s.atLeast),
    distinctBy: rule.signals.map((s) => s.distinctBy),
    signalsByEvent,
  };
}

/**
 * The first moment t at which every signal has reached its count within [t − window, t], or
 * `null` if that never happens. Two pointers over the occurrences in time order: the right end
 * adds an occurrence, the left end drops what fell out of the window; the first right end at
 * which every signal is satisfied is the answer, since any qualifying set ends at one of them.
 * Sorts `occurrences` in place.
 */
export function qualifiedAt(
  occurrences: SignalOccurrence[],
  rule: Pick<ResolvedPqlRule, "windowMs" | "atLeast">,
): number | null {
  occurrences.sort((a, b) => a.time - b.time);
  const signals = rule.atLeast.length;
  // Per signal: key → occurrences of that key inside the window.
  const inWindow = Array.from({ length: signals }, () => new Map<string, number>());
  let satisfied = 0;
  let left = 0;
  for (const occ of occurrences) {
    while (left < occurrences.length) {
      const old = occurrences[left] as SignalOccurrence;
      if (old.time >= occ.time - rule.windowMs) break;
      const keys = inWindow[old.signal] as Map<string, number>;
      const before = keys.size;
      const count = (keys.get(old.key) ?? 1) - 1;
      if (count === 0) keys.delete(old.key);
      else keys.set(old.key, count);
      const need = rule.atLeast[old.signal] as number;
      if (before >= need && keys.size < need) satisfied -= 1;
      left += 1;
    }
    const keys = inWindow[occ.signal] as Map<string, number>;
    const before = keys.size;
    keys.set(occ.key, (keys.get(occ.key) ?? 0) + 1);
    const need = rule.atLeast[occ.signal] as number;
    if (before < need && keys.size >= need) satisfied += 1;
    if (satisfied === signals) return occ.time;
  }
  return null;
}
