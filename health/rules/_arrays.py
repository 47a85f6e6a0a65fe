"""Array conventions shared by the guideline modules: float inputs, tri-state outputs.

Every rule takes array-likes and returns arrays of the same length, so one function serves a
single JSON checkup (length 1) and a 100k-row session alike.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

# Tri-state results (np.int8): a criterion that cannot be judged from missing data is UNKNOWN,
# never silently "not met".
UNKNOWN: Final = -1
NO: Final = 0
YES: Final = 1


def as_float(values: npt.ArrayLike) -> FloatArray:
    """Coerce to a 1-D float64 array; None and pandas NA become NaN."""
    return np.atleast_1d(np.asarray(values, dtype=np.float64))


def as_sex(values: npt.ArrayLike) -> ObjectArray:
    """Coerce to an object array of 'M', 'F' or '' (unknown)."""
    array = np.atleast_1d(np.asarray(values, dtype=object))
    out: ObjectArray = np.full(array.shape, "", dtype=object)
    out[array == "M"] = "M"
    out[array == "F"] = "F"
    return out


def tri(known: BoolArray, condition: BoolArray) -> IntArray:
    """Tri-state array: UNKNOWN where not known, else YES/NO by condition."""
    return np.where(known, np.where(condition, YES, NO), UNKNOWN).astype(np.int8)


def tri_any(*parts: IntArray) -> IntArray:
    """Tri-state OR: YES if any part is YES, NO only if every part is NO."""
    stacked = np.vstack(parts)
    any_yes = (stacked == YES).any(axis=0)
    all_no = (stacked == NO).all(axis=0)
    return np.where(any_yes, YES, np.where(all_no, NO, UNKNOWN)).astype(np.int8)
