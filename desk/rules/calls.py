"""Call types: suggest the type of a phone call from the words typed and who is calling.

docs/domain.md §2.2–§2.4. The public API (§12.1) is::

    t = classify(text, staff={"王芳": "consultant", "李明": "teacher"}, caller=None)
    t.call_type, t.confirm_question, t.cues

Order of precedence (§2.3), first rule that fires wins:

1. ``silent``: empty, whitespace, or only greetings ("喂", "您好", "hello?").
2. ``complaint``: complaint / anger words, a refund demanded (not asked about hypothetically),
   the principal or the leadership asked for with no name ("我找一下你们校长").
3. ``other``: courier, job applicant, wrong number — only on a cue. (§2.3 gives its place:
   it comes before names so that "a parcel for 王芳" or "I'm here for the interview with Mr. Li"
   is not a repeat inquiry.)
4. a named roster person: their role decides (consultant/receptionist -> ``repeat_inquiry``;
   teacher/head teacher/employment officer -> ``student``; principal/manager/media/events
   officer -> ``business``; an employment officer asked for with an organisation cue, 公司 /
   企业 / 招聘 / 单位, -> ``business``, DOMAIN.md §10, and that 招聘 is then no job applicant's);
   a known student caller makes it ``student`` whoever they name (except that employment
   officer with an organisation cue: a former student now hiring for a firm).
   A name not on the roster with 校长/经理/总/主任/主管/manager/principal -> ``business``; with
   老师 (or Mr./Ms.) -> ``repeat_inquiry`` (``student`` for a known student).
5. a caller known as a lead -> ``repeat_inquiry`` (also when they ask the way).
6. ``screened``: a job title asked for with no name (采购经理, 负责人, boss, HR…), or a sales pitch.
7. ``student``: "I am a student here", my class, my head teacher, or a known student caller.
8. ``repeat_inquiry``: explicit earlier contact (上次, 之前咨询过, I called before).
9. ``directions``: place or route words ("are you the … training" alone is an inquiry).
10. ``proxy_inquiry``: asking for someone else (my son, 帮我朋友问).
11. ``first_inquiry``: course words; with no cue at all, also ``first_inquiry`` but
    ``low_confidence`` — the receptionist confirms.

Roster matching (§2.3): a person is named by the full name, the given name (two characters or
more), the surname with a title word, 小X / 老X, or an English name in any case. A bare
one-character surname is never a name on its own, and never across an ordinary word
("你好" is not staff 好, "班主任" is not 任老师). When a surname fits several staff: the full-name
match wins, else the title (校长 -> principal), else the caller (a student -> their teachers,
a lead -> a consultant), else the consultant, else the first on the roster.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from desk.rules.lexicon import Lexicon, default_lexicon, has_cjk, normalize

__all__ = [
    "BUSINESS_ROLES",
    "CALLERS",
    "HANDLING",
    "INQUIRY_TYPES",
    "NEW_INQUIRY_TYPES",
    "ROLES",
    "STUDENT_ROLES",
    "CallType",
    "Classification",
    "Handling",
    "classify",
    "confirm_question_for",
    "detect_lang",
    "handling",
]


class CallType(StrEnum):
    FIRST_INQUIRY = "first_inquiry"
    PROXY_INQUIRY = "proxy_inquiry"
    REPEAT_INQUIRY = "repeat_inquiry"
    STUDENT = "student"
    DIRECTIONS = "directions"
    BUSINESS = "business"
    SCREENED = "screened"
    COMPLAINT = "complaint"
    SILENT = "silent"
    OTHER = "other"


class Handling(StrEnum):
    """What the front desk does with a call once its type is confirmed (docs/domain.md §2.5).

    Each call type has one handling (``HANDLING``); the data layer writes a call by its
    handling and the call panel builds its action area by it, so a new call type that is
    handled like an existing one is one entry here (plus its label, cues and key)."""

    ROTATION = "rotation"  # a new inquirer: the phone rotation's pick, or a message
    OWNER = "owner"  # a repeat inquirer: their consultant, or someone on their behalf
    PERSON = "person"  # someone asked for by name: transfer to the person chosen
    DIRECTIONS = "directions"  # the way here; a lead when they are coming to consult
    SCREENED = "screened"  # declined politely, name and purpose noted
    COMPLAINT = "complaint"  # to the manager at once
    SILENT = "silent"  # nothing said: one key, nothing owed
    NOTE = "note"  # anything else: a line in the register


HANDLING: Mapping[str, Handling] = MappingProxyType({
    CallType.FIRST_INQUIRY: Handling.ROTATION,
    CallType.PROXY_INQUIRY: Handling.ROTATION,
    CallType.REPEAT_INQUIRY: Handling.OWNER,
    CallType.STUDENT: Handling.PERSON,
    CallType.BUSINESS: Handling.PERSON,
    CallType.DIRECTIONS: Handling.DIRECTIONS,
    CallType.SCREENED: Handling.SCREENED,
    CallType.COMPLAINT: Handling.COMPLAINT,
    CallType.SILENT: Handling.SILENT,
    CallType.OTHER: Handling.NOTE,
})

# New inquirers, shared by the phone rotation (docs/domain.md §5.1).
NEW_INQUIRY_TYPES = tuple(str(t) for t, h in HANDLING.items() if h is Handling.ROTATION)
# Every inquiry, new or repeat: the calls the consultant completes the register for and the
# reports count as inquiries (docs/domain.md §2.7, §9).
INQUIRY_TYPES = (*NEW_INQUIRY_TYPES, CallType.REPEAT_INQUIRY.value)


def handling(call_type: str) -> Handling:
    """How a call of ``call_type`` is handled; ``ValueError`` for a type desk does not know."""
    return HANDLING[CallType(call_type)]


# Staff roles of docs/domain.md §1.2, in the order the roster shows them.
ROLES = (
    "consultant",
    "receptionist",
    "teacher",
    "head_teacher",
    "employment_officer",
    "principal",
    "manager",
    "media_officer",
    "events_officer",
)
STUDENT_ROLES = frozenset({"teacher", "head_teacher", "employment_officer"})
BUSINESS_ROLES = frozenset({"principal", "manager", "media_officer", "events_officer"})
CALLERS = (None, "lead", "student")

_ROLE_TYPE = {
    "consultant": CallType.REPEAT_INQUIRY,
    # Someone asking the receptionist by name is a caller she has spoken to before.
    "receptionist": CallType.REPEAT_INQUIRY,
    "teacher": CallType.STUDENT,
    "head_teacher": CallType.STUDENT,
    "employment_officer": CallType.STUDENT,
    "principal": CallType.BUSINESS,
    "manager": CallType.BUSINESS,
    "media_officer": CallType.BUSINESS,
    "events_officer": CallType.BUSINESS,
}

# Title word -> the roles it points at, to pick among staff sharing a surname.
_TITLE_ROLES = {
    "校长": frozenset({"principal"}),
    "principal": frozenset({"principal"}),
    "headmaster": frozenset({"principal"}),
    "headmistress": frozenset({"principal"}),
    "经理": frozenset({"manager"}),
    "manager": frozenset({"manager"}),
    "总": frozenset({"principal", "manager"}),
    "总监": frozenset({"manager", "media_officer", "events_officer"}),
    "director": frozenset({"manager", "media_officer", "events_officer", "principal"}),
    "主任": BUSINESS_ROLES | {"head_teacher", "employment_officer"},
    "主管": BUSINESS_ROLES,
}


@dataclass(frozen=True)
class Classification:
    """What :func:`classify` suggests. ``confirm_question`` is the question back in the language
    the text is mostly written in (the exact SOP line; ``xx`` stands for ``ask_name``)."""

    call_type: CallType
    confirm_question: str
    cues: tuple[str, ...]
    low_confidence: bool = False
    named: str | None = None
    named_role: str | None = None
    lang: str = "zh"
    opens_lead: bool = False
    ask_name: str | None = None
    confirm_questions: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )

    def question(self, lang: str | None = None, *, fill: bool = True) -> str:
        """The question back in ``lang`` (default: the text's), with ``xx`` filled in."""
        return confirm_question_for(self.call_type, lang or self.lang, self.ask_name if fill else None)


def detect_lang(text: str) -> str:
    """``zh`` if the text has any Chinese character (or is empty), else ``en``."""
    if not text.strip() or has_cjk(text):
        return "zh"
    return "en"


def confirm_question_for(call_type: CallType | str, lang: str = "zh", name: str | None = None) -> str:
    """The question to ask back for ``call_type`` in ``lang`` (§2.4); ``xx`` -> ``name``."""
    from desk.rules import sop

    return sop.confirm(CallType(call_type).value, lang, name)


# --------------------------------------------------------------------------------------------
# Roster
# --------------------------------------------------------------------------------------------


class _Person(NamedTuple):
    key: str
    role: str
    order: int


class _Hit(NamedTuple):
    start: int
    end: int
    kind: str  # full | given | alone | titled | nick | unknown
    score: int
    people: tuple[_Person, ...]
    title: str | None = None
    text: str = ""


class _Roster(NamedTuple):
    people: tuple[_Person, ...]
    exact: list[tuple[re.Pattern[str], _Person, str, int]]
    groups: list[tuple[re.Pattern[str], re.Pattern[str] | None, tuple[_Person, ...], bool]]
    tokens: frozenset[str]


_ROSTERS: dict[tuple[object, ...], _Roster] = {}


def _latin(word: str) -> str:
    return rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])"


