"""The officer's own record; the officer id comes from the token, never from the request."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from api.deps import CtxDep
from api.i18n import LangDep
from api.problems import PROBLEM_RESPONSES
from api.routing import TransactionRoute
from api.schemas import AccessEntryOut, CheckupOut, MyFindingOut, OfficerOut
from health.services import me

router = APIRouter(
    prefix="/api/v1/me", tags=["me"], route_class=TransactionRoute, responses=PROBLEM_RESPONSES
)


@router.get("")
def my_record(ctx: CtxDep) -> OfficerOut:
    # From the view's attributes: ``asdict`` deep-copies every value first.
    return OfficerOut.model_validate(me.record(ctx), from_attributes=True)


@router.get("/checkups")
def my_checkups(ctx: CtxDep) -> list[CheckupOut]:
    return [CheckupOut(**asdict(view)) for view in me.my_checkups(ctx)]


@router.get("/access-log")
def access_log(ctx: CtxDep) -> list[AccessEntryOut]:
    """Who read or changed my record, when and why (including emergency access)."""
    return [AccessEntryOut(**asdict(entry)) for entry in me.access_log(ctx)]


@router.get("/findings")
def my_findings(ctx: CtxDep, lang: LangDep) -> list[MyFindingOut]:
    """My current findings: what each means and how to protect my health; the source as a
    reader cites it (guideline and year) in my language."""
    return [
        MyFindingOut(
            exam_date=v.exam_date,
            family=v.finding["family"],
            analyte=v.finding["analyte"],
            severity=v.finding["severity"],
            interpretation=v.finding["interpretation"],
            source=v.citation[lang] if v.citation else "",
            meaning=v.meaning,
            advice=v.advice,
        )
        for v in me.my_findings(ctx)
    ]
