import type { BacklogItem } from "../domain/backlog-item.js";
import { itemDigest, type Ledger } from "../ledger/ledger.js";

export interface Eligibility {
  liveSurfaces: Set<string>;
  shippedIds: Set<string>;
  blockedIds: Set<string>;
}

/**
 * What the ledger says about each item: its surface is live, it already ran, or it is blocked.
 * A blocked item becomes eligible again once its file changes (someone fixed it), because the
 * ledger keeps a digest of the item as it was when it was blocked. One read of the ledger's
 * item index, however many weeks have run.
 */
export async function eligibilityFromLedger(
  ledger: Ledger,
  items: readonly BacklogItem[],
): Promise<Eligibility> {
  const [index, live] = await Promise.all([ledger.itemIndex(), ledger.liveSurfaces()]);
  const current = new Map(items.map((item) => [item.id, itemDigest(item)]));
  const shippedIds = new Set<string>();
  const blockedIds = new Set<string>();
  for (const [itemId, latest] of index) {
    if (latest.status === "blocked") {
      if (current.get(itemId) === latest.digest) blockedIds.add(itemId);
    } else {
      shippedIds.add(itemId);
    }
  }
  return { liveSurfaces: new Set(Object.keys(live)), shippedIds, blockedIds };
}
