import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildConfig } from "../../src/config/config.js";
import { MIN_ROUTED_LEADS } from "../../src/diagnose/with-routed-pql.js";
import { readRules } from "../../src/pql/start-pql-routing.js";
import { createRuntime, type Runtime } from "../../src/runtime/create-runtime.js";
import { REDIS_URL } from "../support/redis.js";
import { ev, type Harness, HOUR, startHarness, T0 } from "./harness.js";

const RULES: Record<string, string> = {
  "pricing.yaml":
    "id: pricing\ntitle: Viewed pricing\nwithin: 48h\nscore: 40\nall: [{ event: viewed_pricing }]\n",
  "billing.yaml":
    "id: billing\ntitle: Opened billing\nwithin: 48h\nscore: 60\nall: [{ event: opened_billing }]\n",
  "team.yaml":
    "id: team\ntitle: Two users of one account saved workflows\nlevel: account\nwithin: 7d\nscore: 70\n" +
    "all: [{ event: saved_workflow, atLeast: 2, distinctBy: distinct_id }]\n",
};

let h: Harness | undefined;
let runtime: Runtime | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await runtime?.close();
  await h?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  runtime = undefined;
  h = undefined;
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shiploop-routed-"));
  dirs.push(dir);
  return dir;
}

describe("the kickoff's diagnosis reads PQL conversion from the routed leads", () => {
  it("counts each subject once across rules and an account rule's conversions by account", async () => {
    const pqlDir = tempDir();
    for (const [name, text] of Object.entries(RULES)) writeFileSync(join(pqlDir, name), text);
    // The events file only has to give the diagnosis a funnel to start from.
    const eventsFile = join(tempDir(), "events.ndjson");
    writeFileSync(
      eventsFile,
      Array.from({ length: 10 }, (_, i) =>
        JSON.stringify({
          event: "signed_up",
          distinct_id: `s${i}`,
          timestamp: new Date(T0 - 30 * 24 * HOUR + i * 1000).toISOString(),
          properties: { plan: "free" },
        }),
      ).join("\n"),
    );
    h = await startHarness(await readRules(pqlDir));

    // 20 users view pricing; the first 10 of them open billing too (two rules, one lead each).
    for (let i = 0; i < 20; i++) await h.send(ev("viewed_pricing", `u${i}`, T0));
    for (let i = 0; i < 10; i++) await h.send(ev("opened_billing", `u${i}`, T0 + HOUR));
    // 12 accounts, two users each saving a workflow.
    for (let a = 0; a < 12; a++) {
      const save = (user: string) =>
        ev(
          "saved_workflow",
          user,
          T0 + 2 * HOUR,
          { account_id: `acct${a}` },
          {
            accountId: `acct${a}`,
          },
        );
      await h.send(save(`acct${a}-ann`), save(`acct${a}-bob`));
    }
    // 5 of the users buy, and one user of each of 6 accounts buys for the account.
    for (let i = 0; i < 5; i++) await h.send(ev("subscription_started", `u${i}`, T0 + 24 * HOUR));
    for (let a = 0; a < 6; a++) {
      await h.send(
        ev(
          "subscription_started",
          `acct${a}-bob`,
          T0 + 48 * HOUR,
          { account_id: `acct${a}` },
          {
            accountId: `acct${a}`,
          },
        ),
      );
    }
    await h.settle();

    runtime = createRuntime(
      buildConfig({
        REDIS_URL,
        SHIPLOOP_PREFIX: h.prefix,
        SHIPLOOP_PQL_DIR: pqlDir,
        SHIPLOOP_EVENTS_FILE: eventsFile,
      }),
      pino({ level: "silent" }),
    );
    const snapshot = await runtime.funnel();

    // 20 users + 12 accounts, each once; 5 users + 6 accounts paid after qualifying. (Counting
    // per rule would give 42 leads, and reading the accounts as users 0 account conversions.)
    const leads = 32;
    expect(leads, "enough leads for the diagnosis to use them").toBeGreaterThanOrEqual(
      MIN_ROUTED_LEADS,
    );
    expect(snapshot?.stages.pql.sample).toBe(leads);
    expect(snapshot?.stages.pql.value).toBeCloseTo(11 / leads, 12);
  });
});