def _surname_of(nk: str, lex: Lexicon) -> str:
    for compound in lex.list("compound_surnames"):
        if nk.startswith(compound):
            return compound
    return nk[0]


def _roster(staff: Mapping[str, str], lex: Lexicon) -> _Roster:
    cache_key = (tuple(staff.items()), id(lex))
    got = _ROSTERS.get(cache_key)
    if got is not None:
        return got
    common = lex.common_words
    titles = f"(?:{lex['titles_any'].source}|{lex['titles_business'].source})"
    people: list[_Person] = []
    exact: list[tuple[re.Pattern[str], _Person, str, int]] = []
    by_surname: dict[tuple[str, bool], list[_Person]] = {}
    tokens: set[str] = set()
    for order, (key, role) in enumerate(staff.items()):
        if role not in ROLES:
            raise ValueError(f"unknown staff role {role!r} for {key!r}; expected one of {sorted(ROLES)}")
        person = _Person(str(key), role, order)
        people.append(person)
        nk = normalize(str(key))
        if not nk:
            continue
        if has_cjk(nk):
            nk = nk.replace(" ", "")
            surname = _surname_of(nk, lex)
            given = nk[len(surname) :]
            if given:
                exact.append((re.compile(re.escape(nk)), person, "full", 3))
                if len(given) >= 2 and given not in common:
                    exact.append((re.compile(re.escape(given)), person, "given", 2))
            by_surname.setdefault((surname, True), []).append(person)
        else:
            parts = nk.split()
            tokens.update(parts)
            if len(parts) > 1:
                phrase = r"\s".join(re.escape(p) for p in parts)
                exact.append((re.compile(rf"(?<![a-z0-9]){phrase}(?![a-z0-9])"), person, "full", 3))
            for part in parts:
                if part not in common and len(part) >= 2:
                    exact.append((re.compile(_latin(part)), person, "alone", 2))
                by_surname.setdefault((part, False), []).append(person)
    groups: list[tuple[re.Pattern[str], re.Pattern[str] | None, tuple[_Person, ...], bool]] = []
    for (surname, cjk), members in by_surname.items():
        if cjk:
            titled = re.compile(rf"{re.escape(surname)}\s?({titles})")
            nick = re.compile(rf"[小老]{re.escape(surname)}") if len(surname) == 1 else None
        else:
            titled = re.compile(rf"({titles})\s{_latin(surname)}")
            nick = None
        groups.append((titled, nick, tuple(members), cjk))
    roster = _Roster(tuple(people), exact, groups, frozenset(tokens))
    if len(_ROSTERS) > 256:
        _ROSTERS.clear()
    _ROSTERS[cache_key] = roster
    return roster


