"""Lead import (docs/domain.md §4, §5): lists from marketing, campus talks and web registrations.

A file (csv in UTF-8 with or without BOM, or GB18030/GBK as Excel in China saves it; or
xlsx, or the older xls) is read as a stream (:mod:`desk.dal.import_read`: a damaged or
truncated csv is refused before anything is saved), every row validated, and in batches of
``BATCH`` rows:

* bad rows are reported with their line in the file, the column and the reason, and written
  to a rejects file (spooled, then temp file + rename) — they are never half-imported; that
  file never replaces the database, nor an existing file other than desk's own rejects file
  unless forced: when it would, the list is checked whole first and nothing is saved if it has
  a bad row;
* good rows are saved a batch per transaction (:mod:`desk.dal.import_save`), so the other
  workstations never wait long for the write lock while a big list goes in: a phone already
  known is merged into its lead (filling what the lead does not know, never overwriting; one
  phone, one lead), a new phone becomes a new lead with its validity verdict; running the
  same file again adds nothing, so an import stopped part way is finished by running it again;
* the same phone twice in the file is one lead with the rows' facts combined; when the rows
  fall in different batches, the later ones fill what the lead the first one made does not
  know (an audited merge), and count as duplicates in the file all the same;
* valid new market leads are shared by the fair market rotation; outdoor leads belong to the
  collector when a consultant collected them, else they are shared by the market rotation too;
  online leads are shared by the phone rotation, like phone inquiries, each with a ``callback``
  follow-up for its new owner (docs/domain.md §5.3, §6.1).

Memory stays flat however long the list (a batch, the set of phones met so far, the rejects'
reasons); speed is BENCHMARKS.md's "Import (issue 16)".
"""

from __future__ import annotations

import csv
import gc
import io
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlmodel import col

from desk.dal import import_save
from desk.dal.import_read import Rows, Table, read_table
from desk.dal.store import Store
from desk.errors import DeskError
from desk.i18n import t
from desk.models import Staff

IMPORT_CHANNELS = ("market", "outdoor", "online")

# Field -> header aliases (compared case-, space- and punctuation-insensitively).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "客户姓名", "学员姓名", "name", "fullname", "full name"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "phone", "mobile", "tel",
              "telephone", "phone number", "cell"),
    "age": ("年龄", "age"),
    "education": ("学历", "文化程度", "education"),
    "course": ("意向课程", "课程", "咨询课程", "意向", "course", "interest", "course interest"),
    "source": ("来源", "媒体来源", "信息来源", "source", "media source", "media"),
    "school": ("学校", "单位", "学校单位", "工作单位", "学校或单位", "school", "company", "school or job", "job"),
    "note": ("备注", "说明", "note", "notes", "remark", "remarks"),
    "first_call": ("首次电话", "首次电话结果", "首呼结果", "接通情况", "first call", "first call result", "call result"),
    "contacted": ("已电话沟通", "电话沟通", "已沟通", "phone contacted", "contacted"),
    "visited": ("已到访", "到访", "带到中心", "brought in person", "visited"),
    "questionnaire": ("问卷回访", "问卷", "questionnaire", "came after questionnaire"),
    "it_related": ("it相关", "是否it", "it related"),
}  # fmt: skip
FIELDS = (*ALIASES, "ignore")

