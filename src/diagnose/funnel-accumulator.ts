import type { EventNames } from "../config/event-names.js";
import type { FunnelSnapshot } from "../domain/funnel-snapshot.js";
import { weekStart } from "./cohort-week.js";
import type { DiagnoseSettings } from "./diagnose-settings.js";
import type { MrrPoint } from "./nrr.js";
import {
  qualifiedAt,
  type ResolvedPqlRule,
  resolvePqlRule,
  type SignalOccurrence,
} from "./pql-rule.js";
import { type BadEventReason, type ProductEvent, parseProductEvent } from "./product-event.js";
import { summarizeFunnel, type UserFacts } from "./summarize-funnel.js";

/** What we keep per user while reading: a handful of times, never the events themselves. */
interface UserState {
  signup: number | undefined;
  activations: number[] | undefined;
  payments: number[] | undefined;
  signals: SignalOccurrence[] | undefined;
}

/**
 * Streams events into the few facts each metric needs, so a million events cost memory per
 * user and per account, not per event, and arrive in any order. Feed it with `add` (raw
 * records) or `addEvent` (already parsed), report unreadable input with `addBad`, then call
 * `snapshot()`. Never throws on bad input: it counts it.
 */
export class FunnelAccumulator {
  private readonly users = new Map<string, UserState>();
  private readonly accounts = new Map<string, MrrPoint[]>();
  private readonly pql: ResolvedPqlRule;
  private read = 0;
  private used = 0;
  private ignored = 0;
  private readonly bad = new Map<BadEventReason, number>();
  private latest: number | null = null;
  private occurrenceSeq = 0;

  constructor(
    private readonly settings: DiagnoseSettings,
    private readonly names: EventNames,
  ) {
    this.pql = resolvePqlRule(settings.pql, names);
  }

  /** A raw `{event, distinct_id, timestamp, properties}` record, checked here. */
  add(raw: unknown): void {
    const parsed = parseProductEvent(raw);
    if (parsed.ok) this.addEvent(parsed.event);
    else this.addBad(parsed.reason);
  }

  /** Input that never became an event (e.g. a line that is not JSON). */
  addBad(reason: BadEventReason): void {
    this.read += 1;
    this.bad.set(reason, (this.bad.get(reason) ?? 0) + 1);
  }

  addEvent(e: ProductEvent): void {
    const n = this.names;
    // An MRR change without a usable MRR would corrupt revenue: it is a bad event, not a zero.
    if (e.event === n.mrrChanged && !isMrr(e.properties.mrr)) {
      this.addBad("bad-mrr");
      return;
    }
    this.read += 1;
    let used = true;
    switch (e.event) {
      case n.signup: {
        const user = this.user(e.distinctId);
        // A repeated signup (a retry, a re-import) keeps the first.
        if (user.signup === undefined || e.time < user.signup) user.signup = e.time;
        break;
      }
      case n.activation: {
        const user = this.user(e.distinctId);
        user.activations = append(user.activations, e.time);
        break;
      }
      case n.subscriptionStarted: {
        const user = this.user(e.distinctId);
        user.payments = append(user.payments, e.time);
        // Without an MRR it still counts as paying; it just adds nothing to revenue.
        const mrr = e.properties.mrr;
        if (isMrr(mrr)) this.mrrPoint(e, mrr);
        break;
      }
      case n.mrrChanged:
        this.mrrPoint(e, e.properties.mrr as number);
        break;
      case n.subscriptionCancelled:
        this.mrrPoint(e, 0);
        break;
      default:
        used = false;
    }
    // Not `else`: an event may both be a funnel step and feed a PQL signal.
    const signals = this.pql.signalsByEvent.get(e.event);
    if (signals) {
      const user = this.user(e.distinctId);
      for (const signal of signals) user.signals = append(user.signals, this.occurrence(signal, e));
      used = true;
    }
    if (used) this.used += 1;
    else this.ignored += 1;
    if (this.latest === null || e.time > this.latest) this.latest = e.time;
  }

  /**
   * The diagnosis of everything added so far. `asOf` (epoch ms) is "now" for completeness and
   * NRR; it defaults to the latest good event, so the same file always gives the same answer.
   */
  snapshot(asOf: number | null = this.latest): FunnelSnapshot {
    let usersWithoutSignup = 0;
    const users: UserFacts[] = [];
    for (const user of this.users.values()) {
      if (user.signup === undefined) usersWithoutSignup += 1;
      else users.push(this.factsOf(user, user.signup));
    }
    return summarizeFunnel({
      users,
      accounts: this.accounts,
      asOf,
      settings: this.settings,
      events: {
        read: this.read,
        used: this.used,
        ignored: this.ignored,
        bad: [...this.bad.values()].reduce((a, b) => a + b, 0),
        badByReason: Object.fromEntries([...this.bad.entries()].sort()),
        usersWithoutSignup,
      },
    });
  }

  private factsOf(user: UserState, signup: number): UserFacts {
    // Only what happened at or after signup counts: earlier events are clock skew or a
    // reused id, and time to value cannot be negative.
    const signals = (user.signals ?? []).filter((o) => o.time >= signup);
    return {
      signup,
      cohortStart: weekStart(signup),
      activatedAt: firstAtOrAfter(user.activations, signup),
      paidAt: firstAtOrAfter(user.payments, signup),
      qualifiedAt: signals.length > 0 ? qualifiedAt(signals, this.pql) : null,
    };
  }

  private user(id: string): UserState {
    let user = this.users.get(id);
    if (!user) {
      user = { signup: undefined, activations: undefined, payments: undefined, signals: undefined };
      this.users.set(id, user);
    }
    return user;
  }

  private mrrPoint(e: ProductEvent, mrr: number): void {
    const id = e.properties.account_id;
    // A user's account is properties.account_id when present, else the distinct_id (DESIGN.md).
    const account =
      typeof id === "string" && id !== "" ? id : typeof id === "number" ? String(id) : e.distinctId;
    const points = this.accounts.get(account);
    if (points) points.push({ time: e.time, mrr });
    else this.accounts.set(account, [{ time: e.time, mrr }]);
  }

  private occurrence(signal: number, e: ProductEvent): SignalOccurrence {
    const by = this.pql.distinctBy[signal];
    const value = by === undefined ? undefined : e.properties[by];
    // Without a distinct value every occurrence is its own key (see PqlSignalSchema.distinctBy).
    const key =
      value === undefined || value === null || value === ""
        ? `#${this.occurrenceSeq++}`
        : `=${String(value)}`;
    return { signal, time: e.time, key };
  }
}

function append<T>(list: T[] | undefined, value: T): T[] {
  if (!list) return [value];
  list.push(value);
  return list;
}

function firstAtOrAfter(times: readonly number[] | undefined, from: number): number | null {
  let first: number | null = null;
  for (const t of times ?? []) if (t >= from && (first === null || t < first)) first = t;
  return first;
}

const isMrr = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0;
