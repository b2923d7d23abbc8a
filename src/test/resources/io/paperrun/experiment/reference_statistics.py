#!/usr/bin/env python3
"""Reference values for ExperimentStatisticsTest, computed independently of the Java code.

Run from this folder with Python 3 and scipy (1.17.1 when the fixture was written):

    python3 reference_statistics.py > reference_statistics.json

Each fixture holds the inputs (GroupTotals as the Java test builds them) and the expected ExperimentAnalysis.
Where scipy has the test, scipy computes it: the Wilson intervals (stats.binomtest(...).proportion_ci), the
chi-square goodness of fit (stats.chisquare) and Welch's t-test (stats.ttest_ind, equal_var=False,
alternative='greater') on explicit per-recipient revenue arrays (zeros for recipients without an order). The
pooled z-test, the lift intervals and the minimum detectable effect have no scipy function: their moments are
computed in exact rational arithmetic (fractions.Fraction) and their tails and quantiles with stats.norm.
Money (incremental revenue, ROAS, customers, CAC) is exact rational arithmetic rounded once to a double.
"""

import json
import math
import sys
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import scipy
from scipy import stats

SCIPY = f"scipy {scipy.__version__}"
SOURCES = {
    "rateIntervals": f"{SCIPY} stats.binomtest(x, n).proportion_ci(0.95, method='wilson')",
    "zTest": f"{SCIPY} stats.norm.sf / stats.norm.cdf of z; z from exact fractions",
    "money": "exact fractions (Python fractions.Fraction), rounded once to double",
    "liftInterval": f"{SCIPY} stats.norm.ppf(0.975); variances from exact fractions",
    "sampleRatio": f"{SCIPY} stats.chisquare(observed, f_exp=expected)",
    "revenueTest": f"{SCIPY} stats.ttest_ind(e, c, equal_var=False, alternative='greater') on per-recipient arrays",
    "mde": f"{SCIPY} stats.norm.isf(alpha) + stats.norm.ppf(0.8); variance from exact fractions",
}


