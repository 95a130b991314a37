/**
 * PQL routing end to end: replays EVENTS product events (default 1,000,000) for USERS users
 * (default 100,000) at a steady RATE events/s (default 2,000) through POST /events — each event
 * its own request, as PostHog and Segment deliver them — with the shipped pql/*.yaml rules and
 * the CRM push going to the loopback fake HubSpot (100 requests / 10 s enforced). Prints
 * p50/p95/p99 latency from event receipt to the HubSpot note write, events/s sustained, and
 * Redis memory per active user. Run: npx tsx bench/pql.ts   (EVENTS=100000 for a short run)
 */
import { Agent, request } from "node:http";
import Fastify from "fastify";
import { pino } from "pino";
import { buildConfig } from "../src/config/config.js";
import { hubspotCrm } from "../src/pql/crm/hubspot-crm.js";
import { eventsRoutes } from "../src/pql/http/events-routes.js";
import { pqlKeys } from "../src/pql/pql-keys.js";
import { markerOf } from "../src/pql/qualification.js";
import { loadRules, startPqlRouting } from "../src/pql/start-pql-routing.js";
import { FakeHubSpot } from "../test/fakes/hubspot/fake-hubspot.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../test/support/redis.js";

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 100_000);
const RATE = Number(process.env.RATE ?? 2_000);
const TICK_MS = 10;
const MAX_INFLIGHT = 500;

/**
 * One POST over a pooled keep-alive connection. node:http rather than fetch: the load
 * generator shares this process (and its one core) with the server and the evaluator it
 * measures, and fetch's per-request streams and signals cost several times more CPU, which
 * showed up as shiploop latency.
 */
