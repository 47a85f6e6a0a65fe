"""The force's annual health analysis as an A4 PDF in Chinese or English, with charts drawn on
the server as SVG: the year's prevalence per condition with 95 % intervals, each leading
problem's trend over the years, the figures by sex, age band and unit below, and what the
follow-up policy does for each leading problem. Presentation only: every number comes from
``health.services.analysis_summary`` (suppressed cells stay hidden, marked as such).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from api.reports.render import environment, pdf_bytes
from health.i18n import CONTENT_LANGUAGE, Lang
from health.reports.charts import Bar, ChartPoint, bars_svg, trend_svg
from health.services.analysis_summary import AnalysisSummary, ConditionLine, Figure

LABELS: dict[str, dict[Lang, str]] = {
    "title": {"zh": "年度民警健康状况分析报告", "en": "Annual health analysis of the force"},
    "unit": {"zh": "单位", "en": "Unit"},
    "year": {"zh": "年度", "en": "Year"},
    "computed": {"zh": "数据计算时间", "en": "Figures computed"},
    "standard": {"zh": "年龄标化标准人口", "en": "Standard population for age standardisation"},
    "suppression": {
        "zh": "为保护个人隐私，检出人数或未检出人数少于{n}人的单元格"
        "及可据此推算的单元格不予显示（标“—”）。",
        "en": "To protect individuals, cells where fewer than {n} officers have or lack a "
        "condition, and cells from which such a cell could be worked out, are not shown (—).",
    },
    "overview": {"zh": "主要疾病检出率", "en": "Prevalence of the main conditions"},
    "overview_note": {
        "zh": "标化率（无标化率时为粗率），红线为95%置信区间。",
        "en": "Age-standardised rate (crude where none is shown); red lines are 95 % intervals.",
    },
    "leading": {"zh": "主要健康问题与干预措施", "en": "Leading problems and interventions"},
    "leading_note": {
        "zh": "按本年度检出率排序；干预措施取自现行随访规则，与对个人的随访安排一致。",
        "en": "Ranked by this year's prevalence; interventions are those of the follow-up policy "
        "in force, as planned for each officer with the condition.",
    },
    "trend": {"zh": "历年变化", "en": "Trend over the years"},
    "change": {"zh": "较上年变化", "en": "Change on last year"},
    "points": {"zh": "个百分点", "en": "points"},
    "interventions": {"zh": "随访规则建议的干预", "en": "What the follow-up policy does"},
    "task": {"zh": "措施", "en": "Action"},
    "reason": {"zh": "内容", "en": "For"},
    "due": {"zh": "时限", "en": "Within"},
    "basis": {"zh": "依据", "en": "Basis"},
    "no_interventions": {"zh": "随访规则未规定干预。", "en": "The policy plans nothing for it."},
    "trends": {"zh": "各病种历年检出率", "en": "Prevalence by year"},
    "condition": {"zh": "疾病", "en": "Condition"},
    "criterion": {"zh": "判定标准", "en": "Criterion"},
    "source": {"zh": "依据", "en": "Source"},
    "crude": {"zh": "粗率", "en": "Crude"},
    "standardised": {"zh": "标化率", "en": "Standardised"},
    "examined": {"zh": "受检人数", "en": "Examined"},
    "cases": {"zh": "检出人数", "en": "Cases"},
    "by_group": {"zh": "按性别与年龄组", "en": "By sex and age band"},
    "by_unit": {"zh": "下属单位", "en": "Units below"},
    "group": {"zh": "分组", "en": "Group"},
    "hidden": {"zh": "—", "en": "—"},
    "nothing": {"zh": "本年度无可显示的数据。", "en": "No figure can be shown for this year."},
    "confidential": {
        "zh": "本报告仅含汇总数据，不含任何个人结果。",
        "en": "Aggregate figures only: no individual result.",
    },
}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{low * 100:.1f}–{high * 100:.1f}"


def _rate(figure: Figure) -> str:
    return _percent(figure.rate)


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def _overview(summary: AnalysisSummary) -> Markup:
    bars = []
    for line in summary.conditions:
        figure = line.by_year[summary.year]
        if figure.rate is None:
            continue
        standardised = figure.standardised is not None
        low = figure.standardised_low if standardised else figure.crude_low
        high = figure.standardised_high if standardised else figure.crude_high
        bars.append(Bar(line.name, figure.rate, low, high, _percent(figure.rate)))
    bars.sort(key=lambda b: -b.value)
    # Labels are escaped in bars_svg; the rest is numbers.
    return Markup(bars_svg(LABELS["overview"][summary.lang], bars))  # noqa: S704


def _trend(summary: AnalysisSummary, line: ConditionLine) -> Markup:
    points = [
        ChartPoint(date(year, 7, 1), figure.rate * 100, _percent(figure.rate), False)
        for year, figure in sorted(line.by_year.items())
        if figure.rate is not None
    ]
    return Markup(trend_svg(line.name, "%", points, None, None))  # noqa: S704


def _change(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}"


def analysis_html(summary: AnalysisSummary) -> str:
    lang = summary.lang
    labels = {key: text[lang] for key, text in LABELS.items()}
    labels["suppression"] = labels["suppression"].format(n=summary.min_cell)
    context: dict[str, Any] = {
        "html_lang": CONTENT_LANGUAGE[lang],
        "l": labels,
        "s": summary,
        "overview": _overview(summary),
        "trends": {line.code: _trend(summary, line) for line in summary.leading},
        "percent": _percent,
        "interval": _interval,
        "rate": _rate,
        "count": _count,
        "change": _change,
    }
    return environment().get_template("analysis_report.html").render(**context)


def analysis_pdf(summary: AnalysisSummary) -> bytes:
    """The analysis laid out on A4 pages as PDF bytes."""
    return pdf_bytes(analysis_html(summary))