def _guarded(norm: str, s: int, common: frozenset[str], asked: re.Pattern[str]) -> bool:
    """True when the character before a surname makes an ordinary word with it (你好, 下周),
    unless a request verb comes right before (找一下周经理)."""
    return s > 0 and norm[s - 1 : s + 1] in common and not asked.search(norm, max(0, s - 6), s)


def _roster_hits(norm: str, roster: _Roster, lex: Lexicon) -> list[_Hit]:
    common = lex.common_words
    asked = _compiled(lex).asked
    hits: list[_Hit] = []
    for pattern, person, kind, score in roster.exact:
        for m in pattern.finditer(norm):
            hits.append(_Hit(m.start(), m.end(), kind, score, (person,), text=m.group(0)))
    for titled, nick, members, cjk in roster.groups:
        for m in titled.finditer(norm):
            s = m.start()
            if cjk and _guarded(norm, s, common, asked):
                continue  # 你好老师 is not staff 好; 班主任老师 is not 任老师
            hits.append(_Hit(s, m.end(), "titled", 2, members, title=m.group(1).strip(), text=m.group(0)))
        if nick is not None:
            for m in nick.finditer(norm):
                if m.group(0) in common:
                    continue  # 老师 is not 老 + staff 师
                hits.append(_Hit(m.start(), m.end(), "nick", 2, members, text=m.group(0)))
    return hits


