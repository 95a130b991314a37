import type { BacklogItem } from "../domain/backlog-item.js";
import type { GroupPrior, Priors } from "../domain/priors.js";

/** A group of past verdicts an item belongs to, e.g. its surface `onboarding`. */
export interface EvidenceGroup {
  kind: "stage" | "surface" | "tag";
  name: string;
  prior: GroupPrior;
}

export interface ItemCalibration {
  /** Multiplier on the author's expected lift (1 = no evidence, trust the author). */
  lift: number;
  /** Verdicts behind `lift`, summed over the item's groups (a verdict may count in several). */
  liftEvidence: number;
  /** Multiplier on the planned effort. */
  effort: number;
  effortEvidence: number;
  /** The group with the most lift evidence, quoted in the why line; `undefined` without evidence. */
  strongest: EvidenceGroup | undefined;
}

/**
 * Combines the item's stage, surface and tag priors into one lift and one effort calibration:
 * the average of the groups' shrunk calibrations weighted by their verdict counts,
 * Σ k_g·c_g / Σ k_g. Each group's own shrinkage (B, from its verdicts' precision and the
 * estimated prior) already says how far to trust it; averaging rather than adding keeps one
 * verdict that sits in three groups from counting thrice.
 */
export function calibrateItem(item: BacklogItem, priors: Priors): ItemCalibration {
  const groups = evidenceGroups(item, priors);
  let liftWeight = 0;
  let liftSum = 0;
  let effortWeight = 0;
  let effortSum = 0;
  let strongest: EvidenceGroup | undefined;
  for (const group of groups) {
    const p = group.prior;
    if (p.deliveryRatio !== null && p.verdicts > 0) {
      liftWeight += p.verdicts;
      liftSum += p.verdicts * p.liftCalibration;
      // Strictly greater: on a tie the earlier (more specific) group keeps the quote.
      if (!strongest || p.verdicts > strongest.prior.verdicts) strongest = group;
    }
    if (p.effortRatio !== null && p.effortVerdicts > 0) {
      effortWeight += p.effortVerdicts;
      effortSum += p.effortVerdicts * p.effortCalibration;
    }
  }
  return {
    lift: liftWeight > 0 ? liftSum / liftWeight : 1,
    liftEvidence: liftWeight,
    effort: effortWeight > 0 ? effortSum / effortWeight : 1,
    effortEvidence: effortWeight,
    strongest,
  };
}

/** The item's groups with priors, most specific first: surface, then stage, then tags by name. */
function evidenceGroups(item: BacklogItem, priors: Priors): EvidenceGroup[] {
  const groups: EvidenceGroup[] = [];
  const surface = own(priors.surface, item.surface);
  if (surface) groups.push({ kind: "surface", name: item.surface, prior: surface });
  const stage = own(priors.stage, item.stage);
  if (stage) groups.push({ kind: "stage", name: item.stage, prior: stage });
  for (const tag of [...new Set(item.tags)].sort()) {
    const prior = own(priors.tag, tag);
    if (prior) groups.push({ kind: "tag", name: tag, prior });
  }
  return groups;
}

/** Own keys only: a tag named `constructor` must not find `Object.prototype.constructor`. */
function own<T>(record: Partial<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
