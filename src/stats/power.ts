/**
 * Sample size for a fixed-horizon two-sided test of the relative lift, so that a true lift of
 * `mde` is detected with probability `power`. Uses the same delta-method variance as the test
 * itself, and the normal approximation (the t quantiles are indistinguishable at these sizes).
 */
import { normalQuantile } from "./distributions.js";

interface PowerCommon {
  /** Minimum detectable effect, relative: 0.05 = a 5 % lift. */
  mde: number;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Probability of detecting a true lift of `mde` (default 0.8). */
  power?: number;
  /** Share of users in treatment, between 0 and 1 (default 0.5). A backlog `split: 50` is 0.5. */
  split?: number;
}

export type PowerArgs =
  | (PowerCommon & { baselineRate: number })
  | (PowerCommon & { baselineMean: number; sd: number });

export interface SampleSize {
  control: number;
  treatment: number;
  total: number;
}

/** Throws RangeError on arguments that have no answer (a programming error, not user input). */
export function requiredSampleSize(args: PowerArgs): SampleSize {
  const { mde, alpha = 0.05, power = 0.8, split = 0.5 } = args;
  if (!(mde !== 0 && Number.isFinite(mde))) throw new RangeError("mde must be a non-zero number");
  if (!(alpha > 0 && alpha < 1)) throw new RangeError("alpha must be between 0 and 1");
  if (!(power > 0 && power < 1)) throw new RangeError("power must be between 0 and 1");
  if (!(split > 0 && split < 1)) throw new RangeError("split must be between 0 and 1");

  let meanC: number;
  let varC: number;
  let meanT: number;
  let varT: number;
  if ("baselineRate" in args) {
    const p = args.baselineRate;
    if (!(p > 0 && p < 1)) throw new RangeError("baselineRate must be between 0 and 1");
    meanC = p;
    meanT = p * (1 + mde);
    if (!(meanT > 0 && meanT < 1)) throw new RangeError("baselineRate × (1 + mde) must be a rate");
    varC = p * (1 - p);
    varT = meanT * (1 - meanT);
  } else {
    if (!(args.baselineMean !== 0 && args.sd > 0)) {
      throw new RangeError("baselineMean must be non-zero and sd positive");
    }
    meanC = args.baselineMean;
    meanT = meanC * (1 + mde);
    varC = args.sd * args.sd;
    varT = varC;
  }

  // Var(relative lift) with N users in all = perUser / N, from
  // v_t/(n_t m_c²) + v_c m_t²/(n_c m_c⁴) with n_t = split·N, n_c = (1 − split)·N.
  const m2 = meanC * meanC;
  const perUser = varT / (split * m2) + (varC * meanT * meanT) / ((1 - split) * m2 * m2);
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  const total = (z * z * perUser) / (mde * mde);
  const treatment = Math.ceil(total * split);
  const control = Math.ceil(total * (1 - split));
  return { control, treatment, total: control + treatment };
}
