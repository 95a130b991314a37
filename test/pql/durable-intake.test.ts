import { pino } from "pino";
import { expect, it } from "vitest";
import { buildConfig } from "../../src/config/config.js";
import { acceptEvents } from "../../src/pql/accept-events.js";
import { pqlKeys } from "../../src/pql/pql-keys.js";
import { startPqlRouting } from "../../src/pql/start-pql-routing.js";
import { removePrefix, testRedis, uniquePrefix, waitFor } from "../support/redis.js";
import { ev, HOUR, SEED_RULE, T0 } from "./harness.js";

it("evaluates events acknowledged while no evaluator ran, and those a dead consumer held", async () => {
  const redis = testRedis();
  const prefix = uniquePrefix("durable");
  const keys = pqlKeys(prefix);
  const config = buildConfig({ SHIPLOOP_PREFIX: prefix });
  const silent = pino({ level: "silent" });
  try {
    // A consumer read two events and died before acknowledging them.
    await redis.xgroup("CREATE", keys.stream, keys.group, "0", "MKSTREAM");
    await acceptEvents(
      redis,
      keys,
      [
        ev("invited_teammate", "u1", T0, { invitee: "a" }),
        ev("invited_teammate", "u1", T0 + HOUR, { invitee: "b" }),
      ],
      Date.now(),
      60_000,
    );
    await redis.xreadgroup(
      "GROUP",
      keys.group,
      "dead-consumer",
      "COUNT",
      10,
      "STREAMS",
      keys.stream,
      ">",
    );
    // These were answered 202 while the worker was down.
    await acceptEvents(
      redis,
      keys,
      [ev("saved_workflow", "u1", T0 + 2 * HOUR), ev("viewed_pricing", "u1", T0 + 3 * HOUR)],
      Date.now(),
      60_000,
    );

    const routing = await startPqlRouting(config, redis, silent, {
      rules: [SEED_RULE],
      crm: null,
      claimIdleMs: 200,
    });
    try {
      const ids = await waitFor("the qualification", async () => {
        const all = await redis.hkeys(keys.qualifications);
        return all.length > 0 ? all : undefined;
      });
      expect(ids).toEqual([`team-adoption|u|u1|${T0 + 3 * HOUR}`]);
      await waitFor("the stream to drain", async () =>
        (await redis.xlen(keys.stream)) === 0 ? true : undefined,
      );
    } finally {
      await routing.close();
    }
  } finally {
    await removePrefix(redis, prefix);
    redis.disconnect();
  }
});
