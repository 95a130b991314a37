import type { BacklogItem } from "../../domain/backlog-item.js";

/** One arm of an experiment as PostHog records it: the `$feature_flag_response` a user saw. */
export interface FlagVariant {
  name: string;
  /** `$feature_flag_response` as HogQL text: `true`/`false` for a gate, the variant key otherwise. */
  response: string;
  /** The designed share of users, 0..1. */
  weight: number;
}

/**
 * The feature flag whose exposures split an item's users, and its arms, baseline first: a gate
 * (`pull-request` and `gate` items) is `false` → control, `true` → treatment at the item's
 * split; an experiment's flag is named after the experiment, one variant per group.
 */
export function flagVariants(item: BacklogItem): { flag: string; variants: FlagVariant[] } {
  const ship = item.ship;
  if (ship.kind === "experiment") {
    return {
      flag: ship.experiment,
      variants: ship.groups.map((g) => ({ name: g.name, response: g.name, weight: g.size / 100 })),
    };
  }
  const share = item.split / 100;
  return {
    flag: ship.gate,
    variants: [
      { name: "control", response: "false", weight: 1 - share },
      { name: "treatment", response: "true", weight: share },
    ],
  };
}
