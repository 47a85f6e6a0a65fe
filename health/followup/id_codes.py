"""Unit and officer ids as small integers while unit figures group and join a whole force.

Figures group and merge hundreds of thousands of rows by unit and officer. Keyed by
``uuid.UUID`` every hash and comparison is a Python call (``UUID.__hash__``, ``__eq__``):
millions of them, seconds per request. Keyed by integers the same work stays in C. A code is
the id's position among the distinct unit (or officer) ids, so decoding is one take; an id
that is not in the tree or on the roster gets -1, which matches nothing, as the id did.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

ObjectArray = npt.NDArray[np.object_]


def _objects(values: npt.NDArray[np.intp]) -> ObjectArray:
    out: ObjectArray = values.astype(object)
    return out


@dataclass(frozen=True)
class IdCodes:
    """The distinct unit and officer ids; codes are positions in these."""

    units: pd.Index
    officers: pd.Index

    @classmethod
    def of(cls, units: pd.DataFrame, *rosters: pd.DataFrame) -> IdCodes:
        officers = [r["officer_id"].to_numpy(dtype=object) for r in rosters]
        return cls(
            pd.Index(pd.unique(units["id"].to_numpy(dtype=object)), dtype=object),
            pd.Index(pd.unique(np.concatenate(officers)), dtype=object),
        )

    def unit(self, column: pd.Series) -> ObjectArray:
        """Codes of a unit id column; a missing id (a root's parent) stays None."""
        values = column.to_numpy(dtype=object)
        codes = _objects(self.units.get_indexer(pd.Index(values, dtype=object)))
        codes[pd.isna(values)] = None
        return codes

    def officer(self, column: pd.Series) -> ObjectArray:
        return _objects(self.officers.get_indexer(pd.Index(column.to_numpy(dtype=object))))

    def unit_ids(self, codes: pd.Series) -> ObjectArray:
        """Unit ids back from their codes."""
        found: ObjectArray = self.units.to_numpy(dtype=object)[codes.to_numpy(dtype=np.intp)]
        return found
