"""Tables of the bulk path: what unit figures count, without saying whose finding it was."""

from __future__ import annotations

from sqlalchemy import Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class FindingTally(Base):
    """One row per (screening, analyte family) with an abnormal or critical finding.

    No officer, checkup or screening id in clear: ``token`` is a keyed HMAC of the screening id
    (key derived from the keyring's index key), so the table reads as counts per year, family
    and severity. Only the service, holding the key, links a row to its screening (for unit
    figures, and to retire rows when a screening is superseded or its officer erased).
    """

    __tablename__ = "finding_tally"
    __table_args__ = (Index("ix_finding_tally_year", "year"),)

    token: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    family: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(String(16))
