/**
 * Generates the example product events behind `shiploop diagnose` and writes them as gzipped
 * NDJSON (examples/events.ndjson.gz). Seeded: the same seed gives the same events.
 *
 * The simulated product is a freemium B2B tool whose weekly signup cohorts activate less and
 * less (35 % → 18 % within 7 days over the period), with a slowish time to value (median ≈ 13 min),
 * PQL bursts (≥ 2 invites, a saved workflow and a pricing view within a day or two), PQLs paying
 * far more often than other users, and monthly MRR expansion, contraction and churn. A few
 * malformed lines are mixed in, as in any real export, so the bad-event report has something to say.
 *
 * Run from the repository root (Node built-ins only, no tsx needed):
 *   npx tsc scripts/generate-events.ts --outDir /tmp/shiploop-gen --module nodenext \
 *     --target es2022 --types node --skipLibCheck
 *   node /tmp/shiploop-gen/generate-events.js [--seed 42] [--weeks 40] [--out examples/events.ndjson.gz]
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.parse("2025-03-03T00:00:00Z"); // a Monday

/** mulberry32: tiny, fast, good enough for simulation, identical on every platform. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Line {
  time: number;
  text: string;
}

function generate(seed: number, weeks: number): Line[] {
  const random = rng(seed);
  const chance = (p: number) => random() < p;
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const int = (lo: number, hi: number) => Math.floor(between(lo, hi + 1));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const end = START + weeks * 7 * DAY;
  const lines: Line[] = [];
  const emit = (event: string, id: string, time: number, properties?: Record<string, unknown>) => {
    if (time > end) return; // the export stops at `end`: later events have not happened yet
    const timestamp = new Date(Math.round(time / 1000) * 1000).toISOString().replace(".000Z", "Z");
    const record = properties
      ? { event, distinct_id: id, timestamp, properties }
      : { event, distinct_id: id, timestamp };
    lines.push({ time, text: JSON.stringify(record) });
  };

  let userSeq = 0;
  for (let week = 0; week < weeks; week++) {
    const progress = weeks > 1 ? week / (weeks - 1) : 0;
    // Activation within 7 days decays linearly from 35 % to 18 %; ~8 % of activations come later.
    const activation7 = 0.35 - 0.17 * progress;
    const signups = Math.round(470 + 2 * week + 25 * normal());
    for (let i = 0; i < signups; i++) {
      const id = `u${(++userSeq).toString(36)}`;
      const signup = START + week * 7 * DAY + random() * 7 * DAY;
      emit("signed_up", id, signup, { plan: "free" });
      emit("session_started", id, signup + between(0, 2) * MINUTE);

      let activatedAt: number | null = null;
      if (chance(activation7)) {
        // Log-normal time to value: median 13 min, p75 ≈ 27 min, capped inside the 7 days.
        activatedAt = signup + Math.min(13 * Math.exp(1.1 * normal()) * MINUTE, 6.9 * DAY);
      } else if (chance(0.08 * activation7)) {
        activatedAt = signup + between(8, 20) * DAY;
      }
      if (activatedAt !== null) emit("activated", id, activatedAt);

      const sessions = activatedAt !== null ? int(2, 6) : chance(0.4) ? 1 : 0;
      for (let s = 0; s < sessions; s++)
        emit("session_started", id, signup + between(0.5, 40) * DAY);

      // Product-qualified behaviour: engaged activated users invite their team, save a
      // workflow and look at pricing in one burst; others show stray signals.
      let qualified = false;
      if (activatedAt !== null && chance(0.3)) {
        const burst = activatedAt + between(0.5, 10) * DAY;
        const invites = int(2, 4);
        for (let k = 0; k < invites; k++) {
          emit("invited_teammate", id, burst + between(0, 30) * HOUR, {
            invitee_id: `${id}-t${k}`,
          });
        }
        emit("saved_workflow", id, burst + between(0, 30) * HOUR);
        emit("viewed_pricing", id, burst + between(0, 30) * HOUR);
        qualified = true;
      } else {
        if (activatedAt !== null && chance(0.25)) {
          emit("invited_teammate", id, activatedAt + between(0, 20) * DAY, {
            invitee_id: `${id}-t0`,
          });
        }
        if (activatedAt !== null && chance(0.4))
          emit("saved_workflow", id, activatedAt + between(0, 20) * DAY);
        if (chance(activatedAt !== null ? 0.3 : 0.06))
          emit("viewed_pricing", id, signup + between(0, 25) * DAY);
      }

      const payChance = qualified ? 0.24 : activatedAt !== null ? 0.03 : 0.003;
      if (!chance(payChance)) continue;
      const base = activatedAt ?? signup;
      const paidAt = base + between(qualified ? 2 : 1, 28) * DAY;
      const account = `acct-${id}`;
      let mrr = [29, 49, 99, 199][
        chance(0.5) ? 0 : chance(0.6) ? 1 : chance(0.7) ? 2 : 3
      ] as number;
      emit("subscription_started", id, paidAt, { account_id: account, mrr });
      // Monthly: 2 % churn, 8 % expansion by 15–40 %, 2 % contraction by 20–40 %.
      for (let month = 1; paidAt + month * 30 * DAY <= end; month++) {
        const t = paidAt + month * 30 * DAY + between(-2, 2) * DAY;
        if (chance(0.02)) {
          emit("subscription_cancelled", id, t, { account_id: account });
          break;
        }
        if (chance(0.08)) mrr = Math.round(mrr * between(1.15, 1.4));
        else if (chance(0.02 / 0.92)) mrr = Math.round(mrr * between(0.6, 0.8));
        else continue;
        emit("mrr_changed", id, t, { account_id: account, mrr });
      }
    }
  }

  // About one line in a thousand is broken, as in real exports.
  const broken = [
    '{"event":"activated","timestamp":"2025-06-01T10:00:00Z"}',
    '{"event":"signed_up","distinct_id":"ux","timestamp":"last tuesday"}',
    '{"event":"viewed_pricing","distinct_id":"uy","timestamp":"2025-06-01T10:00:00Z"',
    '{"event":"mrr_changed","distinct_id":"uz","timestamp":"2025-06-01T10:00:00Z","properties":{"mrr":"n/a"}}',
  ];
  const count = Math.round(lines.length / 1000);
  for (let i = 0; i < count; i++) {
    lines.push({
      time: START + random() * (end - START),
      text: broken[i % broken.length] as string,
    });
  }
  return lines.sort((a, b) => a.time - b.time);
}

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "42" },
    weeks: { type: "string", default: "40" },
    out: { type: "string", default: "examples/events.ndjson.gz" },
  },
});
const lines = generate(Number(values.seed), Number(values.weeks));
const text = `${lines.map((l) => l.text).join("\n")}\n`;
const out = values.out as string;
writeFileSync(out, out.endsWith(".gz") ? gzipSync(text, { level: 9 }) : text);
process.stdout.write(`wrote ${lines.length} events to ${out}\n`);