def _pick_person(hit: _Hit, caller: str | None) -> _Person:
    people = hit.people
    if len(people) == 1:
        return people[0]
    if hit.title:
        wanted = _TITLE_ROLES.get(hit.title)
        if wanted:
            fitting = tuple(p for p in people if p.role in wanted)
            if fitting:
                people = fitting
                if len(people) == 1:
                    return people[0]
    if caller == "student":
        fitting = tuple(p for p in people if p.role in STUDENT_ROLES)
        if fitting:
            return fitting[0]
    consultants = tuple(p for p in people if p.role == "consultant")
    if consultants:
        return consultants[0]
    return min(people, key=lambda p: p.order)


# --------------------------------------------------------------------------------------------
# Per-lexicon compiled helpers
# --------------------------------------------------------------------------------------------


class _Compiled(NamedTuple):
    request_before: re.Pattern[str]
    request_after: re.Pattern[str]
    unknown_zh: re.Pattern[str]
    unknown_en: re.Pattern[str]
    relatives: re.Pattern[str]
    negation: re.Pattern[str]
    course_after_title: re.Pattern[str]
    self_intro: re.Pattern[str]
    asked: re.Pattern[str]
    latin_words: frozenset[str]
    business_titles: frozenset[str]


_COMPILED: dict[int, _Compiled] = {}


def _compiled(lex: Lexicon) -> _Compiled:
    got = _COMPILED.get(id(lex))
    if got is not None:
        return got
    titles_any = lex["titles_any"].source
    titles_business = lex["titles_business"].source
    surnames = "".join(sorted({s for s in lex.list("surnames") if len(s) == 1}))
    compounds = "|".join(re.escape(s) for s in lex.list("compound_surnames"))
    surname_src = f"(?:{compounds}|[{re.escape(surnames)}])" if compounds else f"[{re.escape(surnames)}]"
    latin_words: set[str] = set()
    for category, entries in lex.words.items():
        if category in ("common_words", "surnames", "compound_surnames", "titles_any", "titles_business"):
            continue
        for entry in entries:
            if not entry.startswith(("re:", "cs:")):
                latin_words.update(re.findall(r"[a-z]+", normalize(entry.rstrip("*"))))
    business_titles = {normalize(t) for t in lex.list("titles_business") if not t.startswith(("re:", "cs:"))}
    business_titles.add("总")
    got = _Compiled(
        request_before=re.compile(lex["request_before"].source),
        request_after=re.compile(
            rf"\s?(?:{titles_any}|{titles_business})?\s?{lex['request_after'].source}"
        ),
        unknown_zh=re.compile(rf"({surname_src})\s?({titles_any}|{titles_business})"),
        unknown_en=re.compile(rf"({titles_any}|{titles_business})\s([a-z][a-z]+)(?![a-z0-9])"),
        relatives=re.compile(rf"{lex['relatives'].source}(?!\s?{lex['referral_after'].source})"),
        negation=re.compile(r"(?:没|未|从来|不曾|never|not|n t)\s?(?:有)?\s?$"),
        course_after_title=re.compile(rf"\s?{lex['course_after_title'].source}"),
        self_intro=re.compile(rf"{lex['self_intro'].source}\s?$"),
        asked=re.compile(rf"{lex['request_before'].source}\s?$"),
        latin_words=frozenset(latin_words),
        business_titles=frozenset(business_titles),
    )
    _COMPILED[id(lex)] = got
    return got


def _unknown_names(norm: str, lex: Lexicon, comp: _Compiled) -> list[_Hit]:
    """Surname + title for a person not on the roster: 张总, 王老师, Principal Smith, Ms. Lee."""
    common = lex.common_words
    hits: list[_Hit] = []
    for m in comp.unknown_zh.finditer(norm):
        s = m.start()
        if _guarded(norm, s, common, comp.asked):
            continue
        if norm[s : s + 2] in common:
            continue
        hits.append(_Hit(s, m.end(), "unknown", 1, (), title=m.group(2).strip(), text=m.group(0)))
    for m in comp.unknown_en.finditer(norm):
        name = m.group(2)
        if name in common or name in comp.latin_words:
            continue
        hits.append(_Hit(m.start(), m.end(), "unknown", 1, (), title=m.group(1).strip(), text=m.group(0)))
    return hits


