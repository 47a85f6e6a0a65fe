"""Words an officer reads beside their results: task types and statuses, record sections,
result flags and severities, in zh-CN and en. Tests tie each table to its closed vocabulary."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from health.i18n import Lang
from health.vocabulary import TaskStatus, TaskType

Texts = Mapping[Lang, str]


def _table(rows: dict[str, tuple[str, str]]) -> Mapping[str, Texts]:
    return MappingProxyType(
        {key: MappingProxyType({"zh": zh, "en": en}) for key, (zh, en) in rows.items()}
    )


TASK_TYPE_NAMES: Final = _table(
    {
        TaskType.URGENT_CONTACT: ("医务人员紧急联系", "Urgent contact by a medic"),
        TaskType.RECHECK: ("复查", "Recheck"),
        TaskType.REFERRAL: ("专科就诊", "Specialist referral"),
        TaskType.LIFESTYLE: ("健康生活方式指导", "Lifestyle support"),
        TaskType.HOME_VISIT: ("家访", "Home visit"),
    }
)

TASK_STATUS_NAMES: Final = _table(
    {
        TaskStatus.REQUESTED: ("待处理", "To do"),
        TaskStatus.ACCEPTED: ("已接收", "Accepted"),
        TaskStatus.IN_PROGRESS: ("进行中", "In progress"),
        TaskStatus.ON_HOLD: ("暂缓", "On hold"),
        TaskStatus.COMPLETED: ("已完成", "Completed"),
        TaskStatus.CANCELLED: ("已取消", "Cancelled"),
        TaskStatus.FAILED: ("未能完成", "Could not be done"),
    }
)

# Record sections, in the order a checkup report prints them; catalog groups map onto them.
SECTION_NAMES: Final = _table(
    {
        "vitals": ("一般检查", "Vital signs and body measures"),
        "blood_count": ("血常规", "Blood count"),
        "liver": ("肝功能", "Liver"),
        "kidney": ("肾功能与尿酸", "Kidney and uric acid"),
        "lipids": ("血脂", "Blood fats (lipids)"),
        "glucose": ("血糖", "Blood sugar"),
        "urine": ("尿常规", "Urine"),
        "ecg_imaging": ("心电图与影像检查", "ECG and imaging"),
        "other": ("其他项目", "Other tests"),
    }
)
SECTION_OF_GROUP: Final[Mapping[str, str]] = MappingProxyType(
    {
        "vitals": "vitals",
        "fbc": "blood_count",
        "liver": "liver",
        "kidney": "kidney",
        "lipids": "lipids",
        "glucose": "glucose",
        "urine": "urine",
        "exam": "ecg_imaging",
    }
)

# HL7 v3 ObservationInterpretation codes as a reader understands them.
FLAG_NAMES: Final = _table(
    {
        "N": ("正常", "Normal"),
        "L": ("偏低", "Low"),
        "H": ("偏高", "High"),
        "LL": ("危急偏低", "Critically low"),
        "HH": ("危急偏高", "Critically high"),
        "A": ("异常", "Abnormal"),
        "AA": ("危急异常", "Critically abnormal"),
        "U": ("明显上升", "Marked rise"),
        "D": ("明显下降", "Marked fall"),
        "B": ("好转", "Better"),
        "W": ("变差", "Worse"),
    }
)

SEVERITY_NAMES: Final = _table(
    {
        "normal": ("正常", "Normal"),
        "borderline": ("需留意", "Worth watching"),
        "abnormal": ("异常", "Abnormal"),
        "critical": ("危急", "Critical"),
    }
)


RATIO_NAMES: Final = _table(
    {
        "globulin": ("球蛋白（计算值）", "Globulin (calculated)"),
        "ag_ratio": ("白蛋白/球蛋白比值", "Albumin/globulin ratio"),
        "tc_hdl_ratio": ("总胆固醇/高密度脂蛋白胆固醇比值", "Total/HDL cholesterol ratio"),
    }
)
RATIO_SECTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {"globulin": "liver", "ag_ratio": "liver", "tc_hdl_ratio": "lipids"}
)
RATIO_UNITS: Final[Mapping[str, str]] = MappingProxyType(
    {"globulin": "g/L", "ag_ratio": "", "tc_hdl_ratio": ""}
)
NOT_GRADED: Final = MappingProxyType(
    {
        "zh": "计算值，仅供参考，不单独评判。",
        "en": "Calculated for information; not graded on its own.",
    }
)


def name(table: Mapping[str, Texts], key: str, lang: Lang) -> str:
    """The reader's word for ``key``; a key missing from the table shows as itself."""
    texts = table.get(key)
    return key if texts is None else texts[lang]
