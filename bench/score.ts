/**
 * Throughput of the prioritisation path: scoring 100k backlog items and diagnosing 1M events
 * read from a gzipped NDJSON file (the CLI's path: gunzip, split lines, parse, accumulate).
 * Prints items/s, events/s and peak RSS. Figures, not assertions: see DESIGN.md (bench/).
 *
 *   npx tsc -p tsconfig.json --outDir dist/bench && node dist/bench/bench/score.js
 *
 * (The output must sit inside the repository so that `zod` resolves from node_modules.)
 */

import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createGzip } from "node:zlib";
import { diagnoseEventsFile } from "../src/adapters/files/read-events-file.js";
import { seededRandom } from "../src/adapters/sandbox/seeded-random.js";
import { computePriors } from "../src/backlog/learn-priors.js";
import { scoreBacklog } from "../src/backlog/score-backlog.js";
import { EventNamesSchema } from "../src/config/event-names.js";
import { DEFAULT_DIAGNOSE_SETTINGS } from "../src/diagnose/diagnose-settings.js";
import type { BacklogItem } from "../src/domain/backlog-item.js";
import { FUNNEL_STAGES } from "../src/domain/funnel-stage.js";
import type { VerdictObservation } from "../src/domain/verdict-observation.js";

const ITEMS = 100_000;
const EVENTS = 1_000_000;

const random = seededRandom(7);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const SURFACES = Array.from({ length: 200 }, (_, i) => `surface-${i}`);
const TAGS = Array.from({ length: 50 }, (_, i) => `tag-${i}`);

function makeItem(i: number): BacklogItem {
  return {
    id: `item-${i}`,
    title: `Item ${i}`,
    hypothesis: "It helps.",
    stage: pick(FUNNEL_STAGES),
    surface: pick(SURFACES),
    tags: [pick(TAGS), pick(TAGS)],
    impact: { relativeLift: random() * 0.2, confidence: random() },
    effort: 1 + Math.floor(random() * 10),
    reach: 0.1 + random() * 0.9,
    primaryMetric: { name: "m", event: "activated", type: "proportion", higherIsBetter: true },
    guardrails: [],
    ship: { kind: "gate", gate: `gate_${i}` },
    split: 50,
  };
}

function makeObservation(i: number): VerdictObservation {
  const estimatedLift = random() * 0.2;
  return {
    itemId: `old-${i}`,
    stage: pick(FUNNEL_STAGES),
    surface: pick(SURFACES),
    tags: [pick(TAGS)],
    estimatedLift,
    confidence: random(),
    observedLift: estimatedLift * random(),
    observedSe: 0.01,
    decision: random() < 0.25 ? "ship" : "inconclusive",
    effort: 2,
    ...(random() < 0.5 ? { actualEffort: 1 + random() * 4 } : {}),
    decidedAt: "2026-01-12T09:00:00.000Z",
  };
}

/** ~1M events of ~200k users over 26 weeks, gzipped like the bundled example. */
async function writeEvents(path: string): Promise<number> {
  const gzip = createGzip({ level: 1 });
  const file = createWriteStream(path);
  gzip.pipe(file);
  const start = Date.parse("2025-06-02T00:00:00Z");
  const iso = (ms: number) => new Date(ms).toISOString();
  let written = 0;
  let chunk: string[] = [];
  const push = async (event: string, id: string, time: number, properties?: object) => {
    chunk.push(JSON.stringify({ event, distinct_id: id, timestamp: iso(time), properties }));
    written += 1;
    if (chunk.length >= 10_000) {
      if (!gzip.write(`${chunk.join("\n")}\n`)) await once(gzip, "drain");
      chunk = [];
    }
  };
  for (let u = 0; written < EVENTS; u++) {
    const id = `u${u}`;
    const signup = start + random() * 182 * 86_400_000;
    await push("signed_up", id, signup, { plan: "free" });
    const activated = random() < 0.3;
    if (activated) await push("activated", id, signup + random() * 3_600_000);
    for (let s = 0; s < 2; s++) await push("session_started", id, signup + random() * 864_000_000);
    if (activated && random() < 0.3) {
      const t = signup + random() * 432_000_000;
      await push("invited_teammate", id, t, { invitee_id: `${id}-a` });
      await push("invited_teammate", id, t + 3_600_000, { invitee_id: `${id}-b` });
      await push("saved_workflow", id, t + 7_200_000);
      await push("viewed_pricing", id, t + 10_800_000);
    }
    if (random() < 0.03) {
      const t = signup + random() * 2_000_000_000;
      await push("subscription_started", id, t, { account_id: `a${u}`, mrr: 49 });
      if (random() < 0.2)
        await push("mrr_changed", id, t + 2_600_000_000, { account_id: `a${u}`, mrr: 99 });
    }
  }
  gzip.end(chunk.length > 0 ? `${chunk.join("\n")}\n` : undefined);
  await once(file, "finish");
  return written;
}

const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString("en")}/s`;

async function main(): Promise<void> {
  // Scoring: 100k items against priors learned from 2k verdicts.
  const items = Array.from({ length: ITEMS }, (_, i) => makeItem(i));
  const observations = Array.from({ length: 2_000 }, (_, i) => makeObservation(i));
  const weights = { ttv: 0.8, activation: 1.9, pql: 1, monetization: 0.6, retention: 0.7 };
  let t = performance.now();
  const priors = computePriors(observations);
  const learnMs = performance.now() - t;
  t = performance.now();
  const scored = scoreBacklog(items, {
    stageWeights: weights,
    priors,
    liveSurfaces: new Set(SURFACES.slice(0, 5)),
    shippedIds: new Set(["item-1", "item-2"]),
    blockedIds: new Set(["item-3"]),
  });
  const scoreMs = performance.now() - t;
  process.stdout.write(
    `learn  ${observations.length} verdicts in ${learnMs.toFixed(1)} ms\n` +
      `score  ${scored.length} items in ${scoreMs.toFixed(0)} ms: ${rate(ITEMS, scoreMs)} ` +
      `(top: ${scored[0]?.id}); peak RSS so far ${mb(process.resourceUsage().maxRSS)}\n`,
  );

  // Diagnosis: 1M events through the events-file source.
  const dir = mkdtempSync(join(tmpdir(), "shiploop-bench-"));
  try {
    const path = join(dir, "events.ndjson.gz");
    const written = await writeEvents(path);
    t = performance.now();
    const snapshot = await diagnoseEventsFile(
      path,
      DEFAULT_DIAGNOSE_SETTINGS,
      EventNamesSchema.parse({}),
    );
    const diagnoseMs = performance.now() - t;
    process.stdout.write(
      `diagnose ${written} events (${snapshot.cohorts.length} cohorts) in ${diagnoseMs.toFixed(0)} ms: ` +
        `${rate(snapshot.events.read, diagnoseMs)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`peak RSS ${mb(process.resourceUsage().maxRSS)}\n`);
}

await main();
