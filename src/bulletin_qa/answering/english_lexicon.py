"""Our small English -> Chinese lexicon of district-news words, for English questions answered offline.

Written by the bulletin-qa team (not taken from any dictionary or dataset). How it was chosen: the
verbs and nouns Chinese district news uses to report meetings, inspections, projects, public
services and statistics (召开, 主持, 出席, 调研, 视察, 投资, 项目, 基金 ...), each with the English a
reader would use for it, written from general newspaper vocabulary and from the "dev" half of
evals/golden/qa_en.jsonl. The "test" half's per-question results were first read after this file was
frozen (the eval prints its aggregate beside dev's), and are the out-of-sample measurement
(benchmarks/RESULTS-evals.md, "English questions offline"). The same person wrote the questions and
this file, which is the measurement's weak point.

Second round (2026-11-29, another writer, test-half rows still unread): the economy and government
work, quarters and ordinals (one table below), meeting kinds (推进会, 座谈会, 动员会), written as
general work-report vocabulary after the real Erqi page's English questions (issue #14) showed the
gap; school -> 校园 and speak -> 强调/指出 after a dev item and a real-page question.

Each English word or phrase (lower case, singular, verbs in the base form; answering/english.py
folds plurals and -ed/-ing forms) maps to Chinese renderings, most usual first. A question's
analysis keeps the renderings that the retrieved articles use (inspect -> 检查 in one report,
调研 or 视察 in another), else the first. Names, places, titles and institutions do not belong here:
they come from the glossary, names/titles.py and the pinyin of the articles' own names.
"""

from __future__ import annotations

# English words that carry no content of their own in a question.
STOPWORDS = frozenset("""
a an the of in on at to for from by with about into during as and or than that this these those there
is are was were be been being am do does did done has have had will would shall should can could may might must
it its their his her they them he she we you i our your my what which who whom whose when where why how
any some each one much many so up out off also just get got new""".split())

# Auxiliaries between a question word and the subject (When DID the district ...).
AUXILIARIES = frozenset("is are was were do does did will would can could has have had shall should".split())

# Prepositions that end one noun-phrase segment ("the conference | in Hewan District"): Chinese puts
# the later segment first (河湾区…大会).
PREPOSITIONS = frozenset("of in at for on from by with during about to into".split())

# Irregular verb and noun forms folded to the lexicon's entry.
IRREGULAR = {
    "held": "hold", "spoke": "speak", "spoken": "speak", "met": "meet", "went": "go", "gone": "go",
    "took": "take", "taken": "take", "gave": "give", "given": "give", "built": "build", "set": "set",
    "led": "lead", "made": "make", "began": "begin", "begun": "begin", "saw": "see", "seen": "see",
    "sent": "send", "won": "win", "rose": "rise", "risen": "rise", "grew": "grow", "grown": "grow",
    "spent": "spend", "paid": "pay", "found": "find", "chose": "choose", "chosen": "choose", "children": "child",
    "people": "people", "women": "woman", "men": "man", "visited": "visit", "phds": "phd",
}

# Words answering.english reads as verbs (the predicate of the question): the word before them is the
# subject, the words after them the object.
VERBS = frozenset("""
chair preside attend speak address hold convene open launch start inspect visit survey investigate
supervise check examine tour lead sign release issue announce publish invest spend raise build complete
finish renovate rebuild upgrade plant repair set establish create add receive treat serve host organize
organise send select carry implement plan deploy end close last go sit win award rank reach grow rise
increase fall decrease drop cut reduce find discover handle rectify punish fine require demand stress
emphasize emphasise introduce report say state present attract offer provide employ hire train train
accommodate cover benefit protect restore observe record collect register approve take participate join drill
develop promote graduate arrange
take part
""".split())

