"""Lead import (docs/domain.md §4, §5): lists from marketing, campus talks and web registrations.

A file (csv in UTF-8 with or without BOM, or GB18030/GBK as Excel in China saves it; or
xlsx, or the older xls) is read whole, every row validated, and then:

* bad rows are reported with their line in the file, the column and the reason, and written
  to a rejects file (temp file + rename) — they are never half-imported; that file never
  replaces the database, nor an existing file other than desk's own rejects file unless forced;
* good rows are saved in batches of ``BATCH`` phones, a transaction each, so the other
  workstations never wait long for the write lock while a big list goes in: a phone already
  known is merged into its lead (filling what the lead does not know, never overwriting; one
  phone, one lead), a new phone becomes a new lead with its validity verdict; running the
  same file again adds nothing, so an import stopped part way is finished by running it again;
* valid new market leads are shared by the fair market rotation; outdoor leads belong to the
  collector when a consultant collected them, else they are shared by the market rotation too;
  online leads are shared by the phone rotation, like phone inquiries, each with a ``callback``
  follow-up for its new owner (docs/domain.md §5.3, §6.1).

Speed: rows are checked in Python, but the database sees one ``IN`` query per 500 phones, and
the new leads, their audit rows and their rotation assignments are inserted in bulk.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import col

from desk.dal.identity import require
from desk.dal.ids import pk
from desk.dal.leads import refresh_keys
from desk.dal.store import Store
from desk.errors import DeskError
from desk.i18n import t
from desk.models import AuditEntry, FollowUp, Lead, RotationAssignment, Staff
from desk.rules.access import Action

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
    line: int
    column: str
    reason: str
    values: list[str]


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


# -- reading -----------------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings: tuple[str, ...] = ("utf-8",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_strict(data, "utf-16", path)
    else:
        encodings = ("utf-8", "gb18030")
    if b"\x00" in data:
        raise DeskError(f"cannot read {path}: it is not a text (csv) file")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:
            if encoding == "utf-8" and err.reason == "unexpected end of data" and err.end == len(data):
                raise DeskError(f"cannot read {path}: the file is truncated (it ends inside a character)") from None
    raise DeskError(f"cannot read {path}: the text is neither UTF-8 nor GB18030/GBK")


def _decode_strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise DeskError(f"cannot read {path}: the {encoding} text is damaged or truncated") from None


def read_csv(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = decode(data, path)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            rows.append((line, record))
            line = reader.line_num + 1
    except csv.Error as err:
        raise DeskError(f"cannot read {path}: line {reader.line_num}: {err} (truncated or damaged file?)") from None
    return _split_header(path, rows, truncated_tail=not text.endswith(("\n", "\r")))


def read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError) as err:
        raise DeskError(f"cannot read {path}: not a complete xlsx file (truncated or damaged: {err})") from None
    except Exception as err:  # openpyxl's InvalidFileException and parser errors
        raise DeskError(f"cannot read {path}: not an xlsx workbook ({type(err).__name__})") from None
    try:
        sheet = book.worksheets[0]
        rows = [
            (number, [_cell(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as err:
        raise DeskError(f"cannot read {path}: the workbook is damaged ({type(err).__name__}: {err})") from None
    finally:
        book.close()
    return _split_header(path, rows, truncated_tail=False)


def read_xls(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """An Excel 97-2003 workbook (.xls, as older office PCs still save lists): its first sheet,
    read by calamine (Rust; the one well-kept reader of the old binary format)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        values = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as err:
        raise DeskError(f"cannot read {path}: not a complete xls workbook (truncated or damaged: {err})") from None
    rows = [(number, [_cell(v) for v in row]) for number, row in enumerate(values, start=1)]
    return _split_header(path, rows, truncated_tail=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_header(path: Path, rows, *, truncated_tail: bool) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = [(n, r) for n, r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise DeskError(f"cannot import {path}: the file has no header row and no data")
    (_, header), body = rows[0], rows[1:]
    header = [str(h).strip() for h in header]
    if truncated_tail and body:
        number, last = body[-1]
        if len(last) < len([h for h in header if h]):
            raise DeskError(
                f"cannot import {path}: the file looks truncated (line {number} ends after "
                f"{len(last)} of {len(header)} columns, with no line end)"
            )
    return header, body


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls workbooks


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    path = Path(path).expanduser()
    if path.is_dir():
        raise DeskError(f"cannot import {path}: it is a directory")
    if not path.exists():
        raise DeskError(f"cannot import {path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DeskError(f"cannot read {path}: {err.strerror or err}") from None
    if not data.strip():
        raise DeskError(f"cannot import {path}: the file is empty")
    if path.suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return read_xlsx(path)
    if path.suffix.lower() == ".xls" or data[:8] == _OLE2:
        return read_xls(path)
    return read_csv(path, data)


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


def _flag(value: str) -> bool | None:
    word = _key(value)
    if word in YES or value.strip() in YES:
        return True
    if word in NO or value.strip() in NO:
        return False
    return None


def course_interest(course: str | None) -> tuple[bool, bool]:
    """(it_related, non_computer_only) as far as a course name tells."""
    if not course:
        return False, False
    low = course.lower()
    it = any(_word_in(w, low) for w in IT_WORDS)
    other = any(w in low for w in NON_IT_WORDS)
    return it, other and not it


def _word_in(word: str, text: str) -> bool:
    if word.isascii() and word.isalpha() and len(word) <= 3:  # "ui", "it", "ps": whole words only
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None
    return word in text


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
    for name in ("name", "course", "source", "school"):
        text = values.get(name, "").strip()
        if len(text) > MAX_LEN[name]:
            return None, (col(name), t("report.reject.too_long", max=MAX_LEN[name]))
        if text:
            out[{"course": "course_interest", "source": "media_source", "school": "school_or_job"}.get(name, name)] = text
    age = values.get("age", "").strip().removesuffix("岁").removesuffix("周岁").strip()
    if age:
        try:
            number = float(age)
        except ValueError:
            number = -1.0
        if not number.is_integer() or not 1 <= number <= 120:
            return None, (col("age"), t("report.reject.age", value=values["age"]))
        out["age"] = int(number)
    education = values.get("education", "").strip()
    if education:
        level = EDUCATION_WORDS.get(_key(education)) or EDUCATION_WORDS.get(education)
        if level is None:
            return None, (col("education"), t("report.reject.education", value=education))
        out["education"] = level
    first = values.get("first_call", "").strip()
    if first:
        result = FIRST_CALL_WORDS.get(_key(first)) or FIRST_CALL_WORDS.get(first)
        if result is None:
            return None, (col("first_call"), t("report.reject.first_call", value=first))
        out["first_call_result"] = result
    for name, target in (
        ("contacted", "phone_contacted"),
        ("visited", "brought_in_person"),
        ("questionnaire", "came_after_questionnaire"),
        ("it_related", "it_related"),
    ):
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


def write_rejects(path: Path, header: list[str], rejects: list[Reject]) -> Path:
    from desk.files import atomic_write, neutralise

    def write(temp: Path) -> None:
        with temp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            # the file's own cells (and headers) may be formulas: never live ones here (OWASP)
            writer.writerow([t("report.col.line"), t("report.col.column"), t("report.col.reason"),
                             *map(neutralise, header)])
            for r in rejects:
                writer.writerow([r.line, neutralise(r.column), neutralise(r.reason), *map(neutralise, r.values)])

    return atomic_write(path, write)


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
    phones to save and each batch saved. ``city`` is the center's (``[center] city``): a market
    phone the list gives no first-call result for is judged out of area when it is a mobile
    registered elsewhere (:func:`judge_out_of_area`)."""
    path = Path(path).expanduser()
    if channel not in IMPORT_CHANNELS:
        raise DeskError(f"--channel {channel!r}: one of {', '.join(IMPORT_CHANNELS)}")
    if channel == "outdoor" and not collector:
        raise DeskError("--channel outdoor needs --collector NAME: outdoor leads belong to whoever collected them")
    with store.read() as session:
        collector_row = _find_staff(session, collector) if collector else None
    header, body = read_table(path)
    columns, ignored = map_columns(path, header, mapping or {})
    result = ImportResult(file=path, channel=channel, rows=len(body), ignored_columns=ignored, dry_run=dry_run)
    result.collector = collector_row.name if collector_row else None
    result.city = city

    by_phone: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    width = len(header)
    for line, cells in body:
        cells = [str(c) for c in cells] + [""] * (width - len(cells))
        values = {name: cells[index] for name, index in columns.items()}
        lead, problem = check_row(values, columns, header, region)
        if problem is not None:
            result.rejects.append(Reject(line, problem[0], problem[1], cells[:width]))
            continue
        assert lead is not None  # check_row gives a lead or a problem
        phone = lead["phone"]
        if phone in by_phone:  # the same person twice in the file: one lead, facts combined
            result.duplicates_in_file += 1
            known = by_phone[phone]
            for key, value in lead.items():
                if known.get(key) in (None, "", False) and value not in (None, "", False):
                    known[key] = value
            continue
        first_line[phone] = line
        by_phone[phone] = lead
    if channel == "market" and city.strip():
        result.out_of_area_by_number = judge_out_of_area(by_phone.values(), city)

    if result.rejects:
        target = Path(rejects_path) if rejects_path else default_rejects_path(path)
        if not dry_run:
            from desk.files import refuse_overwrite

            refuse_overwrite(target, _database(store), option="--rejects", force=force, ours=is_rejects_file)
            result.rejects_path = write_rejects(target, header, result.rejects)
    if dry_run:  # what would happen: the phones desk knows are counted as known, the rest as new
        known_phones = _known_phones(store, list(by_phone))
        result.unchanged = len(known_phones)
        result.created = len(by_phone) - len(known_phones)
        return result
    phones = list(by_phone)
    market_pool = _MarketPool(pool=_pool(channel, collector_row))
    sqlite = store.engine.dialect.name == "sqlite"
    size = BATCH if sqlite else PG_BATCH
    _warm_up()
    if progress is not None:
        progress.total(len(phones))
    for start in range(0, len(phones), size):
        if start and sqlite:
            # SQLite's lock is not a queue: a workstation waiting for it polls every few ms
            # (desk.db._begin_immediate), and would lose it to the next batch, again and again.
            time.sleep(YIELD_S)
        batch = {phone: by_phone[phone] for phone in phones[start : start + size]}
        _save(store, result, batch, channel, collector_row, market_pool)
        if progress is not None:
            progress.advance(len(batch))
    if phones:  # thousands of new leads at once: the planner's statistics were of a smaller table
        from desk.db import analyze

        analyze(store.engine)
    return result


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


def _known_phones(store: Store, phones: list[str]) -> set[str]:
    found: set[str] = set()
    with store.read() as session:
        for start in range(0, len(phones), 500):
            chunk = phones[start : start + 500]
            found.update(session.execute(select(col(Lead.phone)).where(col(Lead.phone).in_(chunk))).scalars())
    return found


def _lead_defaults() -> dict[str, Any]:
    """Every Lead column with its model default: bulk inserts bypass the model's constructor."""
    from pydantic_core import PydanticUndefined

    return {
        name: info.default
        for name, info in Lead.model_fields.items()
        if name != "id" and info.default is not PydanticUndefined and info.default_factory is None
    }


def _facts(values: dict[str, Any], has_recording: bool = False) -> dict[str, Any]:
    return {
        "channel": values["channel"],
        "age": values.get("age"),
        "education": values.get("education") or "unknown",
        "it_related": bool(values.get("it_related")),
        "non_computer_only": bool(values.get("non_computer_only")),
        "has_recording": has_recording,
        "has_contact": bool(values.get("has_contact")),
        "phone_contacted": bool(values.get("phone_contacted")),
        "brought_in_person": bool(values.get("brought_in_person")),
        "came_after_questionnaire": bool(values.get("came_after_questionnaire")),
        "first_call_result": values.get("first_call_result") or "connected",
        "is_repeat": values.get("flag") == "repeat",
    }


def _audit_row(store: Store, action: str, table: str, row_id: int, changes: dict, reason: str) -> dict[str, Any]:
    return {
        "at": store.now(),
        "actor_id": store.actor_id,
        "action": action,
        "table_name": table,
        "row_id": row_id,
        "changes": json.dumps(changes, default=str, ensure_ascii=False),
        "reason": reason,
    }


# Phones per write transaction: tens of milliseconds of lock on a 2-core machine
# (BENCHMARKS.md, bench/concurrency.py --import-rows), so a workstation saving while a big
# list goes in waits about one batch. Between batches on SQLite the import steps aside a
# little longer than a waiting save sleeps between tries (desk.db._begin_immediate).
# PostgreSQL queues the waiters on its lock, so smaller batches cost no pauses there.
BATCH = 250
PG_BATCH = 100
YIELD_S = 0.006


def _warm_up() -> None:
    """Load pinyin's dictionary and the validity rules (~250 ms, once per process) before
    the first batch takes the write lock, not while it holds it."""
    from desk.rules.leads import check_lead
    from desk.search_keys import name_keys

    name_keys("王芳")
    check_lead(**_facts({"channel": "market"}))


def _pool(channel: str, collector: Staff | None) -> str | None:
    """The rotation pool new leads of this import are shared by, or None (the collector keeps
    them): docs/domain.md §5.3."""
    from desk.rules.rotation import route

    routing = route(channel, collector=collector.name if collector else None,
                    collector_role=collector.role if collector else "consultant")
    return routing.pool if routing.rotation else None


@dataclass
class _MarketPool:
    """The import's rotation (``market``, or ``phone`` for online leads) as it goes: read in
    the first batch that needs it, then counted in memory (reading today's assignments again
    each batch grew with the file)."""

    pool: str | None = None
    data: Any = None
    counts: dict[str, int] = field(default_factory=dict)
    last: str | None = None


def _save(
    store: Store, result: ImportResult, by_phone: dict[str, dict[str, Any]], channel: str, collector: Staff | None,
    market_pool: _MarketPool,
) -> None:
    """One batch in one transaction: merges, new leads, rotation assignments and audit rows,
    in bulk."""
    from functools import lru_cache

    from desk.dal import rotation
    from desk.dal.store import apply_changes
    from desk.models import Call
    from desk.rules.leads import check_lead
    from desk.search_keys import name_keys, other_name_keys, phone_digits

    keys_of = lru_cache(maxsize=None)(name_keys)
    now = store.now()
    reason = f"import {result.file.name}"
    phones = list(by_phone)
    audit: list[dict[str, Any]] = []
    with store.write() as session:
        require(session, store, Action.IMPORT)
        # known phones: read as plain rows; only a lead the file adds something to is loaded
        table = Lead.__table__  # type: ignore[attr-defined]  # SQLAlchemy sets it on every table class; SQLModel does not declare it
        fields = sorted({key for values in by_phone.values() for key in values} | {"id", "phone"})
        existing: dict[str, Any] = {}
        for start in range(0, len(phones), 500):
            chunk = phones[start : start + 500]
            query = select(*[table.c[f] for f in fields]).where(table.c.phone.in_(chunk))
            for found in session.execute(query).mappings():
                existing[found["phone"]] = found

        # fill what the lead does not know yet, never overwrite (as leads.merge_into)
        merged: list[tuple[Lead, dict]] = []
        for phone, known in existing.items():
            fill = {}
            for key, value in by_phone[phone].items():
                if value in (None, "", "unknown", False):
                    continue
                if known[key] in (None, "", "unknown", False):
                    fill[key] = value
            if not fill:
                result.unchanged += 1
                continue
            lead = session.get(Lead, known["id"])
            assert lead is not None  # read a moment ago, in this transaction
            changes = apply_changes(lead, fill)
            lead.updated_at = now
            refresh_keys(lead)
            merged.append((lead, changes))
        result.merged += len(merged)
        if merged:
            ids = [lead.id for lead, _ in merged]
            recorded: set[int] = set()
            for start in range(0, len(ids), 500):
                recorded.update(
                    session.execute(
                        select(col(Call.lead_id)).where(col(Call.lead_id).in_(ids[start : start + 500]), col(Call.recording_ref).is_not(None)).distinct()
                    ).scalars()
                )
            for lead, changes in merged:
                verdict = check_lead(**_facts(lead.model_dump(), lead.id in recorded))
                changes.update(
                    apply_changes(
                        lead,
                        {"valid": verdict.valid, "validity_reasons": json.dumps(list(verdict.reasons)), "counted_as": verdict.counted_as},
                    )
                )
                audit.append(_audit_row(store, "merge", "lead", pk(lead), changes, reason))
            session.flush()

        # new phones: one bulk insert
        template = _lead_defaults()
        fresh: list[dict[str, Any]] = []
        for phone, values in by_phone.items():
            if phone in existing:
                continue
            row = dict(template)
            row.update(values, channel=channel, first_contact_at=now, created_at=now, updated_at=now)
            verdict = check_lead(**_facts(row))
            row.update(valid=verdict.valid, validity_reasons=json.dumps(list(verdict.reasons)), counted_as=verdict.counted_as)
            row["phone_digits"] = phone_digits(phone)
            row["name_pinyin"], row["name_initials"] = keys_of(row.get("name") or "")
            row["name_pinyin_other"], row["name_initials_other"] = other_name_keys(row.get("name") or "")  # name_readings is cached
            if collector is not None:
                row["collector_id"] = collector.id
                if market_pool.pool is None:  # outdoor, collected by a consultant: theirs
                    row["owner_id"] = collector.id
            fresh.append(row)
        if collector is not None and market_pool.pool is None:
            result.collected += len(fresh)

        # the fair rotation, counts kept in memory as it goes: valid market leads, outdoor
        # leads a non-consultant collected (market pool), online leads (phone pool)
        market = [row for row in fresh if market_pool.pool is not None and (channel != "market" or row["valid"])]
        if market and market_pool.pool is not None:
            from desk.rules.rotation import pick_consultant

            if market_pool.data is None:  # read once: the pool is the import's own
                data = rotation.inputs(session, store, market_pool.pool)
                market_pool.data, market_pool.counts, market_pool.last = data, dict(data.counts), data.last
            data, counts = market_pool.data, market_pool.counts
            order = list(data.order)
            available = set(data.available) or set(order)  # after hours: every active consultant shares the list
            for row in market:
                name = pick_consultant(order=order, available=available, counts=counts, last=market_pool.last)
                if name is None:
                    break
                counts[name] = counts.get(name, 0) + 1
                market_pool.last = name
                row["owner_id"] = data.ids[name]
                result.assigned[name] += 1

        if fresh:
            columns = sorted({key for row in fresh for key in row})
            rows = [{key: row.get(key, template.get(key)) for key in columns} for row in fresh]
            session.execute(insert(Lead.__table__), rows)  # type: ignore[attr-defined]  # as above
            new_ids: dict[str, int] = {}
            for start in range(0, len(fresh), 500):
                chunk = [row["phone"] for row in fresh[start : start + 500]]
                new_ids.update(session.execute(select(col(Lead.phone), col(Lead.id)).where(col(Lead.phone).in_(chunk))).all())
            result.created += len(fresh)
            today = store.today()
            picks = [
                {"pool": market_pool.pool, "staff_id": row["owner_id"], "day": today, "assigned_at": now,
                 "lead_id": new_ids[row["phone"]], "on_duty": False}
                for row in market if row.get("owner_id") is not None
            ]  # fmt: skip
            if picks:
                session.execute(insert(RotationAssignment), picks)
            if channel == "online":  # §6.1: forwarded, each with a callback for its new owner
                from desk.rules.followups import callback_due

                due = callback_due(now)
                session.execute(insert(FollowUp), [
                    {"kind": "callback", "owner_id": row.get("owner_id"), "lead_id": new_ids[row["phone"]], "due_at": due,
                     "created_at": now, "note": row.get("media_source") or None}
                    for row in fresh
                ])
            for row in fresh:
                created = {k: row.get(k) for k in ("phone", "name", "channel", "owner_id", "valid", "validity_reasons",
                                                   "first_call_result")}
                audit.append(_audit_row(store, "import", "lead", new_ids[row["phone"]], created, reason))
        if audit:
            session.execute(insert(AuditEntry), audit)
