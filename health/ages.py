"""Age in completed years, as reference-interval tables and eGFR equations use it.

WS/T 404 and WS/T 405 tabulate intervals by age bands of completed years ("20~59 岁",
"60~79 岁"), and CKD-EPI 2021 takes age in years; a day count divided by 365.25 puts a person
examined on their 50th birthday at 49.99 and so in the wrong band.
"""

from __future__ import annotations

from datetime import date


def completed_years(birth: date, on: date) -> int:
    """Whole birthdays reached by ``on`` (a 29 February birthday counts from 1 March)."""
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)
