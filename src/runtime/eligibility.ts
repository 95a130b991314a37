import type { BacklogItem } from "../domain/backlog-item.js";
import type { Ledger } from "../ledger/ledger.js";

export interface Eligibility {
  liveSurfaces: Set<string>;
  shippedIds: Set<string>;
  blockedIds: Set<string>;
}

/**
 * What the ledger says about each item: its surface is live, it already ran, or it is blocked.
 * A blocked item becomes eligible again once its file changes (someone fixed it), because the
 * ledger keeps the item as it was when it was blocked.
 */
export async function eligibilityFromLedger(
  ledger: Ledger,
  items: readonly BacklogItem[],
): Promise<Eligibility> {
  const [experiments, live] = await Promise.all([
    ledger.listExperiments({ limit: 100_000 }),
    ledger.liveSurfaces(),
  ]);
  const current = new Map(items.map((item) => [item.id, JSON.stringify(item)]));
  const shippedIds = new Set<string>();
  const blockedIds = new Set<string>();
  for (const experiment of experiments) {
    if (experiment.status === "blocked") {
      if (current.get(experiment.itemId) === JSON.stringify(experiment.item))
        blockedIds.add(experiment.itemId);
    } else {
      shippedIds.add(experiment.itemId);
    }
  }
  return { liveSurfaces: new Set(Object.keys(live)), shippedIds, blockedIds };
}
