"""Benchmark: desk.rules.calls.classify on a realistic mixed set of ~200 utterances.

    .venv/bin/python bench/rules.py [--rounds N]

Prints the median time per classify call (µs) with a roster of 10 staff, and the ratio to a
floor measured in the same run on the same texts: ``unicodedata.normalize("NFKC", t).casefold()``
(the least any classifier must do). Budget: under 1 ms per call. The first call (lexicon load and
regex compile, once per process) is reported separately and not part of the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROSTER = {
    "王芳": "consultant",
    "李明": "teacher",
    "张伟": "head_teacher",
    "陈静": "employment_officer",
    "赵": "principal",
    "刘": "events_officer",
    "孙丽": "media_officer",
    "周强": "manager",
    "Anna Smith": "consultant",
    "David": "teacher",
}

BASE_ZH = [
    "请问你们是做电脑培训的吗", "请问你们这里有Java培训吗", "你们培训都上哪些课程？", "学费是多少",
    "什么时候开课", "我想帮我儿子问一下你们的3D课程", "你好！王芳老师在吗", "最近一期周末班什么时候开课",
    "你好！李明老师在吗", "王老师，我找一下李明老师", "你们是计算机培训吗？你们在哪儿", "已经到火车站了，你们那怎么走",
    "你好，赵校长在吗", "请转一下市场活动的刘老师", "你好！你们的采购经理在吗", "请帮我转你们负责人",
    "你好！我是广告公司的，你们那需要做宣传吗", "我找一下你们校长", "我要投诉", "喂？", "您好您好",
    "你们这教电脑吗", "你们有没有平面设计的课", "想学PS，多少钱", "请问学UI设计要多久", "java班什么时候开班啊",
    "有周末班吗", "零基础能学吗", "你们包就业吗", "ＣＡＤ培训多少钱？？", "我儿子今年高中毕业，想学电脑",
    "帮我女儿问一下平面设计", "我是家长，想给孩子报个班", "朋友介绍的，我想学java", "小王在不在",
    "我上次咨询过java", "刚才你们给我打电话了", "李老师在不在", "我是这里的学员，今天请假", "我们班主任在吗",
    "你们地址在哪里", "我到地铁站了，出来往哪边走", "坐几路公交能到你们那", "周总在吗", "张总在吗",
    "你们老板在吗", "找一下你们人事", "我们是做网站优化的，您这边需要吗", "您好，我们公司做办公用品的，需要打印纸吗",
    "我要找你们领导", "你们怎么这样，我很不满意", "我要退费！", "如果学不会能退费吗", "你好，快递到了，麻烦下来取一下",
    "你们还招人吗？我想应聘", "不好意思打错了", "喂，你好，我想问一下你们那个学电脑的怎么收费",
    "我在万达广场，你们离这远吗", "我叫李明，想学java", "嗯，那个，就是",
]
BASE_EN = [
    "Hi, do you offer graphic design courses?", "I'm calling for my daughter, how much is the Java class?",
    "Is Ms. Chen there? I'm in her Java class", "Where exactly are you? I'm at the metro station",
    "Hello, I'm from an office supplies company, do you need printer paper?",
    "I want to make a complaint about my class", "hello?", "do you teach coding",
    "How much is the python course?", "when does the next class start", "I want to learn web design",
    "do u have weekend classes", "what courses do you offer", "whats the tution for java",
    "My friend wants to learn Photoshop", "Is Anna there?", "can i speak to anna smith please",
    "I called last week about the Java class", "you called me earlier", "Is david there",
    "I'm a student here, can I take leave tomorrow", "how do i get to your school", "what's your address",
    "which bus should I take to get there", "Is Principal Zhao there?", "Can I speak to your purchasing manager?",
    "put me through to your HR department", "Hi, we offer SEO services for schools, are you interested?",
    "I want to speak to your principal right now", "this is unacceptable, I want a refund", "i want to compalin",
    "sorry, wrong number", "I'm calling about the job opening for receptionist", "我想了解一下你们的Java course",
    "Anna老师在吗", "blah",
]


def utterances() -> list[tuple[str, str | None]]:
    """~200 (text, caller) pairs: every base line, plus a greeting-prefixed and a full-width
    or shouted variant, some from known leads and students."""
    out: list[tuple[str, str | None]] = []
    for i, text in enumerate(BASE_ZH):
        out.append((text, None))
        out.append(("喂，你好，" + text, "lead" if i % 7 == 0 else None))
        if i % 3 == 0:
            out.append((unicodedata.normalize("NFKC", text).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}), "student" if i % 2 else None))
    for i, text in enumerate(BASE_EN):
        out.append((text, None))
        out.append(("Hi there, " + text.lower(), "lead" if i % 5 == 0 else None))
        if i % 2 == 0:
            out.append((text.upper(), None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    from desk.rules.calls import classify

    texts = utterances()
    t0 = time.perf_counter()
    classify(texts[0][0], staff=ROSTER, caller=None)
    first_ms = (time.perf_counter() - t0) * 1000

    calls: list[float] = []
    floor: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(args.rounds):
        for text, caller in texts:
            a = clock()
            classify(text, staff=ROSTER, caller=caller)
            b = clock()
            unicodedata.normalize("NFKC", text).casefold()
            c = clock()
            calls.append((b - a) / 1000)
            floor.append((c - b) / 1000)
    med = statistics.median(calls)
    med_floor = statistics.median(floor)
    p95 = statistics.quantiles(calls, n=20)[-1]
    print(f"utterances: {len(texts)} (zh {sum(1 for t, _ in texts if any(ord(ch) > 0x2E80 for ch in t))}), "
          f"roster: {len(ROSTER)} staff, rounds: {args.rounds}")
    print(f"first call (lexicon load + compile): {first_ms:.1f} ms")
    print(f"classify median: {med:.1f} µs   p95: {p95:.1f} µs   max: {max(calls):.1f} µs")
    print(f"floor (NFKC + casefold) median: {med_floor:.2f} µs   ratio: {med / med_floor:.0f}x")
    print(f"budget 1000 µs: {'OK' if med < 1000 else 'OVER'}")


if __name__ == "__main__":
    main()