EDUCATION_WORDS: dict[str, str] = {
    "无": "none", "文盲": "none", "none": "none",
    "小学": "primary", "primary": "primary",
    "初中": "junior_high", "juniorhigh": "junior_high", "middleschool": "junior_high",
    "高中": "high_school", "高中毕业": "high_school", "高中毕业证明": "high_school", "highschool": "high_school",
    "职高": "vocational_high", "职业高中": "vocational_high", "vocationalhigh": "vocational_high",
    "中专": "technical_secondary", "中技": "technical_secondary", "技校": "technical_secondary",
    "technicalsecondary": "technical_secondary",
    "大专": "associate", "专科": "associate", "associate": "associate", "college": "associate",
    "本科": "bachelor", "大学": "bachelor", "学士": "bachelor", "bachelor": "bachelor", "university": "bachelor",
    "硕士": "master", "研究生": "master", "master": "master",
    "博士": "doctorate", "doctorate": "doctorate", "phd": "doctorate",
    "不详": "unknown", "未知": "unknown", "unknown": "unknown",
}  # fmt: skip
FIRST_CALL_WORDS: dict[str, str] = {
    "接通": "connected", "已接通": "connected", "正常": "connected", "connected": "connected", "reached": "connected",
    "关机": "powered_off", "poweredoff": "powered_off", "switchedoff": "powered_off",
    "停机": "suspended", "suspended": "suspended",
    # 异地号: registered outside the center's city (docs/domain.md §4.6). 不在服务区 ("not in the
    # service area", the network's message) is a call that did not get through: unreachable.
    "异地号": "out_of_area", "异地": "out_of_area", "外地号": "out_of_area", "外地号码": "out_of_area",
    "异地号码": "out_of_area", "outofarea": "out_of_area", "outofareanumber": "out_of_area",
    "outoftown": "out_of_area", "nonlocal": "out_of_area",
    "无法接通": "unreachable", "不在服务区": "unreachable", "空号": "unreachable", "unreachable": "unreachable",
}  # fmt: skip
YES = {"是", "有", "已", "对", "y", "yes", "true", "1", "√", "✓", "x"}
NO = {"否", "无", "没有", "未", "n", "no", "false", "0"}

# What a course name says about IT interest (docs/domain.md §4.3: phone, walk-in, outdoor and online leads
# must have asked about IT-related training). A course matching neither list is not assumed IT.
IT_WORDS = ("电脑", "计算机", "软件", "设计", "开发", "编程", "程序", "java", "python", "前端", "web", "ui", "3d",
            "建模", "网络", "办公", "office", "电商", "剪辑", "测试", "数据", "cad", "ps", "平面", "室内", "动画",
            "网页", "运维", "it", "人工智能", "ai", "云计算", "c++", "嵌入式", "新媒体", "短视频", "运营", "php",
            "linux", "excel", "美工")  # fmt: skip
NON_IT_WORDS = ("会计", "英语", "日语", "韩语", "驾照", "驾驶", "烹饪", "厨师", "美容", "美发", "美甲", "化妆", "护理",
                "月嫂", "育婴", "舞蹈", "音乐", "书法")  # fmt: skip

MAX_LEN = {"name": 200, "course": 200, "source": 64, "school": 200}
_KEY = re.compile(r"[\s:：_\-/（）()*·.]+")


def _key(text: str) -> str:
    return _KEY.sub("", str(text).strip().lower())


