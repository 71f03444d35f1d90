"""classify(): every row and every disambiguation rule of docs/domain.md §2.2–§2.4, both languages,
phrased the way callers phrase things (colloquial, partial, typos, full-width, mixed)."""

from __future__ import annotations

import pytest

from desk.rules.calls import CallType, Classification, classify, confirm_question_for, detect_lang

# A center's roster: full names, surname-only keys, English names, every role.
R = {
    "王芳": "consultant",
    "李明": "teacher",
    "张伟": "head_teacher",
    "陈静": "employment_officer",
    "赵": "principal",
    "刘": "events_officer",
    "孙丽": "media_officer",
    "周强": "manager",
    "吴敏": "receptionist",
    "Anna Smith": "consultant",
    "Chen": "head_teacher",
    "欧阳娜娜": "consultant",
    "David": "teacher",
}

FI, PI, RI, ST, DI, BU, SC, CO, SI, OT = (
    "first_inquiry", "proxy_inquiry", "repeat_inquiry", "student", "directions",
    "business", "screened", "complaint", "silent", "other",
)

CASES: list[tuple[str, dict | None, str | None, str]] = [
    # ---- first inquiry: course words (zh) -------------------------------------------------
    ("你们这教电脑吗", None, None, FI),
    ("你们有没有平面设计的课", None, None, FI),
    ("想学PS，多少钱", None, None, FI),
    ("请问学UI设计要多久", None, None, FI),
    ("你好，我想咨询一下Python", None, None, FI),
    ("java班什么时候开班啊", None, None, FI),
    ("学费怎么收的", None, None, FI),
    ("有周末班吗", None, None, FI),
    ("零基础能学吗", None, None, FI),
    ("你们包就业吗", None, None, FI),
    ("ＣＡＤ培训多少钱？？", None, None, FI),
    ("我想学会计", None, None, FI),
    ("你们是电脑学校吗", None, None, FI),
    ("请问是XX电脑培训中心吗", None, None, FI),
    ("学3dmax要什么基础", None, None, FI),
    ("有没有学历提升", None, None, FI),
    ("我想找工作，学什么好", None, None, FI),
    ("我想学财务方面的课", None, None, FI),
    ("你们有网页设计吗 多少钱", None, None, FI),
    ("我是学生，想学点电脑", None, None, FI),
    ("学废多少", None, None, FI),  # IME typo for 学费
    ("喂，你好，我想问一下你们那个学电脑的怎么收费", None, None, FI),
    ("有没有晚上的班", None, None, FI),
    ("你们那里学电脑的学费贵不贵", None, None, FI),
    ("这周末有试听课吗", None, None, FI),
    ("3D建模学完好找工作吗", None, None, FI),
    ("找一下咨询老师", None, None, FI),
    ("你们有HR课程吗", None, None, FI),
    ("你们学校长期招生吗", None, None, FI),  # 学校长期 is not 校长
    ("下一期全日制班什么时候开", None, None, FI),  # next class, no earlier contact
    ("如果学不会能退费吗", None, None, FI),  # refund asked about, not demanded
    ("你们有没有平面设计的课，我是做广告的想提升一下", None, None, FI),
    # ---- first inquiry (en, mixed) ---------------------------------------------------------
    ("do you teach coding", None, None, FI),
    ("How much is the python course?", None, None, FI),
    ("when does the next class start", None, None, FI),
    ("I want to learn web design", None, None, FI),
    ("do u have weekend classes", None, None, FI),
    ("what courses do you offer", None, None, FI),
    ("Is this the computer training school?", None, None, FI),  # "are you the … training" alone
    ("i need info on your IT programs", None, None, FI),
    ("whats the tution for java", None, None, FI),  # typo
    ("Do you guys do 3D animation?", None, None, FI),
    ("I'd like to sign up for Excel", None, None, FI),
    ("我想了解一下你们的Java course", None, None, FI),
    ("Can I speak to someone about courses?", None, None, FI),
    ("I want project management training", None, None, FI),
    ("Where can I sign up?", None, None, FI),
    ("What's your refund policy if I drop out of the course?", None, None, FI),
    ("I have never called before, what courses do you have", None, None, FI),
    ("我没来过，想问问java", None, None, FI),
    # ---- proxy inquiry ---------------------------------------------------------------------
    ("我儿子今年高中毕业，想学电脑", None, None, PI),
    ("帮我女儿问一下平面设计", None, None, PI),
    ("我是家长，想给孩子报个班", None, None, PI),
    ("替我朋友问问，java多少钱", None, None, PI),
    ("我弟弟想学编程", None, None, PI),
    ("我老公想学CAD", None, None, PI),
    ("可以帮我老婆报个名吗", None, None, PI),
    ("我家孩子初中毕业能学吗", None, None, PI),
    ("我们公司想给员工培训Excel", None, None, PI),
    ("我想报名你们的UI设计，我女儿也想学", None, None, PI),
    ("asking for my son, do you teach programming?", None, None, PI),
    ("My friend wants to learn Photoshop", None, None, PI),
    ("my wife is interested in your UI course", None, None, PI),
    ("I'm calling on behalf of my nephew", None, None, PI),
    ("MY DAUGHTER wants the JAVA class", None, None, PI),
    # a relative who only referred the caller is not a proxy call
    ("朋友介绍的，我想学java", None, None, FI),
    ("我同学在你们那学过，我也想学", None, None, FI),
    ("在朋友圈看到你们的广告，想了解一下", None, None, FI),
    ("my friend recommended you, how much is java", None, None, FI),
    # ---- repeat inquiry: a consultant named ------------------------------------------------
    ("王芳在吗", R, None, RI),
    ("王老师在吗", R, None, RI),
    ("小王在不在", R, None, RI),
    ("找一下王芳老师", R, None, RI),
    ("王芳老师再吗", R, None, RI),  # 再/在 typo
    ("娜娜老师在吗", R, None, RI),  # given name
    ("欧阳老师在吗", R, None, RI),  # compound surname + title
    ("王芳让我给她回个电话", R, None, RI),
    ("请问吴敏在吗", R, None, RI),  # the receptionist by name
    ("Is Anna there?", R, None, RI),
    ("can i speak to anna smith please", R, None, RI),
    ("Is Ms. Smith in?", R, None, RI),
    ("ANNA SMITH PLEASE", R, None, RI),
    ("请问Anna在吗", R, None, RI),
    ("Anna老师在吗", R, None, RI),
    ("I visited last month and talked to Anna", R, None, RI),
    # a name not on the roster with 老师 / Mr. -> repeat inquiry
    ("黄老师在吗", R, None, RI),
    ("黄老师在吗", None, None, RI),
    ("Hi is Mr. Wang there", None, None, RI),
    # ---- repeat inquiry: explicit earlier contact / known lead ------------------------------
    ("我上次咨询过java", None, None, RI),
    ("我之前打过电话问过平面设计", None, None, RI),
    ("上次那个老师跟我说周末班", None, None, RI),
    ("刚才你们给我打电话了", None, None, RI),
    ("是你们给我打的电话吗？我这有个未接来电", None, None, RI),
    ("我上周来参观过，想再问问学费", None, None, RI),
    ("我姓陈，上次咨询过PS", None, None, RI),
    ("I called last week about the Java class", None, None, RI),
    ("I spoke to someone yesterday about UI design", None, None, RI),
    ("you called me earlier", None, None, RI),
    ("the teacher who told me about the course, is she there", None, None, RI),
    ("I'm calling again about java", None, None, RI),
    ("下一期全日制班什么时候开", None, "lead", RI),
    ("最近一期周末班什么时候开课", None, "lead", RI),
    ("你们在哪", None, "lead", RI),  # a lead asking the way is their repeat contact
    ("how do I get there", None, "lead", RI),
    ("我想学java", None, "lead", RI),
    # ---- student ---------------------------------------------------------------------------
    ("李明老师在吗", R, None, ST),
    ("李老师在不在", R, None, ST),
    ("张伟在吗？", R, None, ST),
    ("我找一下陈静老师，问一下就业的事", R, None, ST),
    # the employment officer and an organisation behind the caller (DOMAIN.md §10) -> business
    ("我们公司想招几个设计，找一下陈静老师", R, None, BU),
    ("你好，我是企业人事，找陈静谈一下招聘合作", R, None, BU),
    ("我们单位要人，陈静老师在吗", R, None, BU),
    ("Hi, I'm from a software company, is Chen Jing there? We're hiring", {"Chen Jing": "employment_officer"}, None, BU),
    ("陈静老师，下周的招聘会我能去吗", R, None, ST),  # a job fair: the student's own
    ("陈静老师在吗，我想问问推荐的工作", R, None, ST),  # no organisation: a student, as before
    ("我们公司在招人，陈静老师在吗", R, "student", BU),  # a former student, hiring (docs/domain.md §2.3)
    ("陈静老师，我下周去面试", R, "student", ST),
    ("张伟老师让我今天过去交钱", R, None, ST),
    ("Is david there", R, None, ST),
    ("Hi, I'm in David's class, is he there?", R, None, ST),
    ("This is Tom from the Java class, is David there", R, None, ST),
    ("chen老师在吗", R, None, ST),
    ("我找一下Chen老师", R, None, ST),
    ("我是这里的学员，今天请假", None, None, ST),
    ("我们班主任在吗", None, None, ST),
    ("班主任老师在吗", None, None, ST),  # 班主任 is not 任老师
    ("我是你们的学员，想问一下补课", None, None, ST),
    ("今天的课几点上", None, None, ST),
    ("我是王老师的学生，找一下他", None, None, ST),
    ("I'm a student here, can I take leave tomorrow", None, None, ST),
    ("is my head teacher around", None, None, ST),
    ("I can't come to class today", None, None, ST),
    ("Is the java teacher there? my class is at 7", None, None, ST),
    # a known student caller makes it student whoever they name
    ("王芳在吗", R, "student", ST),
    ("赵校长在吗", R, "student", ST),
    ("黄老师在吗", None, "student", ST),
    ("王老师，我找一下李明老师", {"李明": "teacher", "王芳": "consultant"}, "student", ST),
    ("王老师，我找一下李明老师", {"李明": "teacher", "王芳": "consultant"}, None, ST),
    ("明天能不能请假", None, "student", ST),
    # ---- directions ------------------------------------------------------------------------
    ("你们地址在哪里", None, None, DI),
    ("我到地铁站了，出来往哪边走", None, None, DI),
    ("坐几路公交能到你们那", None, None, DI),
    ("你们在几楼", None, None, DI),
    ("我在你们楼下了找不到门", None, None, DI),
    ("你们学校在什么位置，我想过去看看", None, None, DI),
    ("请问一下，你们是不是在人民路那边", None, None, DI),
    ("我在万达广场，你们离这远吗", None, None, DI),
    ("你们是电脑培训吗？怎么走啊", None, None, DI),
    ("how do i get to your school", None, None, DI),
    ("what's your address", None, None, DI),
    ("I'm outside, which building are you in?", None, None, DI),
    ("which bus should I take to get there", None, None, DI),
    ("where r u located", None, None, DI),
    ("Is there parking near you?", None, None, DI),
    ("Where is the school?", None, None, DI),
    ("Are you near the train station?", None, None, DI),
    ("what floor are you on", None, None, DI),
    ("Hello, is this the training center? I'm at the bus stop", None, None, DI),
    ("Do you have java? how much? where are you?", None, None, DI),
    # ---- business --------------------------------------------------------------------------
    ("赵校长在吗", R, None, BU),
    ("老赵在吗", R, None, BU),
    ("你们赵校长电话多少", R, None, BU),
    ("麻烦转一下刘老师", R, None, BU),
    ("麻烦帮我找下小刘", R, None, BU),
    ("孙丽在吗", R, None, BU),
    ("周经理在吗", R, None, BU),
    ("周总在吗", R, None, BU),
    # a name not on the roster with 校长 / 经理 / 总 / manager / principal -> business
    ("张总在吗", None, None, BU),
    ("请问钱校长在吗", None, None, BU),
    ("帮我转一下马经理", None, None, BU),
    ("李主任在吗", None, None, BU),
    ("Is Principal Zhao there?", None, None, BU),
    ("Could I speak with manager Wang", None, None, BU),
    ("张总在吗", None, "lead", BU),  # a named manager outranks the lead rule
    # ---- screened: a job title with no name, a sales pitch ---------------------------------
    ("你们老板在吗", None, None, SC),
    ("找一下你们人事", None, None, SC),
    ("下周老师在吗", {"周强": "manager"}, None, FI),  # 下周 (next week) is not 周老师
    ("财务在吗", None, None, SC),
    ("你们负责招生的负责人是谁", None, None, SC),
    ("请问你们市场部经理在吗", None, None, SC),
    ("你们老板是谁", None, None, SC),
    ("叫你们经理出来", None, None, SC),
    ("我们是做网站优化的，您这边需要吗", None, None, SC),
    ("你好我是平安保险的，想给您介绍一下", None, None, SC),
    ("您好，我们公司做办公用品的，需要打印纸吗", None, None, SC),
    ("我们可以提供生源，有没有兴趣合作", None, None, SC),
    ("我们是XX科技公司的，你们需要管理系统吗", None, None, SC),
    ("你们校长在吗，我们是做广告的", None, None, SC),  # a salesman asking for the principal
    ("Can I speak to your purchasing manager?", None, None, SC),
    ("Is the person in charge there?", None, None, SC),
    ("put me through to your HR department", None, None, SC),
    ("Hi, we offer SEO services for schools, are you interested?", None, None, SC),
    ("This is Mike from ABC Advertising, do you need promotion?", None, None, SC),
    ("I'm from Tencent Ads, would you be interested in promoting your courses?", None, None, SC),
    ("who's your boss", None, None, SC),
    ("Is the owner available?", None, None, SC),
    ("Is your manager there?", None, None, SC),
    # ---- complaint -------------------------------------------------------------------------
    ("我要找你们领导", None, None, CO),
    ("你们校长是谁？叫他来接电话", None, None, CO),
    ("你们怎么这样，我很不满意", None, None, CO),
    ("骗子，还我学费", None, None, CO),
    ("我要退费！", None, None, CO),
    ("你们老师什么态度", None, None, CO),
    ("你们这什么破学校", None, None, CO),
    ("报了名根本没人管", None, None, CO),
    ("我交了钱课都没上成，要求退款", None, None, CO),
    ("太差了，能退吗", None, None, CO),
    ("我要见你们领导，你们这是欺骗", None, None, CO),
    ("你们负责人在吗，我想投诉", None, None, CO),  # complaint beats screened
    ("我要投诉王芳", R, None, CO),  # complaint beats a named person
    ("赵校长在吗？我要投诉", R, None, CO),  # ... and business
    ("我要投诉", None, "lead", CO),
    ("I want to speak to your principal right now", None, None, CO),
    ("this is unacceptable, I want a refund", None, None, CO),
    ("I'd like to file a complaint", None, None, CO),
    ("i want to compalin", None, None, CO),  # typo
    ("get me the principal", None, None, CO),
    ("Who is your principal?", None, None, CO),
    ("Let me talk to your supervisor, this is ridiculous", None, None, CO),
    ("the course was a waste of money", None, None, CO),
    ("I paid for the course but nobody called me back, I want my money back", None, None, CO),
    ("I'm not happy with my teacher", None, None, CO),
    # ---- silent ----------------------------------------------------------------------------
    ("", None, None, SI),
    ("   ", None, None, SI),
    ("\t\n", None, None, SI),
    ("喂？", None, None, SI),
    ("喂喂喂", None, None, SI),
    ("您好您好", None, None, SI),
    ("喂，有人吗", None, None, SI),
    ("hello?", None, None, SI),
    ("Hello... hello?", None, None, SI),
    ("ｈｅｌｌｏ？？", None, None, SI),
    ("HELLO?? IS ANYONE THERE???", None, None, SI),
    ("。。。", None, None, SI),
    ("喂 hello 你好", None, "lead", SI),  # silent comes first, whoever calls
    # ---- other: courier, job applicant, wrong number ---------------------------------------
    ("你好，快递到了，麻烦下来取一下", None, None, OT),
    ("有你们王芳的快递", R, None, OT),
    ("我是送水的，你们要水吗", None, None, OT),
    ("你们还招人吗？我想应聘", None, None, OT),
    ("我是来面试的", None, None, OT),
    ("我是来面试的，找一下周经理", R, None, OT),
    ("你们招不招兼职老师", None, None, OT),
    ("不好意思打错了", None, None, OT),
    ("sorry, wrong number", None, None, OT),
    ("I'm calling about the job opening for receptionist", None, None, OT),
    ("delivery for your office, is anyone downstairs", None, None, OT),
    ("I have a parcel for Anna Smith", R, None, OT),
]


