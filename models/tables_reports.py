"""Tables of the force health analysis: per unit and year, computed over the whole force by the
``report`` job so small-cell suppression chose its complements once (counts, rates, intervals
only, hidden cells already removed)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import UTCDateTime


class AnalysisReport(Base):
    __tablename__ = "analysis_report"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    min_cell: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cells: Mapped[str] = mapped_column(Text)


class AppraisalScheme(Base):
    """A published version of the units' appraisal scheme (indicators, weights, targets and
    their explanations, as JSON); never changed once published."""

    __tablename__ = "appraisal_scheme"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    published_by: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)


class AppraisalScore(Base):
    """A unit's appraisal score for a year under one scheme version, with its components."""

    __tablename__ = "appraisal_score"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    scheme_version: Mapped[str] = mapped_column(ForeignKey("appraisal_scheme.version"))
    score: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    peers: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    components: Mapped[str] = mapped_column(Text)
