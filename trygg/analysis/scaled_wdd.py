"""The WDD against one large control area, scaled to the size of the target and buffer.

Wheeler & Ratcliffe's (2018) weighted displacement difference subtracts the control's change
in raw counts, which assumes a control about as busy as the target. The usual control here is
the rest of the municipality, hundreds of times busier than a square: its raw change would
swamp the target's. Wheeler's own `ptools::wdd` allows a weight per area for this; the
weights chosen here are the before-counts ratios t0/c0 and d0/c0, so the control's change is
scaled to what the target and buffer would have seen had they followed it
(the same proportional assumption as the relative effect size).
"""

from __future__ import annotations

import math
from numbers import Integral
from statistics import NormalDist

from trygg.analysis.evaluation import WDD


def wdd_with_scaled_control(t0: int, t1: int, d0: int, d1: int, c0: int, c1: int) -> WDD | None:
    """Weighted WDD (Wheeler & Ratcliffe 2018, area weights as in ptools::wdd) with one control.

    t = target, d = buffer, c = control; 0 = before, 1 = after. Estimate
    (t1 - t0) + (d1 - d0) - (wt + wd)(c1 - c0) with wt = t0/c0, wd = d0/c0, i.e. the events
    in target and buffer after, minus those expected from the control's trend. The target's
    and the buffer's control are the same area, so their terms are one term and its variance
    is (wt + wd)^2 (c0 + c1), not the sum of two. Negative = fewer. None when c0 is 0 (the
    control cannot be scaled). With c0 = t0 and no buffer this is the unweighted WDD.
    """
    for name, value in {"t0": t0, "t1": t1, "d0": d0, "d1": d1, "c0": c0, "c1": c1}.items():
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
            raise ValueError(f"{name} must be a whole number of events, got {value!r}")
    if c0 == 0:
        return None
    weight = (t0 + d0) / c0
    estimate = (t1 - t0) + (d1 - d0) - weight * (c1 - c0)
    se = math.sqrt(t0 + t1 + d0 + d1 + weight**2 * (c0 + c1))
    z = estimate / se if se else math.nan
    p_value = 2.0 * NormalDist().cdf(-abs(z)) if se else math.nan
    return WDD(float(estimate), se, z, p_value, int(t0), int(t0 + t1))