def _id(case) -> str:
    text, staff, caller, expect = case
    return f"{expect}|{caller or '-'}|{'R' if staff is R else ('S' if staff else '-')}|{text}"[:70]


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_classify(case):
    text, staff, caller, expect = case
    got = classify(text, staff=staff, caller=caller)
    assert got.call_type == CallType(expect), (got.cues, got.named)


# Phrasings written after the classifier was tuned, as a check that it generalizes.
HELD_OUT: list[tuple[str, dict | None, str | None, str]] = [
    ('你们这儿学电脑贵吗', None, None, 'first_inquiry'),
    ('有没有那种学了能找工作的课', None, None, 'first_inquiry'),
    ('我想问问你们java培训班的情况', None, None, 'first_inquiry'),
    ('电商运营有教吗', None, None, 'first_inquiry'),
    ('你们是不是有个室内设计班', None, None, 'first_inquiry'),
    ('想报个office办公软件', None, None, 'first_inquiry'),
    ('老师，学PS大概要多少钱', None, None, 'first_inquiry'),
    ('我侄子想学电脑，你们那收多少钱', None, None, 'proxy_inquiry'),
    ('帮我表弟咨询一下CAD', None, None, 'proxy_inquiry'),
    ('我女朋友想学UI', None, None, 'proxy_inquiry'),
    ("I'm asking for my brother, he wants to learn coding", None, None, 'proxy_inquiry'),
    ('my kid just finished high school, what can he study', None, None, 'proxy_inquiry'),
    ('我前两天来过，是王老师接待的', R, None, 'repeat_inquiry'),
    ('前几天打过电话，说要给我发资料', None, None, 'repeat_inquiry'),
    ('我之前在你们那留过电话', None, None, 'repeat_inquiry'),
    ('hi, i was there last week, talked to a lady about java', None, None, 'repeat_inquiry'),
    ('following up on my visit', None, None, 'repeat_inquiry'),
    ('张老师在吗', R, None, 'student'),
    ('我找就业专员', None, None, 'student'),
    ('老师，我今天发烧，请一天假', None, None, 'student'),
    ('我的结业证什么时候能拿', None, None, 'student'),
    ('I missed class yesterday, can I make it up', None, None, 'student'),
    ('你们中心具体在哪条路上', None, None, 'directions'),
    ('从南站过去怎么坐车', None, None, 'directions'),
    ('导航搜你们搜不到啊', None, None, 'directions'),
    ('我在门口了，几楼啊', None, None, 'directions'),
    ('Can you send me your location?', None, None, 'directions'),
    ("I'm lost, is it near the subway?", None, None, 'directions'),
    ('孙丽老师在吗，关于宣传稿的事', R, None, 'business'),
    ('找一下周经理，谈下合作', R, None, 'business'),
    ('黄总在不在', None, None, 'business'),
    ('Is Director Li in?', None, None, 'business'),
    ('请问你们的技术负责人在吗', None, None, 'screened'),
    ('找一下你们采购', None, None, 'screened'),
    ('我们公司是做招生推广的，想跟您合作', None, None, 'screened'),
    ('您好，我这边是银行的，做信用贷款，需要了解一下吗', None, None, 'screened'),
    ('Is your finance department there?', None, None, 'screened'),
    ('Hello, would you be interested in our new CRM software?', None, None, 'screened'),
    ('你们老师上课太差了', None, None, 'complaint'),
    ('收了钱就不管了是吧', None, None, 'complaint'),
    ('交了学费一直没开课，你们是不是骗子', None, None, 'complaint'),
    ('叫你们校长来听电话', None, None, 'complaint'),
    ('I demand to speak to the principal', None, None, 'complaint'),
    ('your teacher was so rude to me', None, None, 'complaint'),
    ('I want my money back now', None, None, 'complaint'),
    ('喂喂，听得到吗', None, None, 'silent'),
    ('hello? hello? anyone?', None, None, 'silent'),
    ('顺丰快递，有个件需要签收', None, None, 'other'),
    ('你好，我看到你们在招聘，想投个简历', None, None, 'other'),
    ('Hi, are you hiring teachers?', None, None, 'other'),
    ('oops, wrong number sorry', None, None, 'other'),
]