_ALIAS_INDEX = {_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass
class Reject:
    """A bad row: its cells are in the rejects file, not kept here (a list may be all bad)."""

    line: int
    column: str
    reason: str


@dataclass
class ImportResult:
    file: Path
    channel: str
    rows: int = 0
    created: int = 0
    merged: int = 0  # known phones that learned something from the file
    unchanged: int = 0  # known phones the file added nothing to
    duplicates_in_file: int = 0
    rejects: list[Reject] = field(default_factory=list)
    assigned: Counter = field(default_factory=Counter)  # rotation (market, or phone for online): name -> leads
    collector: str | None = None
    collected: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    rejects_path: Path | None = None
    dry_run: bool = False
    out_of_area_by_number: int = 0  # market phones the list gave no first-call result for, from another city
    city: str = ""

    def counts(self) -> dict[str, int]:
        """Where every row read went: each row is in exactly one of these, so they add up to
        ``rows``."""
        return {"created": self.created, "merged": self.merged, "unchanged": self.unchanged,
                "duplicates_in_file": self.duplicates_in_file, "rejected": len(self.rejects)}

    def as_dict(self) -> dict[str, Any]:
        """The summary for ``desk import --format json`` (keys in docs/report-schema.md)."""
        return {
            "file": str(self.file),
            "channel": self.channel,
            "dry_run": self.dry_run,
            "rows": self.rows,
            **self.counts(),
            "assigned": dict(self.assigned),
            "collector": self.collector,
            "collected": self.collected,
            "out_of_area_by_number": self.out_of_area_by_number,
            "ignored_columns": list(self.ignored_columns),
            "rejects": [{"line": r.line, "column": r.column, "reason": r.reason} for r in self.rejects],
            "rejects_file": str(self.rejects_path) if self.rejects_path is not None else None,
        }

    def lines(self) -> list[str]:
        out = [
            t(
                "report.import.summary",
                file=self.file.name,
                rows=self.rows,
                created=self.created,
                merged=self.merged,
                unchanged=self.unchanged,
                rejected=len(self.rejects),
                duplicates=self.duplicates_in_file,
            )
        ]
        if self.assigned:
            key = "report.import.assigned_phone" if self.channel == "online" else "report.import.assigned"
            out.append(t(key, detail=", ".join(f"{n} {c}" for n, c in self.assigned.items())))
        if self.collected:
            out.append(t("report.import.collector", name=self.collector, count=self.collected))
        if self.out_of_area_by_number:
            out.append(t("report.import.out_of_area", count=self.out_of_area_by_number, city=self.city))
        if self.ignored_columns:
            out.append(t("report.import.ignored", columns=", ".join(self.ignored_columns)))
        for r in self.rejects[:20]:
            out.append("  " + t("report.import.reject_line", line=r.line, column=r.column, reason=r.reason))
        if len(self.rejects) > 20:
            out.append(f"  … +{len(self.rejects) - 20}")
        if self.rejects_path is not None:
            out.append(t("report.import.rejects", path=self.rejects_path))
        if self.dry_run:
            out.append(t("report.import.dry_run"))
        return out

# -- columns and rows ----------------------------------------------------------------------------


def parse_map(items: list[str]) -> dict[str, str]:
    """``["客户手机=phone", ...]`` -> {header key: field}."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise DeskError(f"--map {item!r}: give it as SOURCE=FIELD, e.g. 客户手机=phone")
        source, target = (part.strip() for part in item.split("=", 1))
        if target.lower() not in FIELDS:
            raise DeskError(f"--map {item!r}: unknown field {target!r}; one of: {', '.join(FIELDS)}")
        if not source:
            raise DeskError(f"--map {item!r}: the column header is empty")
        out[_key(source)] = target.lower()
    return out


def map_columns(path: Path, header: list[str], mapping: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """field -> column index, and the headers that were ignored."""
    keys = [_key(h) for h in header]
    for source in mapping:
        if source not in keys:
            raise DeskError(f"--map: {path.name} has no column {source!r}; its columns: {', '.join(h for h in header if h)}")
    columns: dict[str, int] = {}
    ignored = []
    for index, key in enumerate(keys):
        target = mapping.get(key) or _ALIAS_INDEX.get(key)
        if target is None or target == "ignore":
            if header[index]:
                ignored.append(header[index])
            continue
        if target in columns:
            raise DeskError(f"cannot import {path}: two columns are {target!r}: {header[columns[target]]!r} and {header[index]!r}")
        columns[target] = index
    if "phone" not in columns:
        raise DeskError(
            f"cannot import {path}: no phone column (电话/phone); its columns: {', '.join(h for h in header if h)}; "
            "use --map HEADER=phone"
        )
    return columns, ignored


@lru_cache(maxsize=1024)
def _flag(value: str) -> bool | None:
    word = _key(value)
    if word in YES or value.strip() in YES:
        return True
    if word in NO or value.strip() in NO:
        return False
    return None


@lru_cache(maxsize=1024)
def _age(raw: str) -> int | None:
    """The age a cell gives, 0 when it gives none, None when it is not an age (a list has few
    distinct cells in its small columns: each is read once)."""
    age = raw.strip().removesuffix("岁").removesuffix("周岁").strip()
    if not age:
        return 0
    try:
        number = float(age)
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 120 else None


@lru_cache(maxsize=1024)
def _education(text: str) -> str | None:
    return EDUCATION_WORDS.get(_key(text)) or EDUCATION_WORDS.get(text)


@lru_cache(maxsize=1024)
def _first_call(text: str) -> str | None:
    return FIRST_CALL_WORDS.get(_key(text)) or FIRST_CALL_WORDS.get(text)


def course_interest(course: str | None) -> tuple[bool, bool]:
    """(it_related, non_computer_only) as far as a course name tells."""
    if not course:
        return False, False
    return _course_interest(course)


def _word_pattern(word: str) -> str:
    if word.isascii() and word.isalpha() and len(word) <= 3:  # "ui", "it", "ps": whole words only
        return rf"(?<![a-z]){re.escape(word)}(?![a-z])"
    return re.escape(word)


# Every course word in one pattern: a match anywhere is a match of one of the words.
_IT = re.compile("|".join(_word_pattern(w) for w in IT_WORDS))
_NON_IT = re.compile("|".join(map(re.escape, NON_IT_WORDS)))


@lru_cache(maxsize=4096)  # a list names a few dozen courses
def _course_interest(course: str) -> tuple[bool, bool]:
    low = course.lower()
    it = _IT.search(low) is not None
    return it, not it and _NON_IT.search(low) is not None


_FLAGS = (("contacted", "phone_contacted"), ("visited", "brought_in_person"),
          ("questionnaire", "came_after_questionnaire"), ("it_related", "it_related"))
_TEXTS = (("name", "name"), ("course", "course_interest"), ("source", "media_source"), ("school", "school_or_job"))


def check_row(values: dict[str, str], columns: dict[str, int], header: list[str], region: str) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """The lead values of a row, or (column, reason) for the first problem found."""
    from desk.phones import PhoneError, parse

    def col(name: str) -> str:
        return header[columns[name]] if name in columns else name

    out: dict[str, Any] = {}
    raw_phone = values.get("phone", "").strip()
    if not raw_phone:
        return None, (col("phone"), t("report.reject.phone_missing"))
    try:
        out["phone"] = parse(raw_phone, region).e164
    except PhoneError as err:
        return None, (col("phone"), f"{t(err.code)} ({raw_phone})")
    for name, target in _TEXTS:
        text = values.get(name, "").strip()
        if len(text) > MAX_LEN[name]:
            return None, (col(name), t("report.reject.too_long", max=MAX_LEN[name]))
        if text:
            out[target] = text
    age = values.get("age")
    if age:
        number = _age(age)
        if number is None:
            return None, (col("age"), t("report.reject.age", value=age))
        if number:
            out["age"] = number
    education = values.get("education", "").strip()
    if education:
        level = _education(education)
        if level is None:
            return None, (col("education"), t("report.reject.education", value=education))
        out["education"] = level
    first = values.get("first_call", "").strip()
    if first:
        result = _first_call(first)
        if result is None:
            return None, (col("first_call"), t("report.reject.first_call", value=first))
        out["first_call_result"] = result
    for name, target in _FLAGS:
        text = values.get(name, "").strip()
        if text:
            flag = _flag(text)
            if flag is None:
                return None, (col(name), t("report.reject.flag", value=text))
            out[target] = flag
    if "it_related" not in out:
        it, other = course_interest(out.get("course_interest"))
        out["it_related"] = it
        out["non_computer_only"] = other
    elif not out["it_related"]:
        out["non_computer_only"] = course_interest(out.get("course_interest"))[1]
    out["has_contact"] = True
    return out, None


# -- the import -------------------------------------------------------------------------------------


def _find_staff(session, name: str) -> Staff:
    wanted = name.strip()
    people = session.execute(select(Staff).where(col(Staff.active) == True)).scalars().all()  # noqa: E712
    for person in people:
        if wanted == person.name or wanted.casefold() == (person.english_name or "").casefold():
            return person
    raise DeskError(f"unknown staff member {name!r} for --collector; see `desk staff list`")


def default_rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def _rejects_header() -> set[tuple[str, ...]]:
    return {tuple(t(f"report.col.{key}", lang) for key in ("line", "column", "reason")) for lang in ("en", "zh_CN")}


def is_rejects_file(path: Path) -> bool:
    """Whether ``path`` is a rejects file desk wrote (its first row starts with desk's columns),
    which a new import may write over."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = next(csv.reader(io.StringIO(fh.readline(4096))), [])
    except (OSError, UnicodeDecodeError):
        return False
    return tuple(first[:3]) in _rejects_header()


def _database(store: Store) -> Path | None:
    url = store.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


class _Rejects:
    """The rejects file as the import goes: each bad row is spooled (to memory, then to a temp
    file past 1 MB) and the file is written at the end, temp file + rename, or not at all when
    no row was bad. ``target`` None: the rows are only counted (a dry run)."""

    def __init__(self, target: Path | None, header: list[str]) -> None:
        self.target, self.header = target, header
        self._spool: IO[str] | None = None
        self._writer: Any = None

    def add(self, reject: Reject, cells: list[str]) -> None:
        from desk.files import neutralise

        if self.target is None:
            return
        if self._writer is None:
            self._spool = tempfile.SpooledTemporaryFile(1 << 20, "w+", encoding="utf-8", newline="")  # noqa: SIM115  # closed by close()
            self._writer = csv.writer(self._spool)
        # the file's own cells (and headers) may be formulas: never live ones here (OWASP)
        self._writer.writerow([reject.line, neutralise(reject.column), neutralise(reject.reason), *map(neutralise, cells)])

    def finish(self) -> Path | None:
        from desk.files import atomic_write, neutralise

        if self._spool is None or self.target is None:
            return None
        spool = self._spool

        def write(temp: Path) -> None:
            spool.seek(0)
            with temp.open("w", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh).writerow([t("report.col.line"), t("report.col.column"), t("report.col.reason"),
                                         *map(neutralise, self.header)])
                while block := spool.read(1 << 16):
                    fh.write(block)

        try:
            return atomic_write(self.target, write)
        finally:
            self.close()

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = self._writer = None


def _rejects_target(store: Store, table: Table, check: Any, target: Path, force: bool) -> Path | None:
    """``target`` when the rejects file may be written there. When it may not (the database,
    another file without --force, a folder that cannot take it), that matters only if a row
    is bad: the list is checked whole first, and with a bad row nothing is imported."""
    from desk.files import check_writable, refuse_overwrite

    try:
        refuse_overwrite(target, _database(store), option="--rejects", force=force, ours=is_rejects_file)
        check_writable(target)
    except DeskError:
        if any(check(cells)[1] is not None for _, cells in table.rows()):
            raise
        return None
    return target

def import_file(
    store: Store,
    path: Path | str,
    *,
    channel: str,
    collector: str | None = None,
    mapping: dict[str, str] | None = None,
    rejects_path: Path | None = None,
    dry_run: bool = False,
    region: str = "CN",
    force: bool = False,
    progress: Any = None,
    city: str = "",
) -> ImportResult:
    """Import the list at ``path``; ``progress`` (``total(n)``, ``advance(n)``) is told the
    rows the list has and each batch read. ``city`` is the center's (``[center] city``): a
    market phone the list gives no first-call result for is judged out of area when it is a
    mobile registered elsewhere (:func:`judge_out_of_area`)."""
    path = Path(path).expanduser()
    if channel not in IMPORT_CHANNELS:
        raise DeskError(f"--channel {channel!r}: one of {', '.join(IMPORT_CHANNELS)}")
    if channel == "outdoor" and not collector:
        raise DeskError("--channel outdoor needs --collector NAME: outdoor leads belong to whoever collected them")
    with store.read() as session:
        collector_row = _find_staff(session, collector) if collector else None
    table = read_table(path)
    header = table.header
    columns, ignored = map_columns(path, header, mapping or {})
    result = ImportResult(file=path, channel=channel, ignored_columns=ignored, dry_run=dry_run)
    result.collector = collector_row.name if collector_row else None
    result.city = city

    width = len(header)

    def check(cells: list[str]) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
        return check_row({name: cells[index] if index < len(cells) else "" for name, index in columns.items()},
                         columns, header, region)

    target = None
    if not dry_run:
        target = Path(rejects_path) if rejects_path else default_rejects_path(path)
        target = _rejects_target(store, table, check, target, force)
    rejects = _Rejects(target, header)
    market_pool = import_save.MarketPool(pool=import_save.pool_of(channel, collector_row))
    keep = collector_row is not None and market_pool.pool is None
    sqlite = store.engine.dialect.name == "sqlite"
    # every phone met so far (~70 bytes each): True while it is a lead desk knew that the
    # file has added nothing to (counted unchanged, until a later row adds something)
    seen: dict[int | str, bool] = {}
    if not dry_run:
        import_save.warm_up()
    if progress is not None:
        progress.total(table.count)
    freed = None  # when the last batch let go of the write lock
    collecting = gc.isenabled()
    gc.disable()  # the collector's passes over every live object cost 10-25% of an import
    try:
        for batch in _batches(table.rows(), import_save.BATCH if sqlite else import_save.PG_BATCH):
            result.rows += len(batch)
            fresh, again = _check_batch(batch, check, width, result, rejects, seen)
            if channel == "market" and city.strip():
                result.out_of_area_by_number += judge_out_of_area(fresh.values(), city)
            if dry_run:  # what would happen: the phones desk knows are counted as known, the rest as new
                known = import_save.known_phones(store, list(fresh))
                result.unchanged += len(known)
                result.created += len(fresh) - len(known)
            elif fresh or again:
                now = store.now()
                make = partial(import_save.prepare, channel=channel, collector=collector_row, keep=keep, now=now)
                known = import_save.known_phones(store, list(fresh))  # a re-run prepares nothing
                prepared = {phone: make(values) for phone, values in fresh.items() if phone not in known}
                if freed is not None and sqlite:
                    # SQLite's lock is not a queue: a workstation waiting for it polls every few ms
                    # (desk.db._begin_immediate), and would lose it to the next batch, again and again.
                    time.sleep(max(0.0, import_save.YIELD_S - (time.perf_counter() - freed)))
                unchanged, filled = import_save.save(store, result, fresh, again, prepared, make, channel, market_pool, now)
                for phone in unchanged:
                    seen[_phone_key(phone)] = True
                for phone in filled:
                    if seen[_phone_key(phone)]:  # a known lead the file did add to, in a later row
                        seen[_phone_key(phone)] = False
                        result.unchanged -= 1
                        result.merged += 1
                freed = time.perf_counter()
            if progress is not None:
                progress.advance(len(batch))
            gc.collect(1)  # the batch's own cycles (its session's): young objects only, ~1 ms
        result.rejects_path = rejects.finish()
    finally:
        rejects.close()
        if collecting:
            gc.enable()
    if result.created and not dry_run:  # thousands of new leads at once: the planner's statistics were of a smaller table
        from desk.db import analyze

        analyze(store.engine)
    return result


def _batches(rows: Rows, size: int) -> Iterator[list[tuple[int, list[str]]]]:
    batch: list[tuple[int, list[str]]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _phone_key(phone: str) -> int | str:
    """An E.164 number as an int: half the memory of its text."""
    return int(phone[1:]) if phone[1:].isdigit() else phone


def _check_batch(
    batch: list[tuple[int, list[str]]], check: Any, width: int, result: ImportResult, rejects: _Rejects,
    seen: dict[int | str, bool],
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The batch's good rows by phone: (phones first met here, phones an earlier batch met).
    The same phone twice is one lead: the first row's facts, and what later rows add."""
    fresh: dict[str, dict[str, Any]] = {}
    again: dict[str, dict[str, Any]] = {}
    for line, cells in batch:
        lead, problem = check(cells)
        if problem is not None:
            reject = Reject(line, problem[0], problem[1])
            result.rejects.append(reject)
            rejects.add(reject, [str(c) for c in cells[:width]] + [""] * (width - len(cells)))
            continue
        assert lead is not None  # check_row gives a lead or a problem
        phone = lead["phone"]
        known = fresh.get(phone) or again.get(phone)
        if known is not None:  # the same person twice in the file: one lead, facts combined
            result.duplicates_in_file += 1
            for key, value in lead.items():
                if known.get(key) in (None, "", False) and value not in (None, "", False):
                    known[key] = value
            continue
        key = _phone_key(phone)
        if key in seen:
            result.duplicates_in_file += 1
            again[phone] = lead
            continue
        seen[key] = False
        fresh[phone] = lead
    return fresh, again


def judge_out_of_area(leads: Any, city: str) -> int:
    """Set ``first_call_result`` to ``out_of_area`` on each lead the list gave none for whose
    mobile is registered in another city than ``city`` (docs/domain.md §4.6): such a row is
    recorded, not valid, not rotated. A result the list gives always wins. Returns how many."""
    from desk.phones import registered_city
    from desk.rules.area import compare_city, language_of

    lang = language_of(city)
    judged = 0
    verdicts: dict[str, str] = {}  # a list names a few hundred places at most
    for lead in leads:
        if lead.get("first_call_result"):
            continue
        place = registered_city(lead["phone"], lang)
        if place is None:
            continue
        if place not in verdicts:
            verdicts[place] = compare_city(city, place)
        if verdicts[place] == "other":
            lead["first_call_result"] = "out_of_area"
            judged += 1
    return judged
