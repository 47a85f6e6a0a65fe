"""Confidence intervals of the force analysis: Wilson for a crude proportion, Fay–Feuer (gamma)
for a directly age-standardised one. Vectorised over cells."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def wilson(
    cases: npt.ArrayLike, n: npt.ArrayLike, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval (Wilson EB, J Am Stat Assoc 1927;22:209–12; recommended over the
    Wald interval by Newcombe RG, Stat Med 1998;17:857–72). NaN where n is 0."""
    x = np.asarray(cases, dtype="float64")
    total = np.asarray(n, dtype="float64")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / total
        centre = (p + z * z / (2 * total)) / (1 + z * z / total)
        half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    low = np.where(total > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(total > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # At x = 0 and x = n the bounds are exactly 0 and 1; floating point can miss by an ulp.
    low = np.where((x == 0) & (total > 0), 0.0, low)
    high = np.where((x == total) & (total > 0), 1.0, high)
    return low, high


def fay_feuer(
    cases: Sequence[npt.ArrayLike],
    n: Sequence[npt.ArrayLike],
    weights: Sequence[float],
    level: float = 0.95,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Directly standardised proportion and its gamma interval (Fay MP, Feuer EJ. Stat Med
    1997;16:791–801), one value per cell.

    ``cases[i]`` and ``n[i]`` are arrays over cells for age band i; ``weights[i]`` the
    standard population of band i. Bands where a cell has nobody are left out and the weights
    renormalised over the rest. y = Σ wᵢ xᵢ with wᵢ = Wᵢ/nᵢ, v = Σ wᵢ² xᵢ, w_M = max wᵢ;
    lower = Γ⁻¹(α/2; y²/v, v/y), upper = Γ⁻¹(1−α/2; (y+w_M)²/(v+w_M²), (v+w_M²)/(y+w_M)).
    """
    from scipy.stats import gamma  # ~60 MB: loaded when figures are computed, not when serving

    x = np.vstack([np.asarray(c, dtype="float64") for c in cases])
    size = np.vstack([np.asarray(m, dtype="float64") for m in n])
    standard = np.asarray(weights, dtype="float64")[:, None] * (size > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = standard / standard.sum(axis=0)
        w = np.where(size > 0, share / size, 0.0)
        y = (w * np.where(size > 0, x, 0.0)).sum(axis=0)
        v = (w * w * np.where(size > 0, x, 0.0)).sum(axis=0)
        w_max = w.max(axis=0)
        alpha = 1 - level
        low = np.where(y > 0, gamma.ppf(alpha / 2, y * y / v, scale=v / y), 0.0)
        high = gamma.ppf(
            1 - alpha / 2, (y + w_max) ** 2 / (v + w_max**2), scale=(v + w_max**2) / (y + w_max)
        )
    empty = size.sum(axis=0) == 0
    return (
        np.where(empty, np.nan, y),
        np.where(empty, np.nan, low),
        np.where(empty, np.nan, np.minimum(high, 1.0)),
    )