@pytest.mark.parametrize("case", HELD_OUT, ids=[_id(c) for c in HELD_OUT])
def test_classify_held_out(case):
    text, staff, caller, expect = case
    got = classify(text, staff=staff, caller=caller)
    assert got.call_type == CallType(expect), (got.cues, got.named)


def test_enough_cases_for_every_type():
    by_type = {t: sum(1 for c in CASES if c[3] == t.value) for t in CallType}
    assert len(CASES) >= 150
    assert all(n >= 8 for n in by_type.values()), by_type


# ---- named person: who is picked and why ----------------------------------------------------


def test_named_fields_and_cues():
    got = classify("你好！王芳老师在吗", staff={"王芳": "consultant"})
    assert got.named == "王芳" and got.named_role == "consultant"
    assert "named:王芳(consultant)" in got.cues
    assert not got.low_confidence


def test_lead_caller_cue():
    got = classify("最近一期周末班什么时候开课", caller="lead")
    assert got.cues == ("caller:lead",)


def test_target_of_the_request_wins_over_a_vocative():
    # the caller addresses the receptionist as 王老师 and asks for 李明
    got = classify("王老师，我找一下李明老师", staff={"李明": "teacher", "王芳": "consultant"})
    assert got.named == "李明"


@pytest.mark.parametrize(
    ("text", "caller", "named"),
    [
        ("王老师在吗", None, "王芳"),  # shared surname: consultant by default
        ("王老师在吗", "lead", "王芳"),  # a lead: their consultant
        ("王老师在吗", "student", "王刚"),  # a student: their teacher
        ("王刚在吗", None, "王刚"),  # the full name decides
        ("王芳在吗", "student", "王芳"),
    ],
)
def test_shared_surname(text, caller, named):
    staff = {"王刚": "teacher", "王芳": "consultant"}
    assert classify(text, staff=staff, caller=caller).named == named


