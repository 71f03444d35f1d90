"""check_lead(): docs/domain.md §4 — every reason code reachable, counted_as per channel."""

from __future__ import annotations

import itertools

import pytest

from desk.rules.leads import CHANNELS, EDUCATION, REASONS, Verdict, check_lead, counted_as, reason_text

GOOD = dict(age=20, education="high_school", it_related=True)

VALID_BY_CHANNEL = {
    "phone": dict(GOOD, has_recording=True),
    "walk_in": dict(GOOD),
    "outdoor": dict(GOOD, has_contact=True, brought_in_person=True),
    "online": dict(GOOD, has_contact=True, phone_contacted=True),
    "market": dict(age=20, education="high_school"),
    "referral": dict(age=20, education="high_school"),
    "internal": dict(age=20, education="high_school"),
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_valid_lead_per_channel(channel):
    v = check_lead(channel=channel, **VALID_BY_CHANNEL[channel])
    assert v.valid and v.reasons == [], v.reasons
    assert v.counted_as == {"outdoor": "walk_in", "online": "phone"}.get(channel, channel)


@pytest.mark.parametrize("channel", CHANNELS)
def test_counted_as_is_filled_when_invalid(channel):
    if channel == "market":  # no basic rules for market rows (§4.6): only the first call fails one
        v = check_lead(channel=channel, first_call_result="unreachable")
        assert v.reasons == ["first_call_not_connected"]
    else:
        v = check_lead(channel=channel)
        assert "age_unknown" in v.reasons and "education_unknown" in v.reasons
    assert not v.valid
    assert v.counted_as == counted_as(channel)


@pytest.mark.parametrize(
    ("channel", "facts", "code"),
    [
        ("phone", dict(age=None), "age_unknown"),
        ("phone", dict(age=17), "under_18"),
        ("phone", dict(age=0), "under_18"),
        ("phone", dict(education="unknown"), "education_unknown"),
        ("phone", dict(education="junior_high"), "education_below_high_school"),
        ("phone", dict(education="primary"), "education_below_high_school"),
        ("phone", dict(education="none"), "education_below_high_school"),
        ("phone", dict(it_related=False), "not_it_related"),
        ("walk_in", dict(it_related=False), "not_it_related"),
        ("outdoor", dict(it_related=False), "not_it_related"),
        ("online", dict(it_related=False), "not_it_related"),
        ("phone", dict(non_computer_only=True), "non_computer_only"),
        ("phone", dict(has_recording=False), "no_recording"),
        ("outdoor", dict(has_contact=False), "no_contact"),
        ("online", dict(has_contact=False), "no_contact"),
        ("online", dict(phone_contacted=False), "not_phone_contacted"),
        ("outdoor", dict(brought_in_person=False), "not_brought_or_questionnaire"),
        ("market", dict(first_call_result="powered_off"), "first_call_not_connected"),
        ("market", dict(first_call_result="suspended"), "first_call_not_connected"),
        ("market", dict(first_call_result="out_of_area"), "first_call_not_connected"),
        ("market", dict(first_call_result="unreachable"), "first_call_not_connected"),
        ("phone", dict(is_repeat=True), "repeat"),
        ("referral", dict(is_repeat=True), "repeat"),
        ("referral", dict(age=16), "under_18"),
        ("internal", dict(education="junior_high"), "education_below_high_school"),
    ],
)
def test_each_reason(channel, facts, code):
    v = check_lead(channel=channel, **{**VALID_BY_CHANNEL[channel], **facts})
    assert not v.valid
    assert v.reasons == [code]


def test_every_reason_code_is_reachable_and_has_text():
    seen: set[str] = set()
    bools = ("it_related", "non_computer_only", "has_recording", "has_contact", "phone_contacted",
             "brought_in_person", "came_after_questionnaire", "is_repeat", "checked_invalid")
    for channel in CHANNELS:
        for age, edu, result in itertools.product((None, 10, 30), ("unknown", "primary", "master"),
                                                  ("connected", "unreachable")):
            for flags in itertools.product((False, True), repeat=len(bools)):
                v = check_lead(channel=channel, age=age, education=edu, first_call_result=result,
                               **dict(zip(bools, flags, strict=True)))
                seen.update(v.reasons)
    assert seen == set(REASONS)
    for code in REASONS:
        assert reason_text(code, "zh") and reason_text(code, "en")
        assert reason_text(code, "zh") != reason_text(code, "en")


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_upheld_invalid_mark_keeps_a_lead_that_passes_every_rule_out(channel):
    facts = dict(channel=channel, age=30, education="master", it_related=True, has_recording=True, has_contact=True,
                 phone_contacted=True, brought_in_person=True)
    assert check_lead(**facts).valid
    verdict = check_lead(**facts, checked_invalid=True)
    assert not verdict.valid and verdict.reasons == ["checked_invalid"]


def test_every_failed_rule_is_listed():
    v = check_lead(channel="phone", age=15, education="primary", it_related=False,
                   non_computer_only=True, has_recording=False, is_repeat=True)
    assert v.reasons == ["under_18", "education_below_high_school", "not_it_related",
                         "non_computer_only", "no_recording", "repeat"]
    assert len(v.messages["zh"]) == len(v.messages["en"]) == 6


def test_outdoor_needs_contact_on_both_paths():
    base = dict(channel="outdoor", age=21, education="high_school", it_related=True)
    assert check_lead(**base, brought_in_person=True, has_contact=True).valid
    assert check_lead(**base, came_after_questionnaire=True, has_contact=True).valid
    assert check_lead(**base, came_after_questionnaire=True).reasons == ["no_contact"]
    assert check_lead(**base, brought_in_person=True).reasons == ["no_contact"]


def test_market_needs_no_it_interest():
    assert check_lead(channel="market", age=19, education="high_school", it_related=False).valid


def test_phone_needs_no_contact_flag():
    assert check_lead(channel="phone", **GOOD, has_recording=True, has_contact=False).valid


@pytest.mark.parametrize("edu", [e for e, level in EDUCATION.items() if level >= 3])
def test_high_school_or_higher_counts(edu):
    assert check_lead(channel="walk_in", age=18, education=edu, it_related=True).valid


def test_age_boundary():
    assert check_lead(channel="walk_in", age=18, education="bachelor", it_related=True).valid
    assert not check_lead(channel="walk_in", age=17, education="bachelor", it_related=True).valid


def test_defaults_are_unknown():
    v = check_lead(channel="walk_in", it_related=True)
    assert v.reasons == ["age_unknown", "education_unknown"]


@pytest.mark.parametrize(
    "facts",
    [
        dict(channel="fax"),
        dict(channel="phone", education="kindergarten"),
        dict(channel="market", first_call_result="busy"),
        dict(channel="phone", age=-1),
        dict(channel="phone", age="twenty"),
        dict(channel="phone", age=True),
    ],
)
def test_unknown_values_raise(facts):
    with pytest.raises(ValueError):
        check_lead(**facts)


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError):
        check_lead(channel="phone", favourite_colour="blue")  # type: ignore[call-arg]


