import { hashTaggedPrefix } from "../ledger/ledger-keys.js";

/**
 * Every key of PQL routing, under the same hash tag as the queues and the ledger, so the
 * evaluation script may touch any of them on Redis Cluster.
 */
export function pqlKeys(prefix: string) {
  const base = `${hashTaggedPrefix(prefix)}:pql`;
  return {
    base,
    /** Stream of accepted events: the durable intake, read by the evaluators' consumer group. */
    stream: `${base}:intake`,
    group: "evaluators",
    /** `SET NX` per event id: a delivery seen before is acknowledged and dropped. */
    seen: (eventId: string) => `${base}:seen:${eventId}`,
    /** hash qualification id → JSON Qualification. */
    qualifications: `${base}:qualifications`,
    /** zset qualification id → receipt time (ms) of the event that qualified: not yet in the CRM. */
    pending: `${base}:pending`,
    /** hash qualification id → JSON PushedLead (CRM ids, note id, when). */
    pushed: `${base}:pushed`,
    /** hash qualification id → note id written after the note was created. */
    notes: `${base}:notes`,
    /** hash qualification id → time the note was about to be created (intent, before the call). */
    noteIntents: `${base}:note-intents`,
    /** hash qualification id → JSON failure (reason, status, when): visible, not retried. */
    failures: `${base}:failures`,
    /** zset qualification id → pushed at: the leads routed so far (`shiploop leads`). */
    leads: `${base}:leads`,
    /** hash user id → latest known email. */
    emails: `${base}:emails`,
    /** zset subject → qualified at, one per rule (volume and conversion in `pql-report`). */
    qualified: (ruleId: string) => `${base}:qualified:${ruleId}`,
    /** zset user id / account id → first subscription_started time seen by the intake. */
    convertedUsers: `${base}:converted:users`,
    convertedAccounts: `${base}:converted:accounts`,
    /** hash of counters: events accepted, duplicates, rejected by reason. */
    stats: `${base}:stats`,
    /** String key set once the CRM's custom properties are known to exist. */
    propertiesReady: `${base}:crm-properties-ready`,
  };
}

export type PqlKeys = ReturnType<typeof pqlKeys>;

/** The queue prefix for the CRM push queue (the same hash tag as every other key). */
export function pqlQueuePrefix(prefix: string): string {
  return hashTaggedPrefix(prefix);
}