def test_shared_surname_title_points_at_the_role():
    staff = {"王芳": "consultant", "王刚": "principal"}
    got = classify("王校长在吗", staff=staff)
    assert (got.call_type, got.named) == (CallType.BUSINESS, "王刚")
    got = classify("王老师在吗", staff=staff)
    assert (got.call_type, got.named) == (CallType.REPEAT_INQUIRY, "王芳")


def test_shared_surname_without_consultant_takes_the_first_on_the_roster():
    staff = {"王刚": "teacher", "王强": "manager"}
    assert classify("小王在吗", staff=staff).named == "王刚"


def test_full_name_beats_a_surname_match_of_someone_else():
    staff = {"王芳": "consultant", "王刚": "teacher"}
    got = classify("王老师你好，我找王刚", staff=staff)
    assert got.named == "王刚" and got.call_type == CallType.STUDENT


@pytest.mark.parametrize(
    ("text", "staff"),
    [
        ("你好，请问有Java课吗", {"好": "teacher"}),  # 你好 is not staff 好
        ("你好老师，我想问一下java", {"好": "teacher"}),
        ("您好老师，学费多少", {"好": "teacher"}),
        ("你们那有好老师吗，java怎么样", {"好": "teacher"}),
        ("我想问问刘德华演的电影", {"刘": "events_officer"}),  # a bare surname is never a name
        ("刘在吗", {"刘": "events_officer"}),
        ("高中毕业想学电脑", {"高": "teacher"}),
        ("班主任老师在吗我想问问java", {"任": "consultant"}),
        ("我是语文老师，想学PS", {"文": "consultant"}),
        ("想学几个小时的课", {"时": "consultant"}),
        ("我和老师说过想学java", {"和": "teacher"}),
        ("How long is the course?", {"Long": "teacher"}),
        ("May I ask about the java class", {"May": "consultant"}),
        ("我叫李明，想学java", {"李明": "teacher"}),  # the caller's own name
        ("Hi, my name is David, do you teach Python?", {"David": "teacher"}),
    ],
)
def test_no_false_name_matches(text, staff):
    got = classify(text, staff=staff)
    assert got.named is None, got.cues
    assert not any(c.startswith(("named:", "name:")) for c in got.cues)


