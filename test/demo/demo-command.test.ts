import { afterEach, describe, expect, it } from "vitest";
import { registerDemo } from "../../src/cli/demo-command.js";
import { runCommand } from "../support/run-command.js";

afterEach(() => {
  process.exitCode = undefined;
});

async function demo(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let err = "";
  const run = await runCommand(
    (program, stdout) =>
      registerDemo(program, {
        stdout,
        stderr: (text) => {
          err += text;
        },
      }),
    ["demo", ...args],
  );
  return { out: run.out, err: err + run.err, code: run.code };
}

describe("shiploop demo", () => {
  it("runs on the shipped backlog in experiments/ and prints weeks and totals as JSON", async () => {
    const { out, code } = await demo("--backlog", "experiments", "--weeks", "12", "--json");
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.backlog).toBe("given");
    expect(result.items).toBe(11);
    expect(typeof result.oracleRatio).toBe("number");
    expect(result.oracleRatio).toBeLessThanOrEqual(1);
    const weeks = result.strategies.shiploop.weeks;
    expect(weeks).toHaveLength(12);
    expect(weeks.filter((w: { itemId: string | null }) => w.itemId !== null)).toHaveLength(11);
    expect(weeks[11].idleReason).toBe("backlog exhausted");
    expect(Object.keys(result.totals)).toEqual(["oracle", "shiploop", "ice", "random"]);
  });

  it("prints a week-by-week table and the totals, the same for the same seed", async () => {
    const first = await demo("--weeks", "6", "--seed", "42", "--items", "30");
    const second = await demo("--weeks", "6", "--seed", "42", "--items", "30");
    expect(first.code).toBe(0);
    expect(second.out).toBe(first.out);
    expect(first.out).toContain("week  item");
    expect(first.out).toMatch(/^oracle\s+\+/m);
    expect(first.out).toMatch(/^shiploop\s/m);
  });

  it("rejects a bad flag with exit 1 and one clear line", async () => {
    const { code, err } = await demo("--weeks", "0");
    expect(code).toBe(1);
    expect(err).toContain("--weeks: expected a whole number from 1 to 520");
  });

  it("names a missing backlog directory", async () => {
    const { code, err } = await demo("--backlog", "no-such-dir");
    expect(code).toBe(1);
    expect(err).toContain("no-such-dir does not exist");
  });
});
