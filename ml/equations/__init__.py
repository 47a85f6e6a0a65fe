"""Published risk equations, one pure vectorised module each; ``EQUATIONS`` lists them all."""

from __future__ import annotations

from ml.equations import cdrs, china_par, cn_lipid_ascvd, findrisc, framingham, pce, score2
from ml.equations.base import Equation, Evaluation, evaluate

EQUATIONS: dict[str, Equation] = {
    module.EQUATION.spec.id: module.EQUATION
    for module in (pce, framingham, score2, cn_lipid_ascvd, findrisc, cdrs, china_par)
}

__all__ = ["EQUATIONS", "Equation", "Evaluation", "evaluate"]