def test_common_word_names_match_with_a_title():
    assert classify("Is Mr. Long there?", staff={"Long": "teacher"}).call_type == CallType.STUDENT
    assert classify("Is Mr. Long there?", staff={"Long": "teacher"}).named == "Long"


@pytest.mark.parametrize(
    "text",
    ["王芳在吗", "王芳老师在吗", "找一下王老师", "小王在吗", "老王在不在", "芳芳在吗"],
)
def test_name_forms(text):
    staff = {"王芳": "consultant", "李芳芳": "teacher"}
    got = classify(text, staff=staff)
    assert got.named in ("王芳", "李芳芳")


def test_english_name_any_case_and_full_width():
    for text in ("IS CHEN THERE", "is chen there", "Ｉｓ Ｃｈｅｎ ｔｈｅｒｅ？", "Mrs. Chen please"):
        got = classify(text, staff={"Chen": "head_teacher"})
        assert (got.call_type, got.named) == (CallType.STUDENT, "Chen"), text


def test_unknown_role_raises():
    with pytest.raises(ValueError):
        classify("王芳在吗", staff={"王芳": "janitor"})


def test_unknown_caller_raises():
    with pytest.raises(ValueError):
        classify("王芳在吗", caller="stranger")


# ---- confirm questions -------------------------------------------------------------------------

