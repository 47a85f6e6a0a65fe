"""Who may upload a checkup session, decided before a byte of the file is read.

The same rule ``imports.run`` applies, asked first, so a caller who may never import (an
officer, a manager) is refused without the server parsing, inflating or even receiving the file.
"""

from __future__ import annotations

from health.services import access
from health.services.context import Ctx
from health.vocabulary import Action


def require_importer(ctx: Ctx) -> None:
    access.require(ctx, Action.CHECKUP_IMPORT)
