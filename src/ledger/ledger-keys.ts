/**
 * Every key shiploop writes lives under one hash tag (`{shiploop}`), so queues and ledger keys
 * hash to one slot and the same code runs on Redis Cluster. A prefix that already carries a
 * hash tag is used as it is.
 */
export function hashTaggedPrefix(prefix: string): string {
  return /\{[^}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

export function ledgerKeys(prefix: string) {
  const base = `${hashTaggedPrefix(prefix)}:ledger`;
  return {
    base,
    experiment: (id: string) => `${base}:experiment:${id}`,
    /**
     * hash day → JSON DailyCheck. Kept beside the record, not in it, so a daily check never
     * races the verdict for the record's version.
     */
    checks: (id: string) => `${base}:experiment-checks:${id}`,
    /** zset experiment id → created at (ms), for listing. */
    experiments: `${base}:experiments`,
    /** hash surface → id of its live experiment: at most one per surface. */
    liveSurfaces: `${base}:live-surfaces`,
    /** zset experiment id → decided at (ms), newest verdicts first. */
    verdicts: `${base}:verdicts`,
    week: (week: string) => `${base}:week:${week}`,
    /**
     * hash item id → `<experiment id>|<status>|<item digest>` of the item's latest experiment:
     * what the kickoff needs to know about every item in one read, however long the history.
     */
    items: `${base}:items`,
    /** hash item id → JSON VerdictObservation, the input of learning. */
    observations: `${base}:observations`,
    /** hash of worker facts for `status` and health: last kickoff, etc. */
    meta: `${base}:meta`,
  };
}

export type LedgerKeys = ReturnType<typeof ledgerKeys>;