LEXICON: dict[str, tuple[str, ...]] = {
    # meetings and who runs them
    "chair": ("主持",), "preside": ("主持",), "host": ("主持", "举办", "承办"),
    "attend": ("出席", "参加"), "participate": ("参加", "参与"), "take part": ("参加", "参与"),
    "join": ("参加", "加入"),
    "speak": ("讲话", "发言", "表示", "强调", "指出"), "address": ("讲话", "致辞"), "say": ("表示", "介绍", "说"),
    "stress": ("强调",), "emphasize": ("强调",), "emphasise": ("强调",), "require": ("要求",),
    "demand": ("要求",), "introduce": ("介绍",), "report": ("通报", "汇报", "报告"), "state": ("表示",),
    "hold": ("召开", "举行", "举办"), "convene": ("召开",), "organize": ("组织", "举办"), "organise": ("组织", "举办"),
    "meeting": ("会议", "大会", "会"), "conference": ("大会", "会议"), "plenary session": ("全体会议", "全会"),
    "session": ("会议", "全会"), "forum": ("论坛",), "ceremony": ("仪式",), "signing ceremony": ("签约仪式",),
    "mobilization": ("动员",), "work meeting": ("工作会议", "工作会", "推进会"), "promotion": ("推进",),
    # inspections and visits
    "inspect": ("检查", "调研", "视察", "督导", "察看"), "inspection": ("检查", "视察", "督导", "调研"),
    "visit": ("调研", "视察", "走访", "来到", "察看"), "survey": ("调研",), "investigate": ("调研", "调查"),
    "supervise": ("督导", "监督"), "check": ("检查", "排查"), "examine": ("检查", "审查"), "tour": ("察看", "参观"),
    "go": ("来到", "前往", "到"), "see": ("察看", "看"), "observe": ("观测", "察看"),
    "drill": ("演练",), "exercise": ("演练",), "subject": ("科目",), "training": ("培训",), "train": ("培训",),
    # people and roles (titles with a level come from names/titles.py)
    "head": ("局长", "负责人", "主任", "部长", "组长"), "director": ("主任", "局长", "院长"),
    "president": ("院长", "校长", "主席", "会长"), "principal": ("校长",), "secretary": ("书记",),
    "party secretary": ("党委书记", "书记"), "mayor": ("区长", "市长", "镇长"), "chairman": ("主席", "董事长"),
    "deputy": ("代表", "副"), "representative": ("代表",), "leader": ("领导", "负责人"), "official": ("领导", "干部"),
    "position": ("职务",), "post": ("职务",), "role": ("职务",),
    "reporter": ("记者",), "correspondent": ("通讯员",), "expert": ("专家",), "volunteer": ("志愿者",),
    "resident": ("居民", "市民"), "citizen": ("市民", "群众"), "farmer": ("农民", "果农", "农户"),
    "household": ("户",), "visitor": ("游客", "人次"), "tourist": ("游客",), "student": ("学生",),
    "teacher": ("教师", "老师"), "doctor": ("医生",), "patient": ("患者", "人次"), "phd": ("博士",),
    "job seeker": ("求职者",), "elderly": ("老年人", "老人"), "child": ("儿童",), "people": ("人", "人员", "群众"),
    "company": ("企业", "公司"), "enterprise": ("企业",), "employer": ("企业", "用人单位"), "unit": ("单位",),
    "department": ("部门",), "bureau": ("局",), "committee": ("委员会",), "government": ("政府",),
    "village": ("村",), "community": ("社区",), "street": ("街道",), "town": ("镇",), "district": ("区",),
    "city": ("市",), "county": ("县",), "province": ("省",),
    # places and facilities
    "hospital": ("医院",), "people's hospital": ("人民医院",), "internet hospital": ("互联网医院",),
    "school": ("学校", "中小学", "校园"), "campus": ("校区",), "accommodate": ("容纳",), "university": ("大学",),
    "kindergarten": ("幼儿园",), "canteen": ("食堂",),
    "park": ("公园",), "wetland": ("湿地",), "wetland park": ("湿地公园",), "river": ("河",),
    "science city": ("科技城",), "industrial park": ("产业园",), "base": ("基地",), "center": ("中心",),
    "centre": ("中心",), "station": ("站",), "checkpoint": ("检查站",), "fire checkpoint": ("防火检查站",),
    "forest": ("林区", "森林"), "entrance": ("入口",), "road": ("路",), "site": ("现场", "地点"),
    "place": ("地点", "地方", "学位"), "location": ("地点",), "venue": ("地点", "场所"),
    "nursing home": ("敬老院", "养老院"), "elderly care": ("养老",), "elderly care service": ("养老服务",),
    "human resources market": ("人力资源市场",), "residential compound": ("小区",), "compound": ("小区",),
    "old residential compound": ("老旧小区",), "market": ("市场",), "orchard": ("果园", "樱桃园"),
    # projects, money and measures
    "project": ("项目",), "key project": ("重点项目",), "fund": ("基金", "资金"), "guidance fund": ("引导基金",),
    "industrial": ("产业",), "industry": ("产业", "行业"), "money": ("资金",), "funding": ("资金",),
    "invest": ("投资", "投入"), "investment": ("投资", "投入"), "spend": ("投入", "花费"), "cost": ("投资", "费用"),
    "budget": ("预算",), "revenue": ("收入", "营收"), "income": ("收入",), "sale": ("销售",), "sales": ("销售",),
    "price": ("价格", "门票"), "ticket": ("门票",), "fee": ("费用",), "subsidy": ("补贴",), "loan": ("贷款",),
    "gdp": ("地区生产总值", "生产总值"), "growth": ("增长",), "grow": ("增长",), "rise": ("增长", "提高"),
    "increase": ("增长", "增加", "提高"), "target": ("目标",), "goal": ("目标",), "rate": ("率",),
    "scale": ("规模",), "size": ("规模",), "area": ("面积",), "heating": ("供热",), "central heating": ("集中供热",),
    "number": ("数量",), "total": ("总", "共"), "value": ("产值",), "output": ("产值", "产量"),
    "carry": ("实施",), "implement": ("实施", "落实"), "plan": ("计划",), "launch": ("启动",),
    "start": ("启动", "开工"),
    "open": ("开幕", "开放", "开通", "上线", "启用"), "go online": ("上线",), "online": ("上线", "线上"),
    "end": ("持续至", "结束"),
    "last": ("持续",), "close": ("闭幕", "结束"), "complete": ("完工", "完成", "建成"), "finish": ("完成", "完工"),
    "build": ("建设", "建成", "新建"), "construction": ("建设", "施工"), "renovate": ("改造",),
    "renovation": ("改造",),
    "upgrade": ("改造", "提升"), "restoration": ("修复",), "restore": ("修复",), "repair": ("修复", "抢修"),
    "phase": ("期",), "second phase": ("二期",), "first phase": ("一期",), "add": ("新增",),
    "new": ("新增", "新建", "新"),
    "set": ("设置", "设立"), "establish": ("设立", "建立", "组建"), "create": ("设立", "新增"),
    "receive": ("接诊", "接待", "收到"), "treat": ("接诊",), "serve": ("服务",), "send": ("选派", "派"),
    "select": ("选派", "评选"), "sign": ("签署", "签订"), "agreement": ("协议",), "cooperation": ("合作",),
    "release": ("发布",), "issue": ("印发", "发布"), "announce": ("发布", "宣布"), "publish": ("发布",),
    "measure": ("措施", "举措"), "policy": ("政策",), "plan document": ("方案",), "regulation": ("条例",),
    "find": ("发现",), "problem": ("问题",), "hazard": ("隐患",), "rectify": ("整改",), "accident": ("事故",),
    "safety": ("安全",), "work safety": ("安全生产",), "food safety": ("食品安全",), "fire": ("防火", "火灾"),
    "flood": ("防汛", "洪"), "flood control": ("防汛",), "emergency": ("应急",), "rescue": ("救援", "抢险"),
    "livelihood": ("民生",), "livelihood project": ("民生实事",), "business environment": ("营商环境",),
    "urban renewal": ("城市更新",), "urban management": ("城市管理",), "renewal": ("更新",),
    "management": ("管理",), "action": ("行动",), "campaign": ("行动", "活动"), "activity": ("活动",),
    "festival": ("节", "文化节"), "culture festival": ("文化节",), "carnival": ("嘉年华",),
    "ice and snow": ("冰雪",), "job fair": ("招聘会",), "spring": ("春季",), "job": ("岗位", "就业"),
    "employment": ("就业",), "cherry": ("樱桃",), "tea": ("茶",), "water": ("水",), "quality": ("质量",),
    "food": ("食品",), "meal": ("助餐",), "service": ("服务",), "elderly care services": ("养老服务",),
    "degree": ("学位",), "school place": ("学位",), "bird": ("鸟类",), "species": ("种",),
    # time words (numbers and dates are read by text/numerals)
    "year": ("年",), "last year": ("去年",), "this year": ("今年",), "next year": ("明年",), "each year": ("每年",),
    "every year": ("每年",), "per year": ("每年",), "annually": ("每年",), "day": ("天", "日"), "per day": ("每天",),
    "each day": ("每天",), "daily": ("每天",), "first day": ("首日",), "month": ("月",), "week": ("周",),
    "quarter": ("季度",), "quarterly": ("季度",), "half year": ("半年",), "half-year": ("半年",),
    "first half": ("上半年",), "second half": ("下半年",), "year-end": ("年底",), "end of the year": ("年底",),
    "at present": ("目前",), "so far": ("目前", "截至目前"),
    # quantity words
    "highest": ("最高",), "lowest": ("最低",), "temperature": ("气温",), "population": ("人口",),
    "two": ("两", "二"), "three": ("三",), "four": ("四",), "five": ("五",), "six": ("六",), "seven": ("七",),
    "eight": ("八",), "nine": ("九",), "ten": ("十",),
    # the economy and government work (work reports, promotion meetings, plenary sessions)
    "economy": ("经济",), "economic": ("经济",), "economic work": ("经济工作",), "development": ("发展",),
    "develop": ("发展",), "high-quality development": ("高质量发展",), "industrial development": ("产业发展",),
    "work": ("工作",), "task": ("任务",), "indicator": ("指标",), "responsibility": ("责任",),
    "promote": ("推进", "推动", "促进"), "advance": ("推进",), "progress": ("进展", "推进"),
    "deploy": ("部署",), "deployment": ("部署",), "arrangement": ("安排", "部署"),
    "investment promotion": ("招商引资", "招商"), "attract investment": ("招商引资",), "consumption": ("消费",),
    "transformation": ("转型",), "upgrading": ("升级",), "innovation": ("创新",), "technology": ("科技", "技术"),
    "science and technology": ("科技",), "manufacturing": ("制造业",), "service industry": ("服务业",),
    "agriculture": ("农业",), "tourism": ("旅游",), "culture": ("文化",), "ecology": ("生态",),
    "ecological": ("生态",), "environment": ("环境",), "environmental protection": ("环保", "环境保护"),
    "pollution": ("污染",), "protection": ("保护",), "supervision": ("督导", "监督"), "rectification": ("整改",),
    "risk": ("风险",), "prevention": ("防范", "预防"), "control": ("管控", "防控"), "disaster": ("灾害",),
    "fire protection": ("消防",), "fire safety": ("消防",), "traffic": ("交通",), "transport": ("交通", "运输"),
    "housing": ("住房", "安置房"), "resettlement": ("安置",), "resettlement housing": ("安置房",),
    "construction site": ("工地", "建筑工地"), "warehouse": ("仓库",), "scenic area": ("景区",),
    "scenic spot": ("景区", "景点"), "railway station": ("火车站",), "train station": ("火车站",),
    "shopping": ("购物",), "research institute": ("研究所", "研究院"), "institute": ("研究所", "研究院"),
    "research": ("调研", "研究"), "machinery": ("机械",), "party school": ("党校",), "graduate": ("结业", "毕业"),
    "graduation": ("结业", "毕业"), "training class": ("培训班",), "teaching": ("教学",),
    "on-site": ("现场",), "on-site teaching": ("现场教学",), "arrange": ("安排", "设置"),
}