ZH_QUESTIONS = {
    FI: "您好！您是想了解我们的课程吗？",
    PI: "您好！您是想了解我们的课程吗？",
    RI: "您好！请问您以前给我们打过电话吗？",
    ST: "请问您找xx老师有什么事？",
    DI: "请问您是要来我们中心咨询吗？",
    BU: "请问您怎么称呼？",
    SC: "请问您怎么称呼？找xx有什么事？",
    CO: "请问您是哪位？",
    SI: "",
}
EN_QUESTIONS = {
    FI: "Would you like to know about our courses?",
    PI: "Would you like to know about our courses?",
    RI: "Have you called us before?",
    ST: "What is it about?",
    DI: "Are you coming to us for a consultation?",
    BU: "May I have your name?",
    SC: "May I have your name, and what is it about?",
    CO: "May I ask who is calling?",
    SI: "",
}


@pytest.mark.parametrize("call_type", list(ZH_QUESTIONS))
def test_confirm_questions_are_the_spec_lines(call_type):
    assert confirm_question_for(call_type, "zh") == ZH_QUESTIONS[call_type]
    assert confirm_question_for(call_type, "en") == EN_QUESTIONS[call_type]
    assert confirm_question_for(call_type, "zh_CN") == ZH_QUESTIONS[call_type]