def _in_request(norm: str, hit: _Hit, comp: _Compiled) -> bool:
    window = norm[max(0, hit.start - 8) : hit.start]
    return bool(comp.request_before.search(window) or comp.request_after.match(norm, hit.end))


def _framed(norm: str, lex: Lexicon, category: str, comp: _Compiled, names: list[_Hit]) -> str | None:
    """A ``category`` word asked for with no name next to it (你们校长 / 采购经理在吗 / your HR)."""
    for pattern in lex.frames(category):
        for m in pattern.finditer(norm):
            s, e = m.span(1)
            if any(h.start <= e and s <= h.end for h in names):
                continue  # 赵校长 / Principal Smith: a name, not a bare title
            if comp.course_after_title.match(norm, e):
                continue  # 财务培训, HR course: a subject, not a person
            return m.group(1).strip()
    return None


def _pitch(norm: str, raw: str, lex: Lexicon) -> list[str]:
    """A sales pitch: an offer and a product or a company, or a company and a product."""
    offer = lex["offer_frame"].search(norm, raw)
    sales = lex["sales"].search(norm, raw)
    intro = lex["company_intro"].search(norm, raw)
    if (offer and (sales or intro)) or (intro and sales):
        return [f"pitch:{w}" for w in (intro, offer, sales) if w]
    return []


def _self_named(norm: str, hit: _Hit, comp: _Compiled) -> bool:
    """我叫李明 / this is Anna: the caller's own name, not the person asked for."""
    return comp.self_intro.search(norm, max(0, hit.start - 12), hit.start) is not None


def _earlier_contact(norm: str, lex: Lexicon, comp: _Compiled) -> str | None:
    for m in lex["earlier_contact"].finditer(norm):
        if comp.negation.search(norm[max(0, m.start() - 6) : m.start()]):
            continue  # 没来过, never called before
        return m.group(0).strip()
    return None


# --------------------------------------------------------------------------------------------
# classify
# --------------------------------------------------------------------------------------------


def _result(
    call_type: CallType,
    lang: str,
    cues: list[str],
    *,
    low: bool = False,
    named: str | None = None,
    role: str | None = None,
    opens_lead: bool = False,
    ask_name: str | None = None,
) -> Classification:
    questions = {code: confirm_question_for(call_type, code) for code in ("zh", "en")}
    return Classification(
        call_type=call_type,
        confirm_question=questions[lang],
        cues=tuple(cues),
        low_confidence=low,
        named=named,
        named_role=role,
        lang=lang,
        opens_lead=opens_lead,
        ask_name=ask_name,
        confirm_questions=MappingProxyType(questions),
    )