def test_referral_and_internal_do_not_count_as_first_visit_walk_ins():
    assert check_lead(channel="outdoor", **VALID_BY_CHANNEL["outdoor"]).counts_as_first_visit
    assert check_lead(channel="walk_in", **VALID_BY_CHANNEL["walk_in"]).counts_as_first_visit
    for channel in ("referral", "internal", "phone"):
        assert not check_lead(channel=channel, **VALID_BY_CHANNEL[channel]).counts_as_first_visit


def test_reason_text_languages_and_detail():
    assert reason_text("under_18", "zh_CN") == reason_text("under_18", "zh")
    assert "switched off" in reason_text("first_call_not_connected", "en", result="powered_off")
    assert "关机" in reason_text("first_call_not_connected", "zh", result="powered_off")
    v = check_lead(channel="market", age=19, education="high_school", first_call_result="out_of_area")
    assert "异地号" in v.messages["zh"][0]  # a number from another city, not 不在服务区
    assert "不在服务区" not in v.messages["zh"][0]
    assert "out-of-area number" in v.messages["en"][0]
    with pytest.raises(KeyError):
        reason_text("no_such_code")
    with pytest.raises(ValueError):
        reason_text("under_18", "fr")


def test_verdict_shape():
    v = check_lead(channel="phone", age=20, education="high_school", it_related=True,
                   non_computer_only=False, has_recording=True)
    assert isinstance(v, Verdict) and isinstance(v.reasons, list) and bool(v) is True


@pytest.mark.parametrize("age", [None, 15, 40])
@pytest.mark.parametrize("education", ["unknown", "junior_high", "bachelor"])
def test_market_rows_skip_the_basic_rules(age, education):
    """docs/domain.md §4.6: lists rarely carry age or education; only the first call decides."""
    v = check_lead(channel="market", age=age, education=education)
    assert v.valid and v.reasons == [] and v.counted_as == "market"
    v = check_lead(channel="market", age=age, education=education, first_call_result="out_of_area")
    assert v.reasons == ["first_call_not_connected"]
