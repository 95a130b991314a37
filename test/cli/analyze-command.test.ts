import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runAnalyze } from "../../src/cli/analyze-command.js";
import { isShiploopError } from "../../src/domain/errors.js";

const example = readFileSync(
  new URL("../stats/fixtures/design-example.json", import.meta.url),
  "utf8",
);

function userErrorOf(text: string): string {
  try {
    runAnalyze(text);
  } catch (error) {
    if (isShiploopError(error) && error.kind === "user") return error.message;
    throw error;
  }
  throw new Error("expected a user error");
}

describe("runAnalyze", () => {
  it("analyses DESIGN.md's example into one JSON object of the contract's shape", () => {
    const out = runAnalyze(example);
    expect(out.endsWith("}\n")).toBe(true);
    const result = JSON.parse(out);
    expect(result.srm.mismatch).toBe(false);
    expect(result.srm.pValue).toBeCloseTo(0.5724, 3);
    expect(result.metrics.map((m: { name: string }) => m.name)).toEqual([
      "activated",
      "revenue",
      "revenue_per_seat",
    ]);
    const activated = result.metrics[0].comparisons[0];
    expect(activated).toMatchObject({
      variant: "treatment",
      baselineMean: 0.18,
      pValueAdjusted: null,
      chanceToWin: null,
      risk: null,
      cuped: false,
      significant: true,
    });
    expect(activated.mean).toBeCloseTo(1950 / 10080, 12);
    expect(activated.relativeLift).toBeCloseTo(1950 / 10080 / 0.18 - 1, 12);
    expect(result.metrics[1].comparisons[0].cuped).toBe(true);
  });

  it.each([
    ["", "stdin: expected one JSON object, got nothing"],
    ["{ nope", "stdin: not valid JSON"],
    ["[]", "input: expected a JSON object"],
    [
      JSON.stringify({ ...JSON.parse(example), variants: [{ name: "control", users: 1 }] }),
      "variants: expected at least two variants",
    ],
  ])("rejects %j with a clear message", (text, message) => {
    expect(userErrorOf(text)).toContain(message);
  });

  it.each([
    {
      path: "metrics.1.stats.treatment.n",
      value: -1,
      message: "metrics[1].stats.treatment.n: expected a number >= 0",
    },
    {
      path: "metrics.0.stats.control.sum",
      value: "1800",
      message: "metrics[0].stats.control.sum: expected a number >= 0",
    },
    {
      path: "metrics.2.stats.treatment",
      value: undefined,
      message: 'metrics[2].stats.treatment: missing statistics for variant "treatment"',
    },
    {
      path: "metrics.1.stats.control.sumSquares",
      value: undefined,
      message: "metrics[1].stats.control.sumSquares: required: a number >= 0",
    },
    {
      path: "metrics.0.type",
      value: "median",
      message: 'metrics[0].type: expected type "proportion", "mean" or "ratio"',
    },
    { path: "method", value: "frequentist", message: "method: Invalid option" },
    { path: "alpha", value: 5, message: "alpha: expected a number between 0 and 1" },
    {
      path: "metrics.0.stats.control.sum",
      value: 10001,
      message:
        "metrics[0].stats.control.sum: a proportion's sum (users who converted) cannot exceed n",
    },
    {
      path: "metrics.1.stats.control.sumSquare",
      value: 1,
      message: 'metrics[1].stats.control: Unrecognized key: "sumSquare"',
    },
    {
      path: "metrics.1.stats.treatment.sumProductPre",
      value: undefined,
      message:
        "metrics[1].stats.treatment.sumProductPre: required with the other pre-period fields",
    },
    {
      path: "variants.1.name",
      value: "control",
      message: 'variants[1].name: duplicate variant name "control"',
    },
  ])("names the JSON path: $message", ({ path, value, message }) => {
    expect(userErrorOf(JSON.stringify(withField(JSON.parse(example), path, value)))).toContain(
      message,
    );
  });
});

/** Sets (or, with undefined, deletes) the field at a dotted path such as `metrics.1.stats`. */
function withField(json: unknown, path: string, value: unknown): unknown {
  const keys = path.split(".");
  const last = keys.pop() as string;
  let node = json as Record<string, unknown>;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return json;
}

// The built CLI end to end, once `npm run build` has produced it with the command wired in.
const cli = new URL("../../dist/src/cli.js", import.meta.url);
const wired = existsSync(cli) && readFileSync(cli, "utf8").includes("registerAnalyze");
describe.runIf(wired)("shiploop analyze (built CLI)", () => {
  it("reads stdin, writes JSON and exits 0; bad input exits 1 naming the path", () => {
    const ok = spawnSync(process.execPath, [cli.pathname, "analyze"], { input: example });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout.toString()).metrics).toHaveLength(3);

    const bad = JSON.parse(example);
    bad.metrics[1].stats.treatment.n = -1;
    const failed = spawnSync(process.execPath, [cli.pathname, "analyze"], {
      input: JSON.stringify(bad),
    });
    expect(failed.status).toBe(1);
    expect(failed.stderr.toString()).toContain(
      "metrics[1].stats.treatment.n: expected a number >= 0",
    );
  });
});