# Meetings by kind: district news names a meeting by what it does (推进会, 座谈会, 动员会). Spelled out
# rather than composed, since English puts the kind before "meeting" and Chinese after the topic.
LEXICON.update({
    "promotion meeting": ("推进会",), "work promotion meeting": ("工作推进会", "推进会"),
    "mobilization meeting": ("动员会", "动员大会"), "deployment meeting": ("部署会",),
    "summary meeting": ("总结会",), "review meeting": ("总结会", "点评会"), "launch meeting": ("启动会",),
    "kick-off meeting": ("启动会",), "on-site meeting": ("现场会",), "symposium": ("座谈会",),
    "seminar": ("座谈会", "研讨会"), "discussion": ("座谈",), "briefing": ("通报会",),
    "press conference": ("新闻发布会", "发布会"), "work conference": ("工作会议",), "executive meeting": ("常务会议",),
    "study session": ("学习会",), "theoretical study": ("理论学习",),
})

# Ordinals and quarters, one table: second -> 第二 (or 二, as in 二期), the second quarter -> 二季度
# or 第二季度, Q2 -> the same; "second-quarter" as written before a noun.
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_DIGITS = "一二三四五六七八九十"
for _n, (_word, _digit) in enumerate(zip(_ORDINALS, _DIGITS), start=1):
    LEXICON[_word] = ("首", "第一") if _n == 1 else (_digit, f"第{_digit}")
    if _n <= 4:  # noqa: PLR2004  # a year has four quarters
        _quarter = (f"{_digit}季度", f"第{_digit}季度")
        LEXICON.update({f"{_word} quarter": _quarter, f"{_word}-quarter": _quarter, f"q{_n}": _quarter})

