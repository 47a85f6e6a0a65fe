"""The officer's annual report as an A4 PDF in Chinese or English.

HTML/CSS from a Jinja2 template, laid out by WeasyPrint (Pango, with the Noto CJK fonts the
project's ``scripts/system-deps.sh`` installs) and trend charts drawn on the server as SVG.
Rendering is presentation only: the data comes from ``health.services.annual_report``, which
checks access and audits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from api.reports import officer_sections
from api.reports.render import environment, pdf_bytes, pdf_of_many
from health.i18n import CONTENT_LANGUAGE, Lang
from health.reports.charts import ChartPoint, trend_svg
from health.services.annual_report import AnnualReport
from health.services.record import Trend

LABELS: dict[str, dict[Lang, str]] = {
    "title": {"zh": "年度健康体检报告", "en": "Annual health checkup report"},
    "name": {"zh": "姓名", "en": "Name"},
    "badge": {"zh": "警号", "en": "Badge number"},
    "sex": {"zh": "性别", "en": "Sex"},
    "age": {"zh": "年龄", "en": "Age"},
    "exam_date": {"zh": "体检日期", "en": "Checkup date"},
    "previous": {"zh": "上次体检", "en": "Previous checkup"},
    "generated": {"zh": "报告生成日期", "en": "Report produced on"},
    "results": {"zh": "检查结果", "en": "Results"},
    "item": {"zh": "项目", "en": "Measure"},
    "value": {"zh": "结果", "en": "Result"},
    "unit": {"zh": "单位", "en": "Unit"},
    "range": {"zh": "参考范围", "en": "Reference range"},
    "flag": {"zh": "提示", "en": "Flag"},
    "last_year": {"zh": "上次结果", "en": "Last time"},
    "change": {"zh": "变化", "en": "Change"},
    "trends": {"zh": "历年趋势", "en": "Trends over the years"},
    "trend_note": {
        "zh": "绿色区域为参考范围，红点为异常结果。",
        "en": "The green band is the reference range; red points are results outside it.",
    },
    "findings": {"zh": "健康问题与建议", "en": "Findings and advice"},
    "no_findings": {
        "zh": "本次体检未发现需要关注的问题。",
        "en": "This checkup found nothing that needs attention.",
    },
    "advice": {"zh": "建议", "en": "Advice"},
    "source": {"zh": "依据", "en": "Source"},
    "followup": {"zh": "后续安排", "en": "Follow-up planned"},
    "due": {"zh": "截止日期", "en": "Due"},
    "overdue": {"zh": "已逾期", "en": "overdue"},
    "no_followup": {"zh": "无", "en": "None"},
    "no_checkup": {"zh": "暂无体检记录。", "en": "No checkup on record yet."},
    "years": {"zh": "岁", "en": "years"},
    "confidential": {
        "zh": "本报告含个人健康信息，仅供本人及其医务人员使用。",
        "en": "Personal health information: for the officer and their medic only.",
    },
    "changes": {"zh": "与上次体检相比", "en": "Changes since the previous checkup"},
    "no_changes": {
        "zh": "没有结果进入或离开参考范围。",
        "en": "No result moved into or out of its reference range.",
    },
    "newly_outside": {"zh": "新出现异常", "en": "now outside the range"},
    "back_inside": {"zh": "恢复正常", "en": "back within the range"},
    "risk": {"zh": "风险评估", "en": "Risk estimates"},
    "risk_tier": {"zh": "综合风险等级", "en": "Overall risk tier"},
    "risk_note": {
        "zh": "依据已发表的风险方程由本次体检结果估算，仅供参考，不是诊断。",
        "en": "Estimated from this checkup by published risk equations: a guide, no diagnosis.",
    },
    "no_risk": {
        "zh": "本次体检的结果不足以估算风险。",
        "en": "This checkup does not hold enough results to estimate a risk.",
    },
    "estimate": {"zh": "估计", "en": "Estimate"},
    "equation": {"zh": "评估方法", "en": "Equation"},
    "band": {"zh": "分级", "en": "Band"},
    "drivers": {"zh": "可改善的因素", "en": "What would lower it"},
    "planned": {"zh": "随访计划", "en": "Follow-up planned"},
    "problem": {"zh": "问题", "en": "Problem"},
    "step": {"zh": "安排", "en": "Step"},
    "status": {"zh": "状态", "en": "Status"},
}
SEXES: dict[str, dict[Lang, str]] = {
    "M": {"zh": "男", "en": "male"},
    "F": {"zh": "女", "en": "female"},
}


def _chart(trend: Trend) -> Markup:
    last = trend.points[-1]
    points = [
        ChartPoint(p.exam_date, p.value, p.display, p.flag not in (None, "N")) for p in trend.points
    ]
    svg = trend_svg(trend.name, trend.unit, points, last.reference_low, last.reference_high)
    # The chart's own numbers and escaped labels only; safe to embed as markup.
    return Markup(svg)  # noqa: S704


def _change(value: float | None) -> str:
    if value is None:
        return ""
    if value == 0:
        return "0"
    return f"{value:+.4g}"


def report_html(report: AnnualReport) -> str:
    """The report as one self-contained HTML document (no external resource)."""
    lang = report.lang
    labels = {key: text[lang] for key, text in LABELS.items()}
    template = environment().get_template("officer_report.html")
    context: dict[str, Any] = {
        "html_lang": CONTENT_LANGUAGE[lang],
        "l": labels,
        "report": report,
        "sex": SEXES.get(report.subject.sex, {"zh": "", "en": ""})[lang],
        "charts": [(t, _chart(t)) for t in report.trends],
        "change": _change,
        "changes": officer_sections.changes(report.record),
        "estimates": officer_sections.estimates(report.record.risk, lang),
        "tier": officer_sections.tier(report.record.risk, lang),
        "planned": officer_sections.planned(report.record),
    }
    return template.render(**context)


def report_pdf(report: AnnualReport) -> bytes:
    """The report laid out on A4 pages as PDF bytes."""
    return pdf_bytes(report_html(report))


def batch_pdf(reports: Sequence[AnnualReport]) -> bytes:
    """Several officers' reports as one PDF, each starting on a new page and numbered alone."""
    return pdf_of_many([report_html(r) for r in reports])
