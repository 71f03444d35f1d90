"""Lead validity (有效咨询量), docs/domain.md §4.

    v = check_lead(channel="phone", age=20, education="high_school", it_related=True,
                   non_computer_only=False, has_recording=True)
    v.valid, v.reasons, v.counted_as

``reasons`` lists every rule that failed, as stable codes (see :data:`REASONS`); a human
sentence for each is :func:`reason_text` (zh and en), also in ``v.messages``. Unknown facts never
make a lead valid; an unknown channel, education or first-call value raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "CHANNELS",
    "EDUCATION",
    "FIRST_CALL_RESULTS",
    "REASONS",
    "Channel",
    "Verdict",
    "check_lead",
    "counted_as",
    "reason_text",
]


class Channel(StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    OUTDOOR = "outdoor"
    ONLINE = "online"
    MARKET = "market"
    REFERRAL = "referral"
    INTERNAL = "internal"


CHANNELS = tuple(c.value for c in Channel)

# Education levels, lowest first; the number is the level (high school and its equivalents = 3).
EDUCATION: Mapping[str, int] = MappingProxyType(
    {
        "none": 0,
        "primary": 1,
        "junior_high": 2,
        "high_school": 3,
        "vocational_high": 3,
        "technical_secondary": 3,
        "associate": 4,
        "bachelor": 5,
        "master": 6,
        "doctorate": 7,
        "unknown": -1,
    }
)
_HIGH_SCHOOL = 3

FIRST_CALL_RESULTS = ("connected", "powered_off", "suspended", "out_of_area", "unreachable")

# Which channels need IT-related interest, contact details etc. (§4.3).
_IT_REQUIRED = frozenset({"phone", "walk_in", "outdoor", "online"})
_COUNTED_AS = {"outdoor": "walk_in", "online": "phone"}
# referral / internal count towards total inquiries, not towards first-visit walk-ins (§4.3).
_NOT_FIRST_VISIT = frozenset({"referral", "internal"})

REASONS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "age_unknown": {
            "zh": "年龄未知：需确认年满18岁。",
            "en": "Age unknown: the lead must be confirmed 18 or over.",
        },
        "under_18": {
            "zh": "未满18岁。",
            "en": "Under 18.",
        },
        "education_unknown": {
            "zh": "学历未知：需确认高中（或职高、中专）及以上学历。",
            "en": "Education unknown: at least high school (or vocational high / technical secondary) must be confirmed.",
        },
        "education_below_high_school": {
            "zh": "学历低于高中（职高、中专）。",
            "en": "Education below high school (vocational high / technical secondary).",
        },
        "not_it_related": {
            "zh": "咨询的不是IT相关培训。",
            "en": "Did not ask about IT-related training.",
        },
        "non_computer_only": {
            "zh": "明确表示只想学非电脑类课程。",
            "en": "Said they only want a non-computer subject.",
        },
        "no_recording": {
            "zh": "电话没有录音。",
            "en": "The call has no recording.",
        },
        "no_contact": {
            "zh": "没有有效的联系方式。",
            "en": "No valid contact details.",
        },
        "not_phone_contacted": {
            "zh": "还没有电话沟通过。",
            "en": "Has not been spoken to on the phone.",
        },
        "not_brought_or_questionnaire": {
            "zh": "既没有被带到中心，也不是问卷回访后上门。",
            "en": "Neither brought to the center in person nor came in after a questionnaire follow-up.",
        },
        "first_call_not_connected": {
            "zh": "首次电话未接通（关机、停机、异地号或无法接通）。",
            "en": "The first call did not reach them (switched off, suspended, out-of-area number or unreachable).",
        },
        "repeat": {
            "zh": "重复咨询：同一个人（同一电话）已是咨询者，不算新的有效咨询。",
            "en": "Repeat inquiry: the same person (same phone) is already a lead, not a new valid lead.",
        },
        "checked_invalid": {
            "zh": "核查确认无效：咨询师标记的无效经前台或主管核查属实（§4.5）。",
            "en": "Checked invalid: the consultant's 'invalid' mark was upheld by the front desk or the manager (§4.5).",
        },
    }
)

_FIRST_CALL_TEXT = {
    "powered_off": {"zh": "关机", "en": "switched off"},
    "suspended": {"zh": "停机", "en": "suspended"},
    # 异地号: a number registered outside the center's city (docs/domain.md §4.6), not 不在服务区.
    "out_of_area": {"zh": "异地号", "en": "out-of-area number"},
    "unreachable": {"zh": "无法接通", "en": "unreachable"},
}


def reason_text(code: str, lang: str = "zh", **params: str) -> str:
    """A human sentence for a reason code, in ``zh`` or ``en``.

    ``first_call_not_connected`` takes ``result=`` (e.g. ``powered_off``) to say which.
    """
    from desk.rules.sop import lang_code

    lang = lang_code(lang)
    if code not in REASONS:
        raise KeyError(f"unknown reason code {code!r}")
    text = REASONS[code][lang]
    result = params.get("result")
    if code == "first_call_not_connected" and result in _FIRST_CALL_TEXT:
        word = _FIRST_CALL_TEXT[result][lang]
        text = f"首次电话未接通（{word}）。" if lang == "zh" else f"The first call did not reach them ({word})."
    return text


def counted_as(channel: str) -> str:
    """The channel a lead is counted under: outdoor -> walk_in, online -> phone, else itself."""
    channel = _channel(channel)
    return _COUNTED_AS.get(channel, channel)


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reasons: list[str]
    counted_as: str
    channel: str = ""
    # referral / internal leads count towards total inquiries, never towards first-visit walk-ins.
    counts_as_first_visit: bool = False
    messages: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )

    def __bool__(self) -> bool:
        return self.valid


def _channel(channel: object) -> str:
    value = str(getattr(channel, "value", channel))
    if value not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; expected one of {CHANNELS}")
    return value


def check_lead(
    *,
    channel: str,
    age: int | None = None,
    education: str = "unknown",
    it_related: bool = False,
    non_computer_only: bool = False,
    has_recording: bool = False,
    has_contact: bool = False,
    phone_contacted: bool = False,
    brought_in_person: bool = False,
    came_after_questionnaire: bool = False,
    is_repeat: bool = False,
    first_call_result: str = "connected",
    checked_invalid: bool = False,
) -> Verdict:
    """Check a lead against docs/domain.md §4 and list every rule that failed."""
    channel = _channel(channel)
    if education is None:
        education = "unknown"
    education = str(getattr(education, "value", education))
    if education not in EDUCATION:
        raise ValueError(f"unknown education {education!r}; expected one of {tuple(EDUCATION)}")
    first_call_result = str(getattr(first_call_result, "value", first_call_result or "connected"))
    if first_call_result not in FIRST_CALL_RESULTS:
        raise ValueError(f"unknown first_call_result {first_call_result!r}; expected one of {FIRST_CALL_RESULTS}")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        raise ValueError(f"age must be a non-negative int or None, not {age!r}")

    reasons: list[str] = []
    # 1. basic; not for market rows, lists rarely carry age or education (docs/domain.md §4.6)
    if channel == "market":
        pass
    elif age is None:
        reasons.append("age_unknown")
    elif age < 18:
        reasons.append("under_18")
    level = EDUCATION[education]
    if channel == "market":
        pass
    elif level < 0:
        reasons.append("education_unknown")
    elif level < _HIGH_SCHOOL:
        reasons.append("education_below_high_school")
    # 2. by channel
    if channel in _IT_REQUIRED and not it_related:
        reasons.append("not_it_related")
    if channel == "phone":
        if non_computer_only:
            reasons.append("non_computer_only")
        if not has_recording:
            reasons.append("no_recording")
    elif channel == "outdoor":
        if not has_contact:
            reasons.append("no_contact")
        if not (brought_in_person or came_after_questionnaire):
            reasons.append("not_brought_or_questionnaire")
    elif channel == "online":
        if not has_contact:
            reasons.append("no_contact")
        if not phone_contacted:
            reasons.append("not_phone_contacted")
    elif channel == "market":  # noqa: SIM102 - one branch per channel, as above
        if first_call_result != "connected":
            reasons.append("first_call_not_connected")
    # 3. repeat
    if is_repeat:
        reasons.append("repeat")
    # 4. a consultant's "invalid" mark that a check upheld (§4.5): the checker heard what the
    # facts on record do not show (on the recording, say), and the lead stays out of valid counts
    if checked_invalid:
        reasons.append("checked_invalid")

    params = {"result": first_call_result}
    messages = MappingProxyType(
        {lang: tuple(reason_text(code, lang, **params) for code in reasons) for lang in ("zh", "en")}
    )
    valid = not reasons
    as_channel = _COUNTED_AS.get(channel, channel)
    return Verdict(
        valid=valid,
        reasons=reasons,
        counted_as=as_channel,
        channel=channel,
        counts_as_first_visit=valid and as_channel == "walk_in" and channel not in _NOT_FIRST_VISIT,
        messages=messages,
    )
