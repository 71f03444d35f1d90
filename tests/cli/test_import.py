"""desk import: headers in both languages, every bad-row kind, encodings, merge, re-run, rotation."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from desk.dal import Store
from desk.dal import staff as staff_dal
from desk.dal.imports import import_file, parse_map
from desk.errors import DeskError
from desk.i18n import set_language
from desk.models import AuditEntry, Lead, RotationAssignment

pytestmark = pytest.mark.both_backends

SH = ZoneInfo("Asia/Shanghai")

GOOD_ZH = [
    ["姓名", "电话", "年龄", "学历", "意向课程", "来源"],
    ["张伟", "13812345678", "20", "高中", "Java开发", "校园讲座"],
    ["李娜", "139 1234 5678", "22岁", "本科", "UI设计", "传单"],
    ["王强", "+86 137-1234-5678", "25", "大专", "平面设计", "传单"],
    ["赵敏", "13612345678", "17", "初中", "Python数据分析", "传单"],  # valid row, invalid lead
]


@pytest.fixture
def istore(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_HOME", str(tmp_path / "home"))
    set_language("en")
    store = Store(engine, tz=SH, clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=SH))
    for name in ("王芳", "赵强", "陈静"):
        staff_dal.add_staff(store, name=name, role="consultant")
    staff_dal.add_staff(store, name="周杰", role="events_officer", english_name="Jay")
    return store


def write_csv(path, rows, encoding="utf-8", newline_end=True):
    lines = []
    for row in rows:
        buf = []
        for cell in row:
            cell = str(cell)
            buf.append(f'"{cell}"' if any(c in cell for c in ',"\n') else cell)
        lines.append(",".join(buf))
    text = "\r\n".join(lines) + ("\r\n" if newline_end else "")
    path.write_bytes(text.encode(encoding))
    return path


def leads(store):
    with store.read() as s:
        return {lead.phone: lead for lead in s.exec(select(Lead)).all()}


def test_market_list_in_chinese_headers_is_imported_and_distributed_fairly(istore, tmp_path):
    path = write_csv(tmp_path / "market.csv", GOOD_ZH)
    result = import_file(istore, path, channel="market")
    assert (result.rows, result.created, result.merged, result.unchanged, len(result.rejects)) == (4, 4, 0, 0, 0)
    got = leads(istore)
    assert set(got) == {"+8613812345678", "+8613912345678", "+8613712345678", "+8613612345678"}
    zhang = got["+8613812345678"]
    assert (zhang.name, zhang.age, zhang.education, zhang.course_interest, zhang.media_source) == (
        "张伟", 20, "high_school", "Java开发", "校园讲座"
    )
    assert zhang.channel == "market" and zhang.valid is True and zhang.it_related
    assert zhang.name_initials == "zw" and zhang.phone_digits == "13812345678"
    zhao = got["+8613612345678"]
    # the basic age / education rules do not apply to market rows (docs/domain.md §4.6)
    assert zhao.valid is True and json.loads(zhao.validity_reasons or "[]") == []
    # four valid leads, three consultants with nothing today: in rotation order, then round again
    assert dict(result.assigned) == {"王芳": 2, "赵强": 1, "陈静": 1}
    with istore.read() as s:
        rows = s.exec(select(RotationAssignment).where(RotationAssignment.pool == "market")).all()
        assert len(rows) == 4 and {r.lead_id for r in rows} == {got[p].id for p in got}
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
        assert len(audit) == 4


def test_market_list_with_chinese_first_call_words_and_no_age_or_education(istore, tmp_path):
    """Issue 13: a typical market list has no age or education and says 异地号; its reachable rows
    are valid and rotated, the others are kept but not distributed (docs/domain.md §4.6)."""
    rows = [
        ["姓名", "电话", "首次电话"],
        ["钱一", "13812340001", "接通"],
        ["钱二", "13812340002", "异地号"],
        ["钱三", "13812340003", ""],  # no result: connected
        ["钱四", "13812340004", "关机"],
        ["钱五", "13812340005", "不在服务区"],  # the call did not get through: unreachable
        ["钱六", "13812340006", "停机"],
        ["钱七", "13812340007", "无法接通"],
        ["钱八", "13812340008", "接通"],
    ]
    result = import_file(istore, write_csv(tmp_path / "market.csv", rows), channel="market")
    assert (result.rows, result.created, len(result.rejects)) == (8, 8, 0), result.rejects
    got = {lead.name: lead for lead in leads(istore).values()}
    expect = {"钱一": "connected", "钱二": "out_of_area", "钱三": "connected", "钱四": "powered_off",
              "钱五": "unreachable", "钱六": "suspended", "钱七": "unreachable", "钱八": "connected"}
    assert {n: lead.first_call_result for n, lead in got.items()} == expect
    valid = {n for n, lead in got.items() if lead.valid}
    assert valid == {"钱一", "钱三", "钱八"}
    for name in set(got) - valid:
        assert json.loads(got[name].validity_reasons) == ["first_call_not_connected"]
        assert got[name].owner_id is None
    assert all(got[n].age is None and got[n].education in (None, "unknown") for n in got)
    # the valid rows go round the market rotation, one each
    assert dict(result.assigned) == {"王芳": 1, "赵强": 1, "陈静": 1}
    with istore.read() as s:
        assigned = s.exec(select(RotationAssignment).where(RotationAssignment.pool == "market")).all()
        assert {r.lead_id for r in assigned} == {got[n].id for n in valid}
        assert {got[n].owner_id for n in valid} == {r.staff_id for r in assigned}


def test_english_first_call_words(istore, tmp_path):
    rows = [["name", "phone", "first call"], ["A", "13812340011", "out of area"], ["B", "13812340012", "Out-of-area number"],
            ["C", "13812340013", "switched off"], ["D", "13812340014", "connected"]]
    result = import_file(istore, write_csv(tmp_path / "m.csv", rows), channel="market")
    assert not result.rejects
    got = {lead.name: lead.first_call_result for lead in leads(istore).values()}
    assert got == {"A": "out_of_area", "B": "out_of_area", "C": "powered_off", "D": "connected"}


def test_rotation_continues_from_todays_counts(istore, tmp_path):
    import_file(istore, write_csv(tmp_path / "a.csv", GOOD_ZH[:3]), channel="market")  # 王芳, 赵强
    more = [GOOD_ZH[0], ["甲", "13512345678", "30", "本科", "软件测试", ""], ["乙", "13412345678", "30", "本科", "软件测试", ""]]
    result = import_file(istore, write_csv(tmp_path / "b.csv", more), channel="market")
    assert dict(result.assigned) == {"陈静": 1, "王芳": 1}


def test_english_headers_and_map(istore, tmp_path):
    rows = [
        ["Name", "Mobile", "Age", "Education", "Course", "Source", "Client level"],
        ["Anna Li", "13812345678", "19", "high school", "Web前端开发", "web", "A"],
    ]
    path = write_csv(tmp_path / "online.csv", rows)
    result = import_file(istore, path, channel="online")
    assert result.created == 1 and result.ignored_columns == ["Client level"]
    lead = leads(istore)["+8613812345678"]
    assert lead.name == "Anna Li" and lead.owner_id is not None and lead.counted_as == "phone"  # the phone rotation
    assert lead.valid is False and "not_phone_contacted" in json.loads(lead.validity_reasons)

    mapped = [["客户", "客户手机", "备注"], ["周一", "13912345678", "x"]]
    path = write_csv(tmp_path / "mapped.csv", mapped)
    with pytest.raises(DeskError, match="no phone column"):
        import_file(istore, path, channel="online")
    result = import_file(istore, path, channel="online", mapping=parse_map(["客户手机=phone", "客户=name"]))
    assert result.created == 1 and leads(istore)["+8613912345678"].name == "周一"
    with pytest.raises(DeskError, match="unknown field"):
        parse_map(["客户=nickname"])
    with pytest.raises(DeskError, match="SOURCE=FIELD"):
        parse_map(["客户"])
    with pytest.raises(DeskError, match="no column"):
        import_file(istore, path, channel="online", mapping=parse_map(["手机=phone"]))


def test_every_bad_row_kind_is_rejected_with_line_column_and_reason(istore, tmp_path):
    rows = [
        ["姓名", "电话", "年龄", "学历", "意向课程", "来源", "首次电话", "已到访"],
        ["好人", "13812345678", "20", "高中", "Java", "传单", "接通", "是"],  # line 2: good
        ["无号", "", "20", "高中", "Java", "传单", "", ""],  # 3: no phone
        ["短号", "12345", "20", "高中", "Java", "传单", "", ""],  # 4: too short
        ["坏号", "1381234567a8888", "20", "高中", "Java", "传单", "", ""],  # 5: not valid
        ["年龄", "13912345678", "二十", "高中", "Java", "传单", "", ""],  # 6: age not a number
        ["老人", "13712345678", "130", "高中", "Java", "传单", "", ""],  # 7: age out of range
        ["学历", "13612345678", "20", "幼儿园", "Java", "传单", "", ""],  # 8: unknown education
        ["首呼", "13512345678", "20", "高中", "Java", "传单", "忙音吧", ""],  # 9: unknown first-call
        ["到访", "13412345678", "20", "高中", "Java", "传单", "", "也许"],  # 10: not yes/no
        ["长", "13312345678", "20", "高中", "Java", "来" * 70, "", ""],  # 11: too long
        ["好人二", "13212345678", "", "", "", "", "", ""],  # 12: good (unknowns are fine)
    ]
    path = write_csv(tmp_path / "list.csv", rows)
    result = import_file(istore, path, channel="outdoor", collector="王芳")
    assert result.created == 2 and result.collected == 2
    got = [(r.line, r.column) for r in result.rejects]
    assert got == [(3, "电话"), (4, "电话"), (5, "电话"), (6, "年龄"), (7, "年龄"), (8, "学历"), (9, "首次电话"),
                   (10, "已到访"), (11, "来源")]  # fmt: skip
    reasons = [r.reason for r in result.rejects]
    assert reasons[0] == "no phone number"
    assert "Too short" in reasons[1] and "Letters in a number" in reasons[2]  # never keypad digits (issue 12)
    assert "幼儿园" in reasons[5] and "忙音吧" in reasons[6] and "也许" in reasons[7] and "64" in reasons[8]
    # the rejects file: the same rows, with line, column and reason, readable by Excel (BOM)
    assert result.rejects_path == tmp_path / "list.rejects.csv"
    with result.rejects_path.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0][:4] == ["Line", "Column", "Reason", "姓名"]
    assert [int(r[0]) for r in back[1:]] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert back[1][3:5] == ["无号", ""]
    # outdoor leads a consultant collected are theirs; brought in person makes the first one valid (counted as walk-in)
    good = leads(istore)["+8613812345678"]
    fang = staff_dal.find_staff(istore, "王芳")
    assert good.owner_id == fang.id and good.collector_id == fang.id
    assert good.valid is True and good.counted_as == "walk_in"
    assert "summary" not in " ".join(result.lines())
    assert any("line 3" in line for line in result.lines())


def test_same_file_twice_adds_nothing(istore, tmp_path):
    path = write_csv(tmp_path / "market.csv", GOOD_ZH)
    import_file(istore, path, channel="market")
    before = leads(istore)
    with istore.read() as s:
        audit_before = len(s.exec(select(AuditEntry)).all())
        rot_before = len(s.exec(select(RotationAssignment)).all())
    again = import_file(istore, path, channel="market")
    assert (again.created, again.merged, again.unchanged) == (0, 0, 4)
    assert not again.assigned
    after = leads(istore)
    assert set(after) == set(before)
    with istore.read() as s:
        assert len(s.exec(select(AuditEntry)).all()) == audit_before
        assert len(s.exec(select(RotationAssignment)).all()) == rot_before


def test_duplicates_merge_into_the_existing_lead_without_overwriting(istore, tmp_path):
    import_file(istore, write_csv(tmp_path / "a.csv", [["姓名", "电话", "年龄"], ["张伟", "13812345678", ""]]), channel="online")
    original = leads(istore)["+8613812345678"]
    rows = [
        ["姓名", "电话", "年龄", "学历", "意向课程"],
        ["张三", "138-1234-5678", "21", "本科", "Java开发"],  # same phone, other name: the name is kept
        ["", "+8613812345678", "", "", ""],  # and again in the same file
        ["新人", "13912345678", "20", "高中", "Java开发"],
        ["新人", "13912345678", "", "", "UI设计"],  # twice in the file: one lead
    ]
    result = import_file(istore, write_csv(tmp_path / "b.csv", rows), channel="market")
    assert (result.created, result.merged, result.duplicates_in_file) == (1, 1, 2)
    got = leads(istore)
    assert len(got) == 2
    zhang = got["+8613812345678"]
    assert zhang.id == original.id and zhang.name == "张伟" and zhang.channel == "online"
    assert zhang.age == 21 and zhang.education == "bachelor" and zhang.course_interest == "Java开发"
    assert got["+8613912345678"].course_interest == "Java开发"
    with istore.read() as s:
        merges = s.exec(select(AuditEntry).where(AuditEntry.action == "merge", AuditEntry.row_id == original.id)).all()
        assert len(merges) == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(istore, tmp_path, encoding):
    path = write_csv(tmp_path / f"{encoding}.csv", GOOD_ZH, encoding=encoding)
    result = import_file(istore, path, channel="market")
    assert result.created == 4 and not result.rejects
    assert leads(istore)["+8613812345678"].name == "张伟"


def test_xlsx_is_read_with_numbers_as_text(istore, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机号码", "年龄", "学历", "意向课程"])
    sheet.append(["张伟", 13812345678, 20.0, "高中", "Java开发"])
    sheet.append([None, None, None, None, None])
    sheet.append(["李娜", 1391234, 20, "高中", "Java开发"])
    book.save(tmp_path / "list.xlsx")
    result = import_file(istore, tmp_path / "list.xlsx", channel="market")
    assert result.created == 1
    assert [(r.line, r.column) for r in result.rejects] == [(4, "手机号码")]
    assert leads(istore)["+8613812345678"].age == 20


def test_unreadable_and_truncated_files_change_nothing(istore, tmp_path):
    from openpyxl import Workbook

    cases = {}
    cases["missing.csv"] = None
    (tmp_path / "empty.csv").write_bytes(b"")
    cases["empty.csv"] = "empty"
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02PK")
    cases["binary.csv"] = "not a text"
    text = "\r\n".join(",".join(r) for r in GOOD_ZH).encode("utf-8")
    (tmp_path / "cut.csv").write_bytes(text[:-4])  # ends in the middle of the last row's characters
    cases["cut.csv"] = "truncated"
    (tmp_path / "quote.csv").write_bytes(b'name,phone\n"abc,13812345678\n')
    cases["quote.csv"] = "truncated or damaged"
    write_csv(tmp_path / "short.csv", [GOOD_ZH[0], GOOD_ZH[1], ["李", "13912345678"]], newline_end=False)
    cases["short.csv"] = "truncated"
    book = Workbook()
    book.active.append(["姓名", "电话"])
    book.save(tmp_path / "whole.xlsx")
    data = (tmp_path / "whole.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    cases["cut.xlsx"] = "xlsx"
    (tmp_path / "latin.csv").write_bytes("姓名,电话\n".encode("utf-16-le"))
    cases["latin.csv"] = "cannot"
    for name, message in cases.items():
        with pytest.raises(DeskError, match=message or "no such file"):
            import_file(istore, tmp_path / name, channel="market")
    assert leads(istore) == {}
    assert not list(tmp_path.glob("*.rejects.csv"))


def test_bad_options(istore, tmp_path):
    path = write_csv(tmp_path / "market.csv", GOOD_ZH)
    with pytest.raises(DeskError, match="collector"):
        import_file(istore, path, channel="outdoor")
    with pytest.raises(DeskError, match="unknown staff"):
        import_file(istore, path, channel="outdoor", collector="Nobody")
    with pytest.raises(DeskError, match="one of"):
        import_file(istore, path, channel="street")
    result = import_file(istore, path, channel="outdoor", collector="jay")  # English name
    assert result.collector == "周杰" and sum(result.assigned.values()) == 4  # not a consultant: rotated


def test_unwritable_rejects_path_imports_nothing(istore, tmp_path):
    rows = [GOOD_ZH[0], GOOD_ZH[1], ["x", "", "", "", "", ""]]
    path = write_csv(tmp_path / "list.csv", rows)
    with pytest.raises(DeskError, match="cannot write"):
        import_file(istore, path, channel="market", rejects_path=tmp_path / "no" / "such" / "dir.csv")
    assert leads(istore) == {}


def test_dry_run_saves_nothing(istore, tmp_path):
    path = write_csv(tmp_path / "list.csv", [*GOOD_ZH, ["x", "", "", "", "", ""]])
    result = import_file(istore, path, channel="market", dry_run=True)
    assert result.created == 4 and len(result.rejects) == 1 and result.rejects_path is None
    assert leads(istore) == {}
