/** The five places a product-led funnel leaks, in funnel order. */
export const FUNNEL_STAGES = ["ttv", "activation", "pql", "monetization", "retention"] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const STAGE_LABELS: Record<FunnelStage, string> = {
  ttv: "time to value",
  activation: "activation rate",
  pql: "PQL conversion",
  monetization: "free-to-paid conversion",
  retention: "net revenue retention",
};