function postEvent(target: { host: string; port: number; agent: Agent }, body: string) {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        agent: target.agent,
        method: "POST",
        path: "/events",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-shiploop-secret": "bench-secret",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A seeded generator, so two runs replay the same events. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function makeEvent(rand: () => number, n: number, now: number) {
  const user = Math.floor(rand() * USERS);
  const r = rand();
  const base = { distinct_id: `user-${user}`, id: `bench-${n}` };
  const properties: Record<string, unknown> = {
    account_id: `acct-${Math.floor(user / 5)}`,
    email: `user-${user}@bench.example`,
  };
  let event: string;
  if (r < 0.14) {
    event = "invited_teammate";
    properties.invitee = `teammate-${Math.floor(rand() * 4)}`;
  } else if (r < 0.3) event = "saved_workflow";
  else if (r < 0.36) event = "viewed_pricing";
  else if (r < 0.4) {
    event = "usage_limit_reached";
    Object.assign(properties, {
      plan: "free",
      limit: rand() < 0.5 ? "seats" : "projects",
      usage_percent: 100,
    });
  } else if (r < 0.405) event = "subscription_started";
  else event = rand() < 0.5 ? "page_viewed" : "activated";
  // Events arrive up to a minute late and out of order, as real pipelines deliver them.
  return {
    ...base,
    event,
    timestamp: new Date(now - Math.floor(rand() * 60_000)).toISOString(),
    properties,
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function usedMemory(redis: ReturnType<typeof testRedis>): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const prefix = uniquePrefix("bench-pql");
  const redis = testRedis();
  const logger = pino({ level: process.env.LOG_LEVEL ?? "warn" });
  const fake = new FakeHubSpot("bench-token", { max: 100, intervalMs: 10_000 });
  const crmUrl = await fake.start();
  const config = buildConfig({
    SHIPLOOP_PREFIX: prefix,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  const rules = await loadRules("pql", logger);
  const memoryBefore = await usedMemory(redis);
  const routing = await startPqlRouting(config, redis, logger, {
    rules,
    crm: hubspotCrm({ accessToken: "bench-token", basePath: crmUrl }),
    sweepMs: 1_000,
  });
  const app = Fastify();
  await app.register(
    eventsRoutes({
      redis,
      prefix,
      secret: "bench-secret",
      segmentSecret: undefined,
      requireAuth: true,
      dedupeTtlMs: 86_400_000,
    }),
  );
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const target = {
    host: "127.0.0.1",
    port: Number(new URL(address).port),
    agent: new Agent({ keepAlive: true, maxSockets: 64 }),
  };

  const keys = pqlKeys(prefix);
  // Per 10 s: where qualifications wait (intake stream lag, pending backlog and the age of its
  // oldest entry), what the CRM push did (requests, notes) and the latency of those notes.
  let seenCalls = 0;
  let seenNotes = 0;
  const receivedAtByMarker = new Map<string, number>();
  const stageLine = async (now: number): Promise<string> => {
    const [streamLen, pendingLen, oldest] = await Promise.all([
      redis.xlen(keys.stream),
      redis.zcard(keys.pending),
      redis.zrange(keys.pending, 0, 0, "WITHSCORES"),
    ]);
    const calls = fake.calls.length - seenCalls;
    const notes = fake.notes.slice(seenNotes);
    seenCalls += calls;
    seenNotes += notes.length;
    const markers = notes.map(
      (n) => /shiploop-qualification: (\S+)/.exec(n.properties.hs_note_body ?? "")?.[1],
    );
    // The marker is a digest of the qualification id: map it back through the stored ones.
    if (markers.some((m) => m && !receivedAtByMarker.has(m))) {
      for (const [id, json] of Object.entries(await redis.hgetall(keys.qualifications))) {
        receivedAtByMarker.set(
          markerOf(id),
          (JSON.parse(json) as { receivedAt: number }).receivedAt,
        );
      }
    }
    const lat = notes
      .flatMap((n, i) => {
        const at = receivedAtByMarker.get(markers[i] ?? "");
        return at === undefined ? [] : [n.at - at];
      })
      .sort((a, b) => a - b);
    const oldestAge = oldest[1] ? now - Number(oldest[1]) : 0;
    return `stream ${streamLen}, pending ${pendingLen} (oldest ${oldestAge} ms), ${calls} CRM requests, ${notes.length} notes (p50 ${quantile(lat, 0.5)}, p99 ${quantile(lat, 0.99)} ms)`;
  };
  const rand = random(42);
  const users = new Set<number>();
  let sent = 0;
  let accepted = 0;
  let failed = 0;
  let inflight = 0;
  let lastReport = Date.now();
  const started = Date.now();
  console.log(`replaying ${EVENTS} events for ${USERS} users at ${RATE}/s to ${address}/events …`);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(EVENTS, Math.floor(((Date.now() - started) / 1000) * RATE));
      // Never more than MAX_INFLIGHT requests open: a stalled server shows as a lower rate,
      // not as a burst of a hundred thousand requests when it recovers.
      while (sent < due && inflight < MAX_INFLIGHT) {
        const body = makeEvent(rand, sent, Date.now());
        users.add(Number(body.distinct_id.slice(5)));
        sent += 1;
        inflight += 1;
        postEvent(target, JSON.stringify(body)).then(
          (status) => {
            if (status === 202) accepted += 1;
            else failed += 1;
            inflight -= 1;
          },
          () => {
            failed += 1;
            inflight -= 1;
          },
        );
      }
      if (sent >= EVENTS && inflight === 0) {
        clearInterval(timer);
        resolve();
      }
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        const seconds = (lastReport - started) / 1000;
        const line = `  ${seconds.toFixed(0)} s: ${sent} sent (${(accepted / seconds).toFixed(0)}/s accepted), ${inflight} in flight`;
        stageLine(lastReport).then(
          (stages) => process.stdout.write(`${line}; ${stages}\n`),
          () => process.stdout.write(`${line}\n`),
        );
      }
    }, TICK_MS);
  });
  const sendSeconds = (Date.now() - started) / 1000;
  await waitFor(
    "the intake to drain",
    async () => ((await redis.xlen(keys.stream)) === 0 ? true : undefined),
    600_000,
    100,
  );
  await waitFor(
    "the CRM push to finish",
    async () => ((await redis.zcard(keys.pending)) === 0 ? true : undefined),
    600_000,
    200,
  );
  const drainSeconds = (Date.now() - started) / 1000;
  const memoryAfter = await usedMemory(redis);

  const receivedAt = new Map<string, number>();
  for (const [id, json] of Object.entries(await redis.hgetall(keys.qualifications))) {
    receivedAt.set(markerOf(id), (JSON.parse(json) as { receivedAt: number }).receivedAt);
  }
  const latencies: number[] = [];
  for (const note of fake.notes) {
    const marker = /shiploop-qualification: (\S+)/.exec(note.properties.hs_note_body ?? "")?.[1];
    const at = marker ? receivedAt.get(marker) : undefined;
    if (at !== undefined) latencies.push(note.at - at);
  }
  latencies.sort((a, b) => a - b);
  const requests = fake.calls.length;
  const throttled = fake.calls.filter((c) => c.status === 429).length;

  console.log("");
  console.log(`events sent             ${sent} (${accepted} accepted with 202, ${failed} failed)`);
  console.log(
    `events/s sustained      ${(accepted / sendSeconds).toFixed(0)} (target ${RATE}); all evaluated and pushed after ${drainSeconds.toFixed(1)} s`,
  );
  console.log(`active users            ${users.size}`);
  console.log(
    `qualifications          ${receivedAt.size}; notes in the fake CRM ${fake.notes.length}; failures ${await redis.hlen(keys.failures)}`,
  );
  console.log(
    `HubSpot requests        ${requests} (${throttled} answered 429) for ${fake.contacts.size} contacts`,
  );
  const upserts = fake.calls.filter((c) => c.path.endsWith("/contacts/batch/upsert"));
  const noteBatches = fake.calls.filter((c) => c.path.endsWith("/notes/batch/create"));
  const inputs = (c: { body: unknown }) => (c.body as { inputs?: unknown[] }).inputs?.length ?? 0;
  const sum = (cs: { body: unknown }[]) => cs.reduce((n, c) => n + inputs(c), 0);
  console.log(
    `per flush               ${(sum(upserts) / upserts.length).toFixed(1)} contacts per upsert (max ${Math.max(...upserts.map(inputs))}), ${(sum(noteBatches) / noteBatches.length).toFixed(1)} notes per batch (max ${Math.max(...noteBatches.map(inputs))}); ${upserts.length} upserts, ${noteBatches.length} note batches`,
  );
  console.log(
    `receipt → CRM note      p50 ${quantile(latencies, 0.5)} ms, p95 ${quantile(latencies, 0.95)} ms, p99 ${quantile(latencies, 0.99)} ms, max ${latencies.at(-1)} ms`,
  );
  console.log(
    `Redis memory            ${((memoryAfter - memoryBefore) / 1_048_576).toFixed(1)} MiB, ${((memoryAfter - memoryBefore) / users.size).toFixed(0)} B per active user (incl. 24 h dedupe keys)`,
  );

  console.log("\ncleaning up the bench's keys…");
  await app.close();
  await routing.close();
  await fake.stop();
  await removePrefix(redis, prefix);
  redis.disconnect();
}

await main();
// Everything the bench opened is closed above; a library timer left behind (seen: the process
// idling for minutes after its figures) must not keep a finished bench running.
process.exit(0);
