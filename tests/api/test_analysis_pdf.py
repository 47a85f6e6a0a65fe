"""The force health analysis as a summary and a PDF for a unit health manager: rates over the
years and the leading problems with the follow-up policy's interventions, in both languages,
read back through the text layer (pages kept under ``var/artefacts/reports/``); a station of
one officer adds no figure about them to either, and no individual value or name is printed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pdf_pages import flat, read_pdf
from sqlalchemy import select

from api.app import create_app
from api.reports.analysis_pdf import LABELS
from api.runtime import start
from health.services import checkups, demo, officers, units
from health.services.context import SYSTEM, Ctx
from health.settings import Settings
from models.tables import Officer, Unit

YEAR = 2026


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def test_manager_gets_the_analysis_pdf_with_trends_and_interventions_and_no_one_singled_out(
    fresh_url: Callable[[], str], tmp_path: Path, backend: str
) -> None:
    settings = Settings(
        var_dir=tmp_path, database_url=fresh_url(), password_profile="fast-insecure"
    )
    rt = start(settings)
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, SYSTEM)
        seeded = demo.seed(ctx, rt.auth, officers_per_station=15, years=3, today=date(YEAR, 11, 1))
        bureau = session.scalars(select(Unit).where(Unit.code == "B1")).one()
        lone_unit = units.create(
            ctx, code="B1-LONE", name="Lone Post", kind="station", parent_id=bureau.id
        )
        lone = officers.register(
            ctx, officers.OfficerIn(lone_unit.id, "LONE0001", "Zulu Loneley", date(1961, 3, 3), "F")
        )
        checkups.submit(
            ctx, lone.id, date(YEAR, 4, 4), {"sbp": 187, "dbp": 113, "glu": 9.87, "ua": 611}
        )
        people = [officers._open(ctx, o) for o in session.scalars(select(Officer))]
        bureau_id, lone_id = bureau.id, lone_unit.id
    password = seeded.credentials["manager-b1"]["password"]
    with TestClient(create_app(settings, rt)) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "manager-b1", "password": password}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        summary = client.get(
            f"/api/v1/units/{bureau_id}/analysis/summary?year={YEAR}",
            headers={**auth, "Accept-Language": "en"},
        )
        assert summary.status_code == 200, summary.text
        body = summary.json()
        assert body["years"] == list(range(YEAR - 4, YEAR + 1))
        assert body["leading"], "the bureau has problems to rank"
        lines = {line["code"]: line for line in body["conditions"]}
        rates = [
            lines[c]["by_year"][str(YEAR)]["standardised"]
            or lines[c]["by_year"][str(YEAR)]["crude"]
            for c in body["leading"]
        ]
        assert rates == sorted(rates, reverse=True)
        for code in body["leading"]:
            assert lines[code]["interventions"], code
        # The lone station: not a count, not a rate.
        lone_line = next(u for u in body["units"] if u["key"] == str(lone_id))
        examined = [f for f in lone_line["figures"].values() if f["n"] != 0]
        assert examined, "the lone officer's checkup is counted"
        for figure in examined:
            assert figure["n"] is None and figure["cases"] is None and figure["crude"] is None

        # The same figures as CSV and XLSX: one row per condition and year, hidden ones empty.
        exported = client.get(
            f"/api/v1/units/{bureau_id}/analysis/trends.csv?year={YEAR}",
            headers={**auth, "Accept-Language": "en"},
        )
        assert exported.status_code == 200, exported.text
        table = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert len(table) == len(body["conditions"]) * len(body["years"])
        for row in table:
            figure = lines[row["condition"]]["by_year"][row["year"]]
            assert row["cases"] == ("" if figure["cases"] is None else str(figure["cases"]))
            assert row["crude"] == ("" if figure["crude"] is None else repr(figure["crude"]))
            if row["year"] == str(YEAR) and row["condition"] in body["leading"]:
                assert int(row["leading_rank"]) == body["leading"].index(row["condition"]) + 1
        book = client.get(
            f"/api/v1/units/{bureau_id}/analysis/trends.xlsx?year={YEAR}", headers=auth
        )
        sheet = load_workbook(io.BytesIO(book.content)).active
        assert sheet.max_row == len(table) + 1

        for lang, other in (("zh", "en"), ("en", "zh")):
            answer = client.get(
                f"/api/v1/units/{bureau_id}/analysis.pdf?year={YEAR}&lang={lang}", headers=auth
            )
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"] == "application/pdf"
            text = read_pdf(answer.content, f"analysis-{backend}-{lang}", layout=False)
            squeezed = flat(text)
            for label in ("title", "leading", "trends", "task"):
                assert flat(LABELS[label][lang]) in squeezed, label
                assert flat(LABELS[label][other]) not in squeezed, label
            localised = client.get(
                f"/api/v1/units/{bureau_id}/analysis/summary?year={YEAR}",
                headers={**auth, "Accept-Language": lang},
            ).json()
            for line in localised["conditions"]:
                assert flat(line["name"]) in squeezed
                for year in localised["years"]:
                    figure = line["by_year"][str(year)]
                    shown = figure["standardised"] or figure["crude"]
                    assert flat(_percent(shown)) in squeezed, (line["code"], year)
            leading = [c for c in localised["conditions"] if c["code"] in localised["leading"]]
            for line in leading:
                for step in line["interventions"]:
                    # Layout may break a line at " - " and drop the dash from the text layer.
                    assert flat(step["reason"]).replace("-", "") in squeezed.replace("-", "")
            # Aggregates only: no officer's name or badge, not the lone officer's values.
            for person in people:
                assert person.badge_number not in text
                assert flat(person.name) not in squeezed
            for value in ("187", "113", "9.87", "611"):
                assert value not in text