def finite_or_none(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


class Group:
    """A group of recipients: `recipients` in all, of whom those in `spend` ordered (spend in cents each)."""

    def __init__(self, recipients, spend_cents, orders):
        assert len(spend_cents) <= recipients and orders >= len(spend_cents)
        assert all(c > 0 for c in spend_cents)
        self.n = recipients
        self.spend_cents = list(spend_cents)
        self.x = len(spend_cents)
        self.orders = orders
        self.revenue = sum(Fraction(c, 100) for c in self.spend_cents)
        self.revenue_squares = sum(Fraction(c, 100) ** 2 for c in self.spend_cents)

    def array(self):
        a = np.zeros(self.n)
        a[: self.x] = np.array(self.spend_cents, dtype=float) / 100.0
        return a

    def totals(self):
        return {
            "recipients": self.n,
            "conversions": self.x,
            "orders": self.orders,
            "revenue": decimal_string(self.revenue, 2),
            "revenueSquares": decimal_string(self.revenue_squares, 4),
        }


def decimal_string(f, places):
    d = (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal(1).scaleb(-places))
    assert Fraction(d) == f, "money must be exact in decimal"
    return format(d, "f")


def spend(rng, converters, orders_extra=0, low=500, high=25000, total_cents=None):
    cents = [int(c) for c in rng.integers(low, high, size=converters)]
    if total_cents is not None and converters:
        drawn = sum(cents)
        cents = [c * total_cents // drawn for c in cents]
        cents[-1] += total_cents - sum(cents)
        assert min(cents) > 0 and sum(cents) == total_cents
    return cents


def wilson(g):
    if g.n == 0:
        return {"low": None, "high": None}
    ci = stats.binomtest(g.x, g.n).proportion_ci(confidence_level=0.95, method="wilson")
    return {"low": float(ci.low), "high": float(ci.high)}


def analyze(e, c, cost, alpha, share, capped):
    cost = Fraction(Decimal(cost)) if cost is not None else None
    cr_e = Fraction(e.x, e.n) if e.n else None
    cr_c = Fraction(c.x, c.n) if c.n else None
    out = {
        "experimentRate": finite_or_none(cr_e),
        "controlRate": finite_or_none(cr_c),
        "experimentRateInterval": wilson(e),
        "controlRateInterval": wilson(c),
    }

    # Pooled two-proportion z-test.
    z = None
    if e.n and c.n:
        p = Fraction(e.x + c.x, e.n + c.n)
        var = p * (1 - p) * (Fraction(1, c.n) + Fraction(1, e.n))
        if var > 0:
            z = float(cr_e - cr_c) / math.sqrt(var)
    out["zScore"] = z
    out["pValue"] = float(stats.norm.sf(z)) if z is not None else None
    out["winProbability"] = float(stats.norm.cdf(z)) if z is not None else None
    out["significant"] = out["pValue"] < alpha if z is not None else None
    out["winner"] = ("experiment" if out["winProbability"] > 0.5 else "control") if z is not None else None
    out["uplift"] = float((cr_e - cr_c) / cr_c) if cr_c else None

    # Money, exactly.
    inc_rev = e.revenue - c.revenue * e.n / c.n if e.n and c.n else None
    out["incrementalRevenue"] = finite_or_none(inc_rev)
    out["incrementalRoas"] = float(inc_rev / cost) if inc_rev is not None and cost else None
    inc_cust = Fraction(e.orders) - Fraction(c.orders * e.n, c.n) if e.n and c.n else None
    out["incrementalCustomers"] = finite_or_none(inc_cust)
    out["cac"] = float(cost / inc_cust) if inc_cust is not None and inc_cust > 0 and cost is not None else None

    # Lift intervals (Wald, delta method).
    z975 = float(stats.norm.ppf(0.975))
    absolute = {"low": None, "high": None}
    relative = {"low": None, "high": None}
    if e.n and c.n:
        diff = float(cr_e - cr_c)
        half = z975 * math.sqrt(cr_e * (1 - cr_e) / e.n + cr_c * (1 - cr_c) / c.n)
        absolute = {"low": diff - half, "high": diff + half}
        if cr_c > 0:
            up = float((cr_e - cr_c) / cr_c)
            var = cr_e * (1 - cr_e) / (cr_c**2 * e.n) + cr_c * (1 - cr_c) * cr_e**2 / (cr_c**4 * c.n)
            half = z975 * math.sqrt(var)
            relative = {"low": up - half, "high": up + half}
    out["liftInterval"] = {"level": 0.95, "absolute": absolute, "relative": relative}

    # Sample ratio mismatch.
    total = e.n + c.n
    sr = {
        "expectedControlShare": share,
        "observedControlShare": float(Fraction(c.n, total)) if total else None,
        "chiSquare": None,
        "pValue": None,
        "mismatch": False,
    }
    if share is not None and 0 < share < 1 and total and not capped:
        res = stats.chisquare([c.n, e.n], f_exp=[total * share, total * (1 - share)])
        sr["chiSquare"] = float(res.statistic)
        sr["pValue"] = float(res.pvalue)
        sr["mismatch"] = bool(res.pvalue < 0.001)
    out["sampleRatio"] = sr

    # Welch's t-test on revenue per recipient.
    rt = {
        "meanExperiment": float(e.revenue / e.n) if e.n else None,
        "meanControl": float(c.revenue / c.n) if c.n else None,
        "t": None,
        "df": None,
        "pValue": None,
    }
    if e.n and c.n:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stats.ttest_ind(e.array(), c.array(), equal_var=False, alternative="greater")
        rt["t"] = finite_or_none(res.statistic)
        rt["df"] = finite_or_none(res.df)
        rt["pValue"] = finite_or_none(res.pvalue)
        if rt["t"] is None:
            rt["df"] = rt["pValue"] = None
    var_e = e.revenue_squares - e.revenue**2 / e.n if e.n else 0
    var_c = c.revenue_squares - c.revenue**2 / c.n if c.n else 0
    defined = e.n >= 2 and c.n >= 2 and (var_e > 0 or var_c > 0)
    assert (rt["t"] is not None) == defined, "scipy and the null rule disagree"
    out["revenueTest"] = rt

    # Minimum detectable effect.
    mde = {"power": 0.8, "absolute": None, "relative": None}
    if e.n and c.n:
        za = float(stats.norm.isf(alpha))
        zb = float(stats.norm.ppf(0.8))
        mde["absolute"] = (za + zb) * math.sqrt(cr_c * (1 - cr_c) * (Fraction(1, e.n) + Fraction(1, c.n)))
        if cr_c > 0:
            mde["relative"] = mde["absolute"] / float(cr_c)
    out["mde"] = mde
    return out


def fixture(name, description, e, c, cost="0.00", alpha=0.05, share=0.10, capped=False):
    return {
        "name": name,
        "description": description,
        "source": f"reference_statistics.py with {SCIPY}; each field as in sources",
        "input": {
            "experiment": e.totals(),
            "control": c.totals(),
            "totalCost": cost,
            "alpha": alpha,
            "expectedControlShare": share,
            "holdoutCapped": capped,
        },
        "expected": analyze(e, c, cost, alpha, share, capped),
    }


def check_spec_example(f):
    """interface.md's example, to the places it shows. ROAS and CAC are shown cut, not rounded: 2.1854, 33.375."""
    x = f["expected"]
    shown = {
        "uplift": (0.6667, 4),
        "zScore": (0.89, 2),
        "pValue": (0.19, 2),
        "winProbability": (0.81, 2),
        "incrementalRevenue": (1750.50, 2),
        "incrementalCustomers": (24.0, 1),
    }
    for k, (v, places) in shown.items():
        assert round(x[k], places) == v, (k, x[k], v)
    assert math.floor(x["incrementalRoas"] * 100) / 100 == 2.18, x["incrementalRoas"]
    assert math.floor(x["cac"] * 100) / 100 == 33.37, x["cac"]
    assert x["significant"] is False and x["winner"] == "experiment"


def main():
    rng = np.random.default_rng(20240917)
    fixtures = []

    # interface.md, "report experiment --format json": 900/45/51/3100.50 against 100/3/3/150.00, cost 801.00.
    fixtures.append(
        fixture(
            "spec_example",
            "interface.md's example groups; revenue split over the converters, 6 of whom ordered twice",
            Group(900, spend(rng, 45, total_cents=310050), 51),
            Group(100, [4000, 5000, 6000], 3),
            cost="801.00",
        )
    )
    fixtures.append(
        fixture(
            "ordinary",
            "a typical campaign near its 10% holdout share",
            Group(18015, spend(rng, 1130), 1240),
            Group(1985, spend(rng, 88), 93),
            cost="14770.75",
        )
    )
    fixtures.append(
        fixture(
            "ordinary_alpha_001",
            "a clear win at alpha 0.01 with a 20% holdout",
            Group(4000, spend(rng, 260, low=2000, high=30000), 301),
            Group(1000, spend(rng, 41, low=2000, high=30000), 44),
            cost="3280.00",
            alpha=0.01,
            share=0.20,
        )
    )
    fixtures.append(
        fixture(
            "experiment_worse",
            "the control converts better: winner control, negative increments, no CAC",
            Group(2700, spend(rng, 54), 57),
            Group(300, spend(rng, 12), 12),
            cost="2187.00",
        )
    )
    fixtures.append(
        fixture(
            "zero_control_conversions",
            "no control conversion: uplift and the relative interval undefined",
            Group(540, spend(rng, 12), 13),
            Group(60, [], 0),
            cost="437.40",
        )
    )
    fixtures.append(
        fixture(
            "no_conversions",
            "no conversion in either group: the z-test and the t-test undefined",
            Group(450, [], 0),
            Group(50, [], 0),
            cost="364.50",
        )
    )
    fixtures.append(
        fixture(
            "all_converted",
            "every recipient converted: z undefined, lift intervals collapse to the point",
            Group(40, spend(rng, 40), 44),
            Group(10, spend(rng, 10), 10),
            cost="32.40",
        )
    )
    fixtures.append(
        fixture(
            "empty_control",
            "no control recipient: comparisons undefined, the sample ratio a clear mismatch",
            Group(500, spend(rng, 20), 22),
            Group(0, [], 0),
            cost="405.00",
        )
    )
    fixtures.append(
        fixture(
            "empty_groups",
            "no recipient at all",
            Group(0, [], 0),
            Group(0, [], 0),
            cost="0.00",
        )
    )
    fixtures.append(
        fixture(
            "single_control_recipient",
            "a control group of one recipient: the t-test undefined, its mean given",
            Group(300, spend(rng, 20), 21),
            Group(1, [8000], 1),
            cost="243.00",
            share=None,
        )
    )
    fixtures.append(
        fixture(
            "srm_mismatch",
            "10,000 recipients, expected control share 0.10, observed 0.15",
            Group(8500, spend(rng, 340), 360),
            Group(1500, spend(rng, 45), 47),
            cost="6885.00",
        )
    )
    fixtures.append(
        fixture(
            "srm_exact",
            "10,000 recipients split exactly 0.10: chi-square 0, p 1",
            Group(9000, spend(rng, 360), 380),
            Group(1000, spend(rng, 30), 31),
            cost="7290.00",
        )
    )
    fixtures.append(
        fixture(
            "holdout_capped",
            "the srm_mismatch sizes, but the holdout maximum was reached: no test",
            Group(8500, spend(rng, 340), 360),
            Group(1500, spend(rng, 45), 47),
            cost="6885.00",
            capped=True,
        )
    )
    fixtures.append(
        fixture(
            "no_holdout_share",
            "no configured share: only the observed share",
            Group(1200, spend(rng, 60), 66),
            Group(130, spend(rng, 4), 4),
            cost="972.00",
            share=None,
        )
    )
    fixtures.append(
        fixture(
            "zero_cost",
            "no cost: ROAS undefined, CAC zero",
            Group(1800, spend(rng, 90), 95),
            Group(200, spend(rng, 6), 6),
            cost="0.00",
        )
    )
    fixtures.append(
        fixture(
            "newcombe_groups",
            "Newcombe (1998)'s 81/263 and 15/148 as the groups' conversions",
            Group(263, spend(rng, 81), 90),
            Group(148, spend(rng, 15), 15),
            cost="213.03",
            share=0.36,
        )
    )
    fixtures.append(
        fixture(
            "large",
            "1,000,000 experiment recipients against 111,200 in control",
            Group(1_000_000, spend(rng, 51234), 55012),
            Group(111_200, spend(rng, 5488), 5702),
            cost="810000.00",
        )
    )

    check_spec_example(fixtures[0])
    json.dump({"generator": "reference_statistics.py", "sources": SOURCES, "fixtures": fixtures}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