def test_repeat_then_question():
    from desk.rules import sop

    assert sop.confirm("repeat_inquiry_then", "zh") == "请问您找xx老师有什么事？"
    assert sop.confirm("repeat_inquiry_then", "zh", "王芳") == "请问您找王芳老师有什么事？"


def test_confirm_question_in_the_language_of_the_text():
    zh = classify("我要投诉")
    assert zh.confirm_question == "请问您是哪位？" and zh.lang == "zh"
    en = classify("I want to make a complaint")
    assert en.confirm_question == "May I ask who is calling?" and en.lang == "en"
    mixed = classify("我想学Java, how much?")
    assert mixed.lang == "zh" and mixed.confirm_question == ZH_QUESTIONS[FI]
    assert en.confirm_questions == {"zh": "请问您是哪位？", "en": "May I ask who is calling?"}


def test_silent_has_no_question_and_empty_is_chinese():
    got = classify("")
    assert got.call_type == CallType.SILENT and got.confirm_question == "" and got.lang == "zh"
    assert classify("hello?").confirm_question == ""
    assert classify(None).call_type == CallType.SILENT


def test_question_fills_the_name():
    got = classify("李明老师在吗", staff={"李明": "teacher"})
    assert got.confirm_question == "请问您找xx老师有什么事？"
    assert got.question() == "请问您找李明老师有什么事？"
    assert got.question("en") == "What is it about?"
    got = classify("你好！你们的采购经理在吗")
    assert got.question() == "请问您怎么称呼？找采购经理有什么事？"
    assert classify("刘老师在吗", staff={"刘": "teacher"}).question() == "请问您找刘老师有什么事？"


