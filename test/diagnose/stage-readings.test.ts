import { describe, expect, it } from "vitest";
import { DiagnoseSettingsSchema } from "../../src/diagnose/diagnose-settings.js";
import { formatNumber, type Headlines, readStages } from "../../src/diagnose/stage-readings.js";

const samples = { ttv: 100, activation: 100, pql: 100, monetization: 100, retention: 100 };
const headlines = (h: Partial<Headlines>): Headlines => ({
  ttvMedianMinutes: null,
  activationRate: null,
  pqlConversion: null,
  freeToPaid: null,
  nrr: null,
  samples,
  ...h,
});

describe("readStages: gap and the phrase a growth lead reads", () => {
  it.each([
    {
      h: { activationRate: 0.28 },
      model: "freemium" as const,
      stage: "activation" as const,
      gap: 0.3,
      summary: "activation rate is 12 pts under benchmark (28 % vs 40 %)",
    },
    {
      h: { activationRate: 0.42 },
      model: "freemium" as const,
      stage: "activation" as const,
      gap: 0,
      summary: "activation rate meets its benchmark (42 % vs 40 %)",
    },
    {
      h: { ttvMedianMinutes: 20 },
      model: "freemium" as const,
      stage: "ttv" as const,
      gap: 0.5,
      summary: "time to value is 10 min over benchmark (median 20 min vs ≤ 10 min)",
    },
    {
      h: { freeToPaid: 0.012 },
      model: "freemium" as const,
      stage: "monetization" as const,
      gap: 0.4,
      summary: "free-to-paid conversion is 0.8 pts under benchmark (1.2 % vs 2–5 % freemium)",
    },
    {
      h: { freeToPaid: 0.06 },
      model: "trial" as const,
      stage: "monetization" as const,
      gap: 0.4,
      summary: "free-to-paid conversion is 4 pts under benchmark (6 % vs 10–25 % trial)",
    },
    {
      h: { nrr: 0.94 },
      model: "freemium" as const,
      stage: "retention" as const,
      gap: 0.06,
      summary: "net revenue retention is 6 pts under benchmark (94 % vs 100–120 %)",
    },
    {
      h: { pqlConversion: 0.15 },
      model: "freemium" as const,
      stage: "pql" as const,
      gap: 0.4,
      summary: "PQL conversion is 10 pts under benchmark (15 % vs 25 %)",
    },
  ])("$summary", ({ h, model, stage, gap, summary }) => {
    const reading = readStages(headlines(h), DiagnoseSettingsSchema.parse({ model }))[stage];
    expect(reading.gap).toBeCloseTo(gap, 12);
    expect(reading.summary).toBe(summary);
  });
});

describe("DiagnoseSettingsSchema", () => {
  it("fills every default, nested ones included", () => {
    const s = DiagnoseSettingsSchema.parse({ pql: { windowHours: 24 } });
    expect(s).toMatchObject({
      activationDays: 7,
      conversionDays: 30,
      model: "freemium",
      pql: {
        windowHours: 24,
        signals: [
          { event: "invite", atLeast: 2, distinctBy: "invitee_id" },
          { event: "workflowSaved", atLeast: 1 },
          { event: "pricingViewed", atLeast: 1 },
        ],
      },
      benchmarks: {
        ttvMinutes: 10,
        activationRate: 0.4,
        freeToPaid: { freemium: [0.02, 0.05], trial: [0.1, 0.25] },
        nrr: [1, 1.2],
      },
    });
  });

  it.each([
    { input: { model: "enterprise" }, path: "model" },
    { input: { activationDays: 0 }, path: "activationDays" },
    { input: { benchmarks: { nrr: [1.2, 1] } }, path: "benchmarks.nrr" },
    { input: { pql: { signals: [] } }, path: "pql.signals" },
    { input: { typo: 1 }, path: "" },
  ])("rejects $input at '$path'", ({ input, path }) => {
    const result = DiagnoseSettingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join(".")).toBe(path);
  });
});

describe("formatNumber", () => {
  it.each([
    { x: 120.4, text: "120" },
    { x: 19.64, text: "19.6" },
    { x: 12.000000000000002, text: "12" },
    { x: 5.36, text: "5.4" },
    { x: 0.043, text: "0.04" },
    { x: -0.43, text: "-0.43" },
  ])("$x → $text", ({ x, text }) => {
    expect(formatNumber(x)).toBe(text);
  });
});
