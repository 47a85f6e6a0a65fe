"""What drives an equation's answer, in words: each modifiable input brought to its healthy
reference, one at a time, and how far the estimate would fall (counterfactual attribution).

References (the healthy side of the thresholds the screening rules use):
SBP 120 / DBP 80 mmHg (中国高血压防治指南2018, normal < 120/80); TC 5.2, LDL-C 3.4, non-HDL-C 4.1,
HDL-C 1.0 mmol/L (中国成人血脂异常防治指南2016, 合适水平 / 降低); BMI 24 kg/m² and waist 90 cm men /
85 cm women (WS/T 428-2013 overweight and central obesity); not smoking; daily activity and fruit
or vegetables (FINDRISC items).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ml.equations.base import Equation, Evaluation, evaluate, missing_names, outside_reasons


@dataclass(frozen=True)
class Modifier:
    """Set ``name`` to the reference where the current value is on the unhealthy side."""

    name: str
    label_en: str
    label_zh: str
    unit: str
    reference: Callable[[Mapping[str, Any]], Any]
    worse: Callable[[Any, Any], Any]


def _const(value: float) -> Callable[[Mapping[str, Any]], Any]:
    return lambda columns: value


MODIFIERS = (
    Modifier("smoker", "smoking", "吸烟", "", _const(0.0), lambda v, r: v == 1),
    Modifier("sbp", "systolic blood pressure", "收缩压", "mmHg", _const(120.0), np.greater),
    Modifier("dbp", "diastolic blood pressure", "舒张压", "mmHg", _const(80.0), np.greater),
    Modifier("tc", "total cholesterol", "总胆固醇", "mmol/L", _const(5.2), np.greater),
    Modifier("ldl", "LDL cholesterol", "低密度脂蛋白胆固醇", "mmol/L", _const(3.4), np.greater),
    Modifier("non_hdl", "non-HDL cholesterol", "非HDL胆固醇", "mmol/L", _const(4.1), np.greater),
    Modifier("hdl", "HDL cholesterol", "高密度脂蛋白胆固醇", "mmol/L", _const(1.0), np.less),
    Modifier("bmi", "body mass index", "体重指数", "kg/m²", _const(23.9), np.greater),
    Modifier(
        "waist",
        "waist circumference",
        "腰围",
        "cm",
        lambda c: np.where(np.asarray(c.get("sex")) == "M", 89.9, 84.9),
        np.greater,
    ),
    Modifier(
        "physically_active", "too little physical activity", "运动不足", "", _const(1.0), np.less
    ),
    Modifier(
        "daily_fruit_veg",
        "not eating fruit or vegetables daily",
        "未每日吃蔬果",
        "",
        _const(1.0),
        np.less,
    ),
)


def _display(equation: Equation, value: float, band: int, language: str) -> str:
    unit = equation.spec.result_unit
    if unit == "1":
        return f"{value * 100:.1f} %"
    if unit == "{score}":
        return f"{value:g} 分" if language == "zh" else f"{value:g} points"
    bands = equation.spec.bands
    label = bands[band] if 0 <= band < len(bands) else None
    if label is None:
        return "-"
    return label.label_zh if language == "zh" else label.label_en


def result_rows(
    equation: Equation,
    columns: Mapping[str, Any],
    *,
    language: str = "en",
    evaluation: Evaluation | None = None,
) -> list[dict[str, Any]]:
    """Plain dicts per row: status, value, band (with tier) and the reasons a value is absent."""
    spec = equation.spec
    result = evaluation or evaluate(equation, columns)
    rows = []
    for i in range(len(result.value)):
        missing = missing_names(spec, int(result.missing[i]))
        outside = outside_reasons(spec, int(result.outside[i]))
        band_index = int(result.band[i])
        band = spec.bands[band_index] if band_index >= 0 else None
        status = (
            "ok"
            if not missing and not outside
            else ("missing_input" if missing else "not_applicable")
        )
        value = None if np.isnan(result.value[i]) else float(result.value[i])
        rows.append(
            {
                "equation_id": spec.id,
                "version": spec.version,
                "validation": str(spec.validation),
                "status": status,
                "value": value,
                "unit": spec.result_unit,
                "display": None
                if value is None
                else _display(equation, value, band_index, language),
                "band": None
                if band is None
                else {
                    "code": band.code,
                    "label": band.label_zh if language == "zh" else band.label_en,
                    "tier": band.tier,
                },
                "missing": missing,
                "not_applicable": outside,
            }
        )
    return rows


def explain_rows(
    equation: Equation,
    columns: Mapping[str, Any],
    *,
    language: str = "en",
    top: int = 4,
    evaluation: Evaluation | None = None,
) -> list[list[dict[str, Any]]]:
    """Per row, the modifiable inputs whose healthy value would lower the estimate most."""
    spec = equation.spec
    names = {item.name for item in spec.inputs}
    base = evaluation or evaluate(equation, columns)
    n = len(base.value)
    effects: list[tuple[Modifier, Any, Any, Any, Any]] = []
    for modifier in MODIFIERS:
        if modifier.name not in names or modifier.name not in columns:
            continue
        current = np.asarray(columns[modifier.name], dtype=float)
        reference = np.broadcast_to(modifier.reference(columns), current.shape)
        worse = np.asarray(modifier.worse(current, reference), dtype=bool) & ~np.isnan(current)
        if not worse.any():
            continue
        changed = dict(columns)
        changed[modifier.name] = np.where(worse, reference, current)
        after = evaluate(equation, changed)
        drop = np.where(worse, base.value - after.value, 0.0)
        effects.append((modifier, current, after, drop, reference))
    out: list[list[dict[str, Any]]] = []
    for i in range(n):
        ranked = sorted(
            (e for e in effects if e[3][i] > 0), key=lambda e: float(e[3][i]), reverse=True
        )[:top]
        out.append([_driver(equation, base, i, e, language) for e in ranked])
    return out


def _driver(
    equation: Equation,
    base: Evaluation,
    i: int,
    effect: tuple[Modifier, Any, Any, Any, Any],
    language: str,
) -> dict[str, Any]:
    modifier, current, after, drop, reference = effect
    driver = {
        "input": modifier.name,
        "current": float(current[i]),
        "reference": float(reference[i]),
        "value": float(base.value[i]),
        "band": int(base.band[i]),
        "value_if_improved": float(after.value[i]),
        "band_if_improved": int(after.band[i]),
        "reduction": float(drop[i]),
    }
    driver["text"] = driver_text(equation, driver, language)
    return driver


def driver_text(equation: Equation, driver: Mapping[str, Any], language: str) -> str:
    """The driver in words: what adds to the estimate and what changing it would do."""
    modifier = next(m for m in MODIFIERS if m.name == driver["input"])
    now = _display(equation, driver["value"], driver["band"], language)
    then = _display(equation, driver["value_if_improved"], driver["band_if_improved"], language)
    label = modifier.label_zh if language == "zh" else modifier.label_en
    if modifier.unit:
        shown = f" {driver['current']:g} {modifier.unit}"
        target = driver["reference"]
        action_zh, action_en = f"降至 {target:g} {modifier.unit}", f"bringing it to {target:g}"
    else:
        shown = ""
        action_zh, action_en = (
            ("戒烟", "stopping") if modifier.name == "smoker" else ("改变", "changing this")
        )
    if language == "zh":
        return f"{label}{shown}：{action_zh}可使估计值由 {now} 降至 {then}"
    return f"{label}{shown} adds to the estimate; {action_en} would lower it from {now} to {then}"
