"""Problem responses in the reader's language: one message per error code, in zh-CN and en.

Services raise ``HealthError(detail, code=…)`` with an English detail for logs and operators;
the API answers with the message below in the language of ``Accept-Language``. A test collects
every code raised anywhere in the tree and fails, naming this file, when one is missing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from health.i18n import Lang

# code: (zh-CN, en)
_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- generic (health/errors.py and the API's own handlers) -----------------------------------
    "bad_request": ("请求有误。", "The request is not valid."),
    "invalid": (
        "请求内容有误，请检查后重试。",
        "The request is not valid; check it and try again.",
    ),
    "unauthorized": ("需要登录。", "You need to sign in."),
    "forbidden": ("您没有执行此操作的权限。", "You are not allowed to do this."),
    "not_found": ("未找到所请求的内容。", "What you asked for was not found."),
    "conflict": ("与现有数据冲突。", "This conflicts with existing data."),
    "precondition_failed": (
        "数据已被他人修改，请刷新后重试。",
        "Someone else changed this in the meantime; reload and try again.",
    ),
    "precondition_required": (
        "修改前需要提供版本标记（请先读取最新版本）。",
        "A version tag (If-Match) is required to change this.",
    ),
    "unavailable": ("服务暂时不可用，请稍后重试。", "The service is unavailable; try again later."),
    "crypto_error": (
        "加密数据无法打开，请联系系统管理员。",
        "Encrypted data could not be opened; contact the administrator.",
    ),
    "keyring_error": (
        "密钥环有问题，请联系系统管理员。",
        "There is a problem with the keyring; contact the administrator.",
    ),
    "validation_error": (
        "请求的字段或参数有误，详见错误列表。",
        "Some fields or parameters are not valid; see the list of errors.",
    ),
    "http_error": ("请求无法处理。", "The request could not be handled."),
    "internal": ("发生了意外错误，请稍后重试。", "An unexpected error occurred; try again later."),
    # --- load and request limits (api/admission.py, api/limits.py, api/problems.py) ------------
    "overloaded": (
        "服务繁忙，请按提示的时间后重试。",
        "The service is busy; try again after the indicated delay.",
    ),
    "database_unavailable": (
        "数据库繁忙或正在重启，请稍后重试。",
        "The database is busy or restarting; try again shortly.",
    ),
    "concurrent_write": (
        "另一个请求同时写入了相同的数据，请重试。",
        "Another request wrote the same data at the same moment; try again.",
    ),
    "too_deep": (
        "请求内容的嵌套层数超过上限。",
        "The request is nested deeper than the limit.",
    ),
    "file_missing": (
        "请在表单的文件字段中上传文件。",
        "Send the file in the form's file field.",
    ),
    # --- sign-in and accounts --------------------------------------------------------------------
    "missing_token": ("需要登录后才能访问。", "Sign in to access this."),
    "invalid_token": (
        "登录凭证无效或已过期，请重新登录。",
        "Your sign-in is invalid or expired; sign in again.",
    ),
    "invalid_refresh": (
        "登录已失效，请重新登录。",
        "Your session is no longer valid; sign in again.",
    ),
    "session_ended": ("会话已结束，请重新登录。", "Your session has ended; sign in again."),
    "bad_credentials": ("用户名或密码错误。", "Wrong username or password."),
    "account_locked": (
        "登录失败次数过多，账户暂时锁定，请稍后再试。",
        "Too many failed sign-ins: the account is locked for a while; try again later.",
    ),
    "totp_required": ("请输入动态验证码。", "Enter your one-time code."),
    "bad_totp": ("动态验证码错误。", "The one-time code is wrong."),
    "weak_password": (
        "密码强度不够（过短、过于常见或包含用户名），请换一个更长的密码短语。",
        "The password is too weak (too short, too common, or containing the username); "
        "choose a longer passphrase.",
    ),
    "password_change_required": (
        "管理员已重置您的密码，请先设置新密码再登录。",
        "An administrator reset your password; choose a new one before signing in.",
    ),
    "too_many_attempts": (
        "尝试次数过多，请稍后再试。",
        "Too many attempts from here; wait a moment and try again.",
    ),
    "officer_has_account": ("该人员已有账户。", "This officer already has an account."),
    "last_admin": (
        "不能停用最后一个有效的管理员账户。",
        "The last active administrator cannot be disabled.",
    ),
    "approval_pending": (
        "此更改正在等待另一位管理员批准。",
        "This change is waiting for another administrator's approval.",
    ),
    "second_admin_required": (
        "此请求须由另一位管理员批准。",
        "Another administrator must approve this request.",
    ),
    "approval_decided": ("该请求已处理。", "This request has already been decided."),
    "approval_not_found": ("未找到该审批请求。", "Approval request not found."),
    "invalid_value": (
        "请求中的某个值无法保存，请检查后重试。",
        "A value in the request cannot be stored; check it and try again.",
    ),
    "bad_role": ("角色无效。", "Unknown role."),
    "bad_officer_link": (
        "该账户与人员档案的关联有误。",
        "The account's link to an officer record is wrong.",
    ),
    "bad_units": ("所选单位有误。", "The units given are not valid."),
    "username_taken": ("该用户名已被使用。", "This username is already taken."),
    "user_not_found": ("未找到该用户。", "User not found."),
    "role_forbidden": ("您的角色无权执行此操作。", "Your role may not do this."),
    # --- FHIR facade (/fhir) and its client credentials --------------------------------------
    "fhir_bad_search": (
        "检索参数有误或不受支持，请对照服务能力声明。",
        "A search parameter is wrong or not supported; see the CapabilityStatement (metadata).",
    ),
    "fhir_patient_required": (
        "此类资源的检索需要指定患者参数。",
        "Searching this resource type needs a patient parameter.",
    ),
    "fhir_prefer_async": (
        "批量导出须以异步方式请求（在请求头中声明异步响应）。",
        "A bulk export kick-off needs the header Prefer: respond-async.",
    ),
    "export_failed": (
        "批量导出失败，请重新发起。",
        "The bulk export failed; start it again.",
    ),
    "invalid_scope": (
        "客户端凭据只能申请系统级只读权限范围。",
        "A client credential may only ask for the system/*.read scope.",
    ),
    # --- units and officers ----------------------------------------------------------------------
    "bad_unit_kind": ("单位类型无效。", "Unknown kind of unit."),
    "unit_exists": ("该单位代码已存在。", "A unit with this code already exists."),
    "unit_not_found": ("未找到该单位。", "Unit not found."),
    "bad_unit_tree": ("单位层级数据有误。", "The unit tree is not valid."),
    "bad_scheme": (
        "考核方案有误：请检查版本号、指标代码、权重（合计为1）、起点和目标值。",
        "The appraisal scheme is not valid: check its version, indicator codes, weights "
        "(adding up to 1), floors and targets.",
    ),
    "scheme_exists": (
        "该版本的考核方案已发布，发布后不能修改，请使用新的版本号。",
        "This scheme version is already published and cannot change; use a new version.",
    ),
    "officer_not_found": (
        "未找到该人员的健康档案。",
        "No health record was found for this officer.",
    ),
    "officer_erased": ("该人员的档案已被删除。", "This officer's record has been erased."),
    "bad_badge": ("警号格式有误。", "The badge number is not valid."),
    "bad_sex": ("性别应为男（M）或女（F）。", "Sex must be M or F."),
    "badge_exists": ("该警号已登记。", "This badge number is already registered."),
    "identifier_exists": ("该证件号已登记。", "This identity number is already registered."),
    "unknown_condition": ("未知的既往疾病名称。", "Unknown known condition."),
    "read_only": ("此内容只读。", "This is read-only."),
    # --- checkups, imports and screening ---------------------------------------------------------
    "invalid_checkup": (
        "体检数据有误，详见错误列表（行、字段、数值和原因）。",
        "The checkup has errors; see the list (row, field, value and reason).",
    ),
    "too_large": (
        "请求或文件超过此接口的大小上限，请拆分后重试。",
        "The request or file is larger than this route's size limit; split it and retry.",
    ),
    "upload_not_found": ("未找到该上传记录。", "Upload not found."),
    "demographics_required": (
        "请提供人员编号，或提供性别与年龄。",
        "Give an officer id, or sex and age.",
    ),
    "ruleset_invalid": (
        "筛查规则文件有误，详见问题列表。",
        "The screening ruleset has errors; see the list of problems.",
    ),
    "followup_policy_invalid": (
        "随访规则文件有误，详见问题列表。",
        "The follow-up policy has errors; see the list of problems.",
    ),
    "ruleset_not_found": ("未找到该规则版本。", "Ruleset version not found."),
    "version_exists": ("该规则版本已存在。", "This ruleset version already exists."),
    "bad_analytes": (
        "请求的检查项目代码有误，请使用目录中的代码。",
        "Unknown analyte codes were asked for; use codes from the catalog.",
    ),
    # --- tasks and follow-up ---------------------------------------------------------------------
    "task_not_found": ("未找到该随访任务。", "Follow-up task not found."),
    "if_match_required": (
        "修改任务前需要提供版本标记（请先读取任务的最新版本）。",
        "A version tag (If-Match) is required to change the task.",
    ),
    "stale_etag": (
        "任务已被他人修改，请刷新后重试。",
        "The task was changed meanwhile; reload and try again.",
    ),
    "idempotency_key_reused": (
        "该请求标识已用于另一个请求。",
        "This idempotency key was already used for a different request.",
    ),
    "illegal_transition": (
        "任务当前状态不允许此操作。",
        "The task's current status does not allow this.",
    ),
    "invalid_transition": (
        "此任务操作缺少必要信息。",
        "This task action is missing required information.",
    ),
    "transition_forbidden": ("您无权对该任务执行此操作。", "You may not do this to the task."),
    "acknowledgement_by_medic": (
        "危急值的紧急联系须由医务人员确认。",
        "A critical value's urgent contact must be acknowledged by a medic.",
    ),
    "acknowledgement_required": (
        "确认危急值联系时请填写说明。",
        "Acknowledging a critical value's contact needs a comment.",
    ),
    "conclusion_required": (
        "完成转诊时请填写就诊结论。",
        "Completing a referral needs the doctor's conclusion.",
    ),
    "reason_required": ("请填写原因。", "A reason is required."),
    "outcome_required": ("请选择处理结果。", "Choose an outcome."),
    "outcome_not_allowed": ("该处理结果不适用于此操作。", "This outcome does not fit this action."),
    "critical_type": (
        "危急标记只适用于紧急联系任务。",
        "Only an urgent contact can be marked critical.",
    ),
    "unknown_task_type": ("未知的任务类型。", "Unknown task type."),
    "unknown_action": ("未知的任务操作。", "Unknown task action."),
    "due_required": ("请填写截止日期。", "A due date is required."),
    "due_not_allowed": ("此操作不能修改截止日期。", "This action cannot change the due date."),
    "due_in_past": ("截止日期不能早于现在。", "The due date cannot be in the past."),
    "due_too_far": ("截止日期过远。", "The due date is too far ahead."),
    "recheck_family_mismatch": (
        "复查结果与任务的检查类别不符。",
        "The recheck result is for another kind of test.",
    ),
    "not_a_recheck": ("该任务不是复查任务。", "This task is not a recheck."),
    "unknown_grade": ("未知的结果分级。", "Unknown result grade."),
    "naive_datetime": ("时间必须带时区。", "Times must carry a time zone."),
    "bad_page": ("分页参数有误。", "The page parameters are not valid."),
    "bad_sort": ("排序字段有误。", "The sort field is not valid."),
    "bad_batch": ("一次可分配1到200个任务。", "Assign 1 to 200 tasks at a time."),
    "bad_assignee": ("该人员不能接收此任务。", "This person cannot be assigned the task."),
    "checkup_after_as_of": (
        "体检日期晚于统计日期。",
        "The checkup date is after the reporting date.",
    ),
    "bad_window": ("时间范围有误。", "The time window is not valid."),
    "bad_roster": ("人员名册数据有误。", "The roster is not valid."),
    "suppression_impossible": (
        "无法对该统计进行隐私抑制。",
        "These figures cannot be suppressed safely.",
    ),
    # --- notifications ---------------------------------------------------------------------------
    "delivery_failed": (
        "通知发送失败，稍后将重试。",
        "A notification could not be delivered; it will be retried.",
    ),
    "bad_recipient": ("收件人地址有误。", "The recipient address is not valid."),
    "bad_subject": ("通知标题有误。", "The notification subject is not valid."),
    "bad_sender": ("发件人地址有误。", "The sender address is not valid."),
    "bad_link": ("通知中的链接有误。", "The link in the notification is not valid."),
    "dedup_key_required": ("通知缺少去重标识。", "The notification needs a de-duplication key."),
    "smtp_login_without_tls": (
        "邮件服务器登录必须使用加密连接。",
        "Signing in to the mail server needs an encrypted connection.",
    ),
    # --- emergency access ------------------------------------------------------------------------
    "bad_duration": ("紧急访问时长有误。", "The emergency access duration is not valid."),
    "grant_not_found": ("未找到该紧急访问授权。", "Emergency access grant not found."),
    "not_needed": (
        "您已有权访问该档案，无需紧急访问。",
        "You can already see this record; no emergency access is needed.",
    ),
    # --- self-care: equipment, training, own readings, programmes (issue 15) --------------------
    "kit_not_found": ("未找到该急救包。", "First-aid kit not found."),
    "kit_exists": ("本单位已有同名急救包。", "This unit already has a kit with that label."),
    "unknown_template": ("急救包模板不存在。", "There is no such kit template."),
    "templates_invalid": ("急救包模板数据有误。", "The kit template data is not valid."),
    "unknown_item": ("该物品不在急救包模板中。", "This item is not in the kit's template."),
    "bad_quantity": (
        "数量须为不小于0的整数。",
        "The quantity must be a whole number of 0 or more.",
    ),
    "missing_expiry": (
        "药品和无菌物品须填写批号和有效期。",
        "Medicines and sterile items need a batch and an expiry date.",
    ),
    "unexpected_expiry": ("该物品不需要有效期。", "This item has no expiry date."),
    "duplicate_item": ("同一物品和批号只能填写一次。", "Give each item and batch only once."),
    "bad_horizon": ("期限须为30、60或90天。", "The horizon must be 30, 60 or 90 days."),
    "device_not_found": ("未找到该设备。", "Device not found."),
    "device_exists": (
        "该序列号的设备已登记。",
        "A device with this serial number is already registered.",
    ),
    "unknown_device": ("设备类型不存在。", "There is no such kind of device."),
    "bad_holder": (
        "保管人须为本单位的在职民警。",
        "The holder must be a serving officer of this unit.",
    ),
    "date_in_future": ("日期不能晚于今天。", "The date cannot be in the future."),
    "course_exists": ("该课程代码已存在。", "A course with this code already exists."),
    "bad_validity": ("证书有效期须为1至120个月。", "Certificate validity must be 1 to 120 months."),
    "unknown_reading_kind": ("测量类型不存在。", "There is no such kind of reading."),
    "reading_in_future": ("测量时间不能晚于现在。", "The reading's time cannot be in the future."),
    "unknown_value": (
        "该测量类型不含此项数值。",
        "This kind of reading does not carry that value.",
    ),
    "missing_value": ("缺少必填的测量值。", "A required value is missing."),
    "implausible_value": (
        "数值超出可能的范围，请核对单位和读数。",
        "A value is outside the possible range; check the unit and the reading.",
    ),
    "cards_invalid": ("急救指引数据有误。", "The first-aid guidance data is not valid."),
    "card_not_found": ("未找到该急救指引。", "First-aid guidance card not found."),
    "programme_not_found": ("未找到该健康干预项目。", "Programme not found."),
    "programme_ended": (
        "该项目已结束，不能再记录随访。",
        "The programme has ended; no more contacts can be recorded.",
    ),
    "unknown_programme": ("项目类型不存在。", "There is no such kind of programme."),
    "missing_goal": ("项目至少需要一个目标。", "A programme needs at least one goal."),
    "unknown_measure": ("该项目不跟踪此指标。", "This programme does not track that measure."),
    "bad_direction": (
        "目标方向须为不高于或不低于。",
        "A goal's direction must be at_most or at_least.",
    ),
    "duplicate_goal": ("每个指标只能设一个目标。", "Set one goal per measure."),
    "date_before_enrolment": ("日期不能早于入组日期。", "The date cannot be before enrolment."),
    "bad_outcome": (
        "结局须为达标、未达标或退出。",
        "The outcome must be achieved, not achieved or withdrawn.",
    ),
    "not_a_lifestyle_task": (
        "该任务不是此人未完成的生活方式干预任务。",
        "That is not an open lifestyle task of this officer.",
    ),
    # --- web pages (api/web) ----------------------------------------------------------------------
    "login_required": ("请登录。", "Please sign in."),
    "csrf_refused": (
        "此表单已过期或并非来自本站，请刷新页面后重试。",
        "This form has expired or did not come from this site; reload the page and try again.",
    ),
    "bad_date": ("请输入有效日期。", "Enter a valid date."),
    "bad_value": ("请输入有效的值。", "Enter a valid value."),
    "no_results": ("请至少填写一项结果。", "Enter at least one result."),
    "empty_file": ("请选择要上传的文件。", "Choose a file to upload."),
    # --- risk equations and models (ml/, health/services/risk_*) --------------------------------
    "invalid_equation_input": (
        "风险公式的输入缺失或超出范围，请查看各项的单位和允许范围。",
        "An equation input is missing or out of range; see each field's unit and allowed range.",
    ),
    "equation_not_found": ("未找到该风险公式。", "No such risk equation."),
    "equation_disabled": (
        "该风险公式未经验证，已停用。",
        "This risk equation is not validated and is disabled.",
    ),
    "model_refused": (
        "模型文件未通过校验（被篡改、来源不明或版本不符），未予加载。",
        "The model file failed its checks (tampered, foreign or wrong version) and was not loaded.",
    ),
    "no_registry": ("未配置模型库。", "No model registry is configured."),
    # --- probes ----------------------------------------------------------------------------------
    "database_unreachable": ("数据库无法连接。", "The database cannot be reached."),
    # --- season: rosters, identity numbers, planned tasks, worklists, schedules ------------------
    "malformed_file": ("文件无法读取。", "The file cannot be read."),
    "national_id_shape": (
        "身份证号码应为17位数字加1位校验码（数字或X）。",
        "A national ID number has 17 digits and a check digit or X.",
    ),
    "national_id_birth_date": (
        "身份证号码中的出生日期无效。",
        "The birth date inside the national ID number is not a real date.",
    ),
    "national_id_check_digit": (
        "身份证号码校验码不正确（GB 11643）。",
        "The national ID number's check digit is wrong (GB 11643).",
    ),
    "account_not_found": ("未找到与此登录对应的账户。", "No account was found for this sign-in."),
    "bad_filter": (
        "筛选条件的取值无效，请使用允许的取值。",
        "A filter value is not allowed; use one of the listed values.",
    ),
    "not_your_unit": (
        "只能为您所服务单位的民警安排任务。",
        "Tasks can only be planned for officers in your own units.",
    ),
    "bad_task_type": ("任务类型无效。", "The task type is not valid."),
    "bad_priority": ("优先级应为1（最紧急）到5。", "Priority is 1 (most urgent) to 5."),
    "bad_due": ("截止日期无效。", "The due date is not valid."),
    "task_exists": (
        "该民警已有同类未完成的任务。",
        "This officer already has an open task of this type.",
    ),
    "bad_cadence": ("例行家访周期无效。", "The round cadence is not valid."),
    "bad_visits": ("每轮家访人数无效。", "The number of visits per round is not valid."),
    "no_round_plan": ("该单位尚未设置例行家访计划。", "This unit has no round plan yet."),
    "bad_capacity": ("体检场次容量无效。", "The session capacity is not valid."),
    "bad_day": ("体检场次日期无效。", "The session date is not valid."),
    "session_not_found": ("未找到该体检场次。", "Checkup session not found."),
    "session_full": ("该体检场次名额不足。", "The session does not have enough places left."),
    "already_booked": ("该民警已预约此场次。", "An officer is already booked on this session."),
    "session_no_reports": (
        "该体检场次尚无民警完成体检，没有可打印的报告。",
        "No officer has attended this session yet, so there is no report to print.",
    ),
    "session_batch_too_large": (
        "该场次报告过多，无法一次在线生成，请用命令行工具打印。",
        "Too many reports for one request; print them with officer-health report --session.",
    ),
}

# Row-level reasons of a refused upload (health.ingest.ReasonCode): the service's own reason
# stays in "reason" (it names the limit or the scale); this is the reader's sentence.
_ROW_REASONS: Final[dict[str, tuple[str, str]]] = {
    "unknown_analyte": ("未知的检查项目。", "Unknown test item."),
    "unknown_column": ("无法识别的列名。", "Column name not recognised."),
    "duplicate_column": ("同一项目出现了两列。", "The same item appears in two columns."),
    "missing_column": ("缺少必需的列。", "A required column is missing."),
    "unit_not_convertible": (
        "单位无法换算为标准单位。",
        "The unit cannot be converted to the standard unit.",
    ),
    "implausible_value": (
        "数值超出生理可能范围，请核对数值和单位。",
        "The value is physically impossible; check the value and its unit.",
    ),
    "malformed_value": ("数值格式有误。", "The value is not in a recognised form."),
    "malformed_date": ("日期格式有误。", "The date is not in a recognised form."),
    "missing_officer": (
        "在您负责的单位中找不到该人员。",
        "No such officer in the units you serve.",
    ),
    "duplicate_in_file": ("文件中有重复的记录。", "The file holds this record twice."),
    "malformed_file": ("文件无法读取。", "The file cannot be read."),
    "invalid_resource": ("资源内容无效。", "The resource is not valid."),
    "no_results": ("没有任何检查结果。", "There are no results."),
    "missing_value": ("必填项为空。", "A required value is empty."),
    "invalid_national_id": (
        "身份证号码无效（位数、出生日期或校验码有误）。",
        "The national ID number is not valid (length, birth date or check digit).",
    ),
    "unknown_unit": (
        "您负责的单位中没有此单位代码。",
        "No unit with this code among the units you serve.",
    ),
    "identifier_conflict": (
        "该号码已属于另一名登记人员。",
        "This number already belongs to another registered officer.",
    ),
    "identity_mismatch": (
        "与该警号登记的人员信息不符。",
        "Does not match the officer registered under this identifier.",
    ),
    "exam_date_in_future": ("体检日期晚于今天。", "The exam date is after today."),
    "exam_date_before_age_16": (
        "体检日期早于该民警16周岁生日。",
        "The exam date is before the officer's 16th birthday.",
    ),
    "unsupported_file": (
        "PDF、图片或旧版电子表格文件无法导入，请导出为 CSV 或 XLSX 格式。",
        "A PDF, image or old .xls file cannot be imported; export CSV or XLSX.",
    ),
    "ignored_column": (
        "无法识别的列已忽略，其他列照常读取。",
        "An unrecognised column was ignored; the other columns were read.",
    ),
}

ERROR_MESSAGES: Final[Mapping[str, Mapping[Lang, str]]] = MappingProxyType(
    {code: MappingProxyType({"zh": zh, "en": en}) for code, (zh, en) in _MESSAGES.items()}
)
FALLBACK_CODE: Final = "bad_request"


def error_message(code: str, lang: Lang) -> str:
    """The reader's message for an error code; an unknown code falls back to a generic one."""
    texts = ERROR_MESSAGES.get(code) or ERROR_MESSAGES[FALLBACK_CODE]
    return texts[lang]


ROW_REASON_MESSAGES: Final[Mapping[str, Mapping[Lang, str]]] = MappingProxyType(
    {code: MappingProxyType({"zh": zh, "en": en}) for code, (zh, en) in _ROW_REASONS.items()}
)


def row_reason_message(code: str, lang: Lang) -> str | None:
    """The reader's sentence for a row-level reason code, if there is one."""
    texts = ROW_REASON_MESSAGES.get(code)
    return None if texts is None else texts[lang]