# Nouns that make "what is the X" a question for a number (Chinese: X是多少).
NUMBER_NOUNS = frozenset("""
income revenue investment cost price fee budget scale size area growth rate target value output
number total amount population temperature sales subsidy
""".split())

# The measure word a Chinese question puts between 多少 and the noun it counts (多少个小区, 多少名博士):
# the answer model reads it as the unit the count must carry (extractive/items.py). Nouns not here are
# asked without one (no unit required).
MEASURES: dict[str, str] = {
    **dict.fromkeys("项目 小区 老旧小区 问题 学位 科目 社区 村 中心 实验室 岗位 科室 重点项目 科目".split(), "个"),
    **dict.fromkeys("博士 医生 代表 学生 教师 志愿者 求职者 老人 老年人 人员 特派员 科技特派员 记者".split(), "名"),
    **dict.fromkeys("企业 公司 单位 餐饮场所 医院".split(), "家"),
    **dict.fromkeys("学校 中小学 幼儿园".split(), "所"),
    **dict.fromkeys("检查站 防火检查站 隐患 救助点".split(), "处"),
    **dict.fromkeys("居民 农户 种植户".split(), "户"),
}

# English of the units a glossed number carries (12.7亿元 -> 1.27 billion yuan), longest first.
UNITS: tuple[tuple[str, str], ...] = (
    ("万平方米", "square metres"), ("平方米", "square metres"), ("立方米", "cubic metres"), ("平方公里", "square km"),
    ("公里", "km"), ("公顷", "hectares"), ("亿美元", "US dollars"), ("美元", "US dollars"), ("元", "yuan"),
    ("人次", "visits"), ("户", "households"), ("名", "people"), ("人", "people"), ("家", "organisations"),
    ("所", "schools"), ("个", ""), ("项", "items"), ("处", "sites"), ("条", "items"), ("座", ""), ("亩", "mu"),
    ("株", "plants"), ("种", "species"), ("天", "days"), ("小时", "hours"), ("分钟", "minutes"), ("米", "metres"),
    ("℃", "°C"), ("%", "%"),
)
