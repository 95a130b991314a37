#!/usr/bin/env python3
"""The scipy side of bench/analyze.ts: the same analyses, written the way gbstats writes them.

Usage: python3 bench/analyze-scipy.py INPUTS.json  (bench/analyze.ts runs it)

Reads the list of analyze inputs, times only the analysis loop, and prints JSON
{"seconds": ..., "results": [[relative lift, p-value or chance to win, SRM p-value], ...]}.
Scalar scipy.stats calls per analysis, as gbstats makes them; the Bayesian risk uses the
closed form (cheaper than gbstats' truncnorm), which only flatters scipy.
"""
import json
import math
import sys
import time

from scipy.stats import chi2, norm, t

ALPHA = 0.05
TUNING = 5000


def moments(kind, s):
    n = s["n"]
    if kind == "proportion":
        p = s["sum"] / n
        return n, p, p * (1 - p)
    mean = s["sum"] / n
    var = (s["sumSquares"] - s["sum"] ** 2 / n) / (n - 1)
    if kind == "mean":
        return n, mean, var
    md = s["denominatorSum"] / n
    vd = (s["denominatorSumSquares"] - s["denominatorSum"] ** 2 / n) / (n - 1)
    c = (s["sumProductDenominator"] - s["sum"] * s["denominatorSum"] / n) / (n - 1)
    v = var / md**2 + vd * mean**2 / md**4 - 2 * c * mean / md**3
    return n, s["sum"] / s["denominatorSum"], v


def cuped(a, b):
    n = a["n"] + b["n"]
    post_sum, post_ss = a["sum"] + b["sum"], a["sumSquares"] + b["sumSquares"]
    pre_sum, pre_ss = a["preSum"] + b["preSum"], a["preSumSquares"] + b["preSumSquares"]
    var_pre = (pre_ss - pre_sum**2 / n) / (n - 1)
    cov = (a["sumProductPre"] + b["sumProductPre"] - post_sum * pre_sum / n) / (n - 1)
    theta = cov / var_pre

    def arm(s):
        k = s["n"]
        vy = (s["sumSquares"] - s["sum"] ** 2 / k) / (k - 1)
        vx = (s["preSumSquares"] - s["preSum"] ** 2 / k) / (k - 1)
        cxy = (s["sumProductPre"] - s["sum"] * s["preSum"] / k) / (k - 1)
        mean = s["sum"] / k
        return k, mean - theta * s["preSum"] / k, mean, vy + theta**2 * vx - 2 * theta * cxy

    return arm(a), arm(b)


def analyze_one(inp):
    # Intervals and risks are computed, as analyze() computes them, so both sides do the same
    # work; only the lift, p-value (or chance to win) and SRM p-value are returned for checking.
    users = [v["users"] for v in inp["variants"]]
    total = sum(users)
    x = sum((u - total / 2) ** 2 / (total / 2) for u in users)
    srm_p = chi2.sf(x, 1)

    metric = inp["metrics"][0]
    a, b = metric["stats"]["control"], metric["stats"]["treatment"]
    if "preSum" in a:
        (nc, mc, uc, vc), (nt, mt, ut, vt) = cuped(a, b)
    else:
        nc, mc, vc = moments(metric["type"], a)
        nt, mt, vt = moments(metric["type"], b)
        uc, ut = mc, mt
    est = (mt - mc) / abs(uc)
    variance = vt / (nt * uc**2) + vc * ut**2 / (nc * uc**4)
    se = math.sqrt(variance)
    method = inp["method"]
    if method == "fixed":
        dof = (vc / nc + vt / nt) ** 2 / ((vc / nc) ** 2 / (nc - 1) + (vt / nt) ** 2 / (nt - 1))
        half = t.ppf(1 - ALPHA / 2, dof) * se
        return [est, 2 * t.sf(abs(est / se), dof), srm_p]
    if method == "sequential":
        n = nc + nt
        rho = math.sqrt((-2 * math.log(ALPHA) + math.log(-2 * math.log(ALPHA) + 1)) / TUNING)
        half = se * math.sqrt(n) * math.sqrt(
            2 * (n * rho**2 + 1) * math.log(math.sqrt(n * rho**2 + 1) / ALPHA) / (n * rho) ** 2
        )
        log_e = rho**2 * est**2 * n / variance / (2 * (n * rho**2 + 1)) - 0.5 * math.log(n * rho**2 + 1)
        return [est, min(1.0, math.exp(-log_e)), srm_p]
    lo, hi = norm.ppf([ALPHA / 2, 1 - ALPHA / 2], est, se)
    ctw = norm.sf(0, est, se)
    density = se * norm.pdf(est / se)
    risk = [est * ctw + density, density - est * (1 - ctw)]
    return [est, ctw, srm_p]


def main():
    with open(sys.argv[1]) as f:
        inputs = json.load(f)
    start = time.perf_counter()
    results = [[float(x) for x in analyze_one(inp)] for inp in inputs]
    seconds = time.perf_counter() - start
    json.dump({"seconds": seconds, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