def classify(
    text: str | None,
    staff: Mapping[str, str] | None = None,
    caller: str | None = None,
    *,
    lexicon: Lexicon | None = None,
) -> Classification:
    """Suggest the call type for what the caller said (docs/domain.md §2.2, §2.3).

    ``staff`` maps roster keys (full names or surnames, Chinese or English) to roles;
    ``caller`` is None, ``"lead"`` or ``"student"`` (caller ID matched against known people).
    """
    if caller not in CALLERS:
        raise ValueError(f"caller must be one of {CALLERS}, not {caller!r}")
    text = text or ""
    lex = lexicon or default_lexicon()
    lang = detect_lang(text)
    norm = normalize(text)
    roster = _roster(staff or {}, lex)

    # 1. silent
    if not norm:
        return _result(CallType.SILENT, lang, ["empty"])
    if not lex["greetings"].pattern.sub(" ", norm).strip():
        return _result(CallType.SILENT, lang, ["greetings-only"])

    cues: list[str] = []
    if any("a" <= ch <= "z" for ch in norm):
        norm, notes = lex.correct_typos(norm, protect=roster.tokens)
        cues.extend(notes)
    comp = _compiled(lex)
    hits = [h for h in _roster_hits(norm, roster, lex) if not _self_named(norm, h, comp)]
    unknown = [] if hits else [h for h in _unknown_names(norm, lex, comp) if not _self_named(norm, h, comp)]

    # 2. complaint
    found = lex["complaint"].search(norm, text)
    if found:
        return _result(CallType.COMPLAINT, lang, [*cues, f"complaint:{found}"])
    hypothetical = lex["hypothetical"].search(norm, text)
    found = None if hypothetical else lex["grievance"].search(norm, text)
    if found:
        return _result(CallType.COMPLAINT, lang, [*cues, f"complaint:{found}"])
    found = lex["refund"].search(norm, text)
    if found and not hypothetical and not lex["refund_question"].search(norm, text):
        return _result(CallType.COMPLAINT, lang, [*cues, f"refund:{found}"])
    found = _framed(norm, lex, "leadership", comp, hits + unknown)
    if found:
        pitch = _pitch(norm, text, lex)
        if pitch:  # a salesman asking for the principal is selling, not complaining
            return _result(CallType.SCREENED, lang, [*cues, f"leadership:{found}(no name)", *pitch])
        return _result(CallType.COMPLAINT, lang, [*cues, f"leadership:{found}(no name)"])

    # A named employment officer with an organisation cue (a company recruiting) is business
    # (DOMAIN.md §10), and its 招聘 is the company's, not a job applicant's.
    organisation = (
        lex["organisation"].search(norm, text)
        if any(p.role == "employment_officer" for h in hits for p in h.people)
        else None
    )

    # 3. other: courier, job applicant, wrong number
    for category in ("other_courier", "other_job", "other_wrong"):
        if organisation and category == "other_job":
            continue
        found = lex[category].search(norm, text)
        if found:
            return _result(CallType.OTHER, lang, [*cues, f"{category.removeprefix('other_')}:{found}"])

    # 4. a named person
    if hits:
        full_people = {h.people[0] for h in hits if h.kind in ("full", "given")}
        hits = [h for h in hits if h.kind in ("full", "given", "alone") or not full_people & set(h.people)]
        best = min(
            hits,
            key=lambda h: (-(_in_request(norm, h, comp) * 10 + h.score), h.start),
        )
        person = _pick_person(best, caller)
        named_cues = [*cues, f"named:{person.key}({person.role})"]
        if person.role == "employment_officer" and organisation:
            return _result(
                CallType.BUSINESS, lang, [*named_cues, f"organisation:{organisation}"],
                named=person.key, role=person.role, ask_name=person.key,
            )
        if caller == "student":
            return _result(
                CallType.STUDENT, lang, [*named_cues, "caller:student"],
                named=person.key, role=person.role, ask_name=person.key,
            )
        return _result(
            _ROLE_TYPE[person.role], lang, named_cues,
            named=person.key, role=person.role, ask_name=person.key,
        )
    if unknown:
        best = min(unknown, key=lambda h: (-(_in_request(norm, h, comp) * 10), h.start))
        business = best.title in comp.business_titles
        cue = f"name:{best.text}(not on roster)"
        if business:
            return _result(CallType.BUSINESS, lang, [*cues, cue], ask_name=best.text)
        if caller == "student":
            return _result(CallType.STUDENT, lang, [*cues, cue, "caller:student"], ask_name=best.text)
        return _result(CallType.REPEAT_INQUIRY, lang, [*cues, cue], ask_name=best.text)

    # 5. a caller known as a lead
    if caller == "lead":
        return _result(CallType.REPEAT_INQUIRY, lang, [*cues, "caller:lead"])

    # 6. screened: a job title with no name, or a sales pitch
    found = _framed(norm, lex, "job_titles", comp, [])
    if found:
        return _result(CallType.SCREENED, lang, [*cues, f"title:{found}(no name)"], ask_name=found)
    pitch = _pitch(norm, text, lex)
    if pitch:
        return _result(CallType.SCREENED, lang, [*cues, *pitch])

    # 7. student
    found = lex["student"].search(norm, text)
    if found:
        return _result(CallType.STUDENT, lang, [*cues, f"student:{found}"])
    if caller == "student":
        return _result(CallType.STUDENT, lang, [*cues, "caller:student"])

    # 8. explicit earlier contact
    found = _earlier_contact(norm, lex, comp)
    if found:
        return _result(CallType.REPEAT_INQUIRY, lang, [*cues, f"earlier:{found}"])

    # 9. directions
    found = lex["place"].search(norm, text)
    if found:
        coming = lex["coming_to_consult"].search(norm, text)
        extra = [f"coming:{coming}"] if coming else []
        return _result(CallType.DIRECTIONS, lang, [*cues, f"place:{found}", *extra], opens_lead=bool(coming))

    # 10. for someone else
    m = comp.relatives.search(norm)
    if m:
        return _result(CallType.PROXY_INQUIRY, lang, [*cues, f"proxy:{m.group(0).strip()}"])

    # 11. course words, or nothing recognisable
    found = lex["courses"].search(norm, text) or lex["it_subjects"].search(norm, text)
    if found:
        return _result(CallType.FIRST_INQUIRY, lang, [*cues, f"course:{found}"])
    return _result(CallType.FIRST_INQUIRY, lang, cues, low=True)