# ---- low confidence, cues, normalisation ------------------------------------------------------


@pytest.mark.parametrize("text", ["blah", "嗯，那个，就是", "asdf qwer", "刘在吗", "12345"])
def test_no_cue_is_a_low_confidence_first_inquiry(text):
    got = classify(text, staff={"刘": "events_officer"})
    assert got.call_type == CallType.FIRST_INQUIRY
    assert got.low_confidence
    assert got.cues == ()


def test_a_cue_is_not_low_confidence():
    assert not classify("学费是多少").low_confidence
    assert classify("学费是多少").cues == ("course:学费",)


def test_typos_are_reported_as_cues():
    got = classify("i want to compalin")
    assert "typo:compalin->complain" in got.cues


def test_directions_with_coming_to_consult_opens_a_lead():
    got = classify("你们在哪，我想过去咨询一下")
    assert got.call_type == CallType.DIRECTIONS and got.opens_lead
    assert not classify("你们在哪").opens_lead
    assert classify("where are you? I'd like to come in for a consultation").opens_lead


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("王芳老师在吗？", "王芳老师在吗?"),
        ("ＪＡＶＡ多少钱", "java多少钱"),
        ("Where   are\tyou ?!", "where are you"),
        ("我要投诉！！！", "  我要投诉 "),
        ("Is Ms. Chen there?", "is ms chen there"),
        ("请帮我转你们负责人。", "请帮我转你们负责人"),
    ],
)
def test_normalisation_does_not_change_the_type(a, b):
    staff = {"王芳": "consultant", "Chen": "head_teacher"}
    assert classify(a, staff=staff).call_type == classify(b, staff=staff).call_type


def test_detect_lang():
    assert detect_lang("") == "zh"
    assert detect_lang("hello") == "en"
    assert detect_lang("hello 你好") == "zh"


def test_classification_is_frozen_and_hashable():
    got = classify("学费是多少")
    assert isinstance(got, Classification)
    with pytest.raises(AttributeError):
        got.call_type = CallType.OTHER  # type: ignore[misc]
    assert hash(got) == hash(classify("学费是多少"))
    assert got == classify("学费是多少")


def test_call_type_is_a_str_enum_with_the_spec_values():
    assert [t.value for t in CallType] == [
        "first_inquiry", "proxy_inquiry", "repeat_inquiry", "student", "directions",
        "business", "screened", "complaint", "silent", "other",
    ]
    assert CallType.STUDENT == "student"
