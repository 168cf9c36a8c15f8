"""Answer items: the names, numbers, dates and places in a sentence that could be what a question asks
for, and whether each one fits the question (its year, kind, unit and role in the sentence).

Spans are (start, end, text) in terms.key(sentence). extractive.py decides which sentence to quote;
this module only reads one sentence at a time.
"""

from __future__ import annotations

import re

from bulletin_qa.answering.question import Query
from bulletin_qa.names.people import ROLE_ENDS
from bulletin_qa.text.chars import HAN, HAN_RE, all_han
from bulletin_qa.text.numerals import CN_NUM, DATE_PATTERNS, extract_dates
from bulletin_qa.text.words import key, tagged

Span = tuple[int, int, str]

_NUMBER = re.compile(rf"\d+(?:[.,]\d+)*\s*(?:万|亿)?\s*[%‰]?|[{CN_NUM}]{{2,}}|[{CN_NUM}](?=[个人名位次项家所条件场届期批岁天块])")
PLACE_ENDS = ("省", "市", "县", "区", "镇", "乡", "村", "街道", "路", "园", "馆", "中心", "广场", "站", "港", "景区", "大厅",
              "教堂", "体育场")
PLACE = re.compile(rf"[{HAN}]{{2,8}}?(?:{'|'.join(PLACE_ENDS)})")
_LONGEST_PLACE = 10  # 百年德化风情购物|公园 has 9 before its 园
ORG_ENDS = ("有限公司", "公司", "集团", "研究所", "研究院", "大学", "学院", "小学", "中学", "学校", "幼儿园", "医院",
            "银行", "委员会", "协会", "管委会", "政府")
# Characters a body's name does not run back over: the word before it (由|青湖冰艺有限公司, 送往|人民医院).
_BEFORE_BODY = frozenset("的由在被往到是为和与及把将从向对给让于经请据以或哪什么")
_LONGEST_BODY = 12
CLAUSE_END = re.compile(r"[，,；;：:。（(]")
# 在/于 introduce a place; not 属于, 对于, 关于, 由于, 等于 (冠军属于中国队).
LOCATIVE = re.compile(r"在|(?<![属对关由等归终免])于|[到往]|地点[是为在]?|位于|举行地")
_VENUE = re.compile(r"在|(?<![属对关由等归终免])于")
# A year the value refers to: not a birth year, a starting point or a baseline (2003年出生,
# 2010年以来, 从2020年起, 比2020年); 自2019年在洛阳首次举办 dates the event in 洛阳.
# 2023春节档 and 2022-23赛季 name years too; 2000万, 2022点 and 2022.5 are amounts ("2023 ..." is not).
_YEAR = re.compile(r"(?<![\d比较与.])((?:19|20)\d{2})(?![.,]\d)(?![\d万亿千百多余点人元名个位次辆台吨斤米%‰])"
                   r"(?!\s*年(?:龄|出生|生|以来|起|开始))")
# Questions whose answer is a share or a change: a percentage answers them.
_RATE = re.compile(r"率|占|比例|比重|占比|份额|百分|增长|增幅|增速|下降|降幅|减少|上涨|下跌|涨幅|跌幅|幅度|提高|降低")
# Questions asking for a share or a rate: only a percentage answers them (出生率 6.5‰, not 1.2万人).
# 汇率, 频率, 功率 and 效率 are measured in other units.
_SHARE_ASKED = re.compile(r"(?<![汇频功效])率|比例|比重|占比|百分比|份额")
_SHARE = re.compile(r"\s*(?:成|个?百分点)")
# A change written right before its value (增加1.4公斤); 增长到 / 增加为 give the new level instead.
_CHANGE = re.compile(r"(?:增加|减少|增长|下降|上升|提高|降低|多出)了?(?:约|近|超过|逾)?$")
_THRESHOLD = re.compile(r"\s*[^\d，。；,;]{0,4}?(?:以上|以下|以内)")
_RATIO = re.compile(r"\s*(?:倍|个百分点|百分点)")
_DURATION = re.compile(r"\s*(?:年|个月|天|小时|分钟|周)")
_DURATION_ASKED = re.compile(r"多久|多长时间|[几多少]+(?:年|天|个月|小时|分钟|周)|年限|期限|时长|天数")
_ASKED_UNIT = re.compile(r"(?:多少|几)(美元|欧元|英镑|日元|港元|元|钱|人次|人|名|位|个|辆|台|架|艘|吨|斤|件|部|家|支|座|场|届|项|条|所|户|种|枚|次)")
_MONEY = ("元", "美元", "欧元", "英镑", "日元", "港元", "人民币")
_UNIT_GROUPS = {"钱": _MONEY, "元": _MONEY, "人": ("人", "名", "位"), "名": ("人", "名", "位"),
                "位": ("人", "名", "位"), "个": ("个", "支", "家", "名", "项")}
# A title: what follows a clause break or an enumeration comma up to a role word (区委常委、【常务副区长】、
# 区防汛抗旱指挥部【常务副指挥长】屈连武).
_TITLE_RUN = re.compile(r"(?:(?<=[、，,；;：:。（(\s])|^)[^、，,；;：:。（()\s]{0,14}?(?:"
                        + "|".join(map(re.escape, ROLE_ENDS)) + ")")
_LIST_SEP = re.compile(r"、|以及|\band\b")
_QUOTED = re.compile(r"“[^”]{1,40}”|《[^》]{1,40}》|「[^」]{1,40}」")
_TITLE = re.compile(r"《[^》]{1,40}》")
# jieba tags: nr person (nrfg, nrt: other person-name tags), nt organisation, ns place, nz other proper noun.
_PEOPLE = {"nr", "nrfg", "nrt", "nt"}
_PERSON = {"nr", "nrfg", "nrt"}  # people only: an answer far from the slot must be a name, not 新华社
# A count or amount written with its unit: 44名, 2500万人次, 193.8亿元, 687亿美元, 6.4%.
_UNIT = re.compile(r"\s*[万亿千百余多]*\s*(?:[%‰]|美元|欧元|英镑|日元|港元|人民币|[个名位人次元辆台架艘吨斤件部家支座场届项条所户块种只头篇枚株亩米里岁天年月日周小时分秒点倍股])")
# A number before these labels names a thing, it counts nothing: 招商公园1872项目, 3年级, 19号线, 5号楼.
_LABEL = re.compile(r"\s*(?:项目|年级|号线|号楼|号院)")
_TEAM_WORDS = ("冠军",)  # 中超冠军 may be a club (山东泰山), tagged as a place
_ITEM_TAGS = {"who": {"nr", "nrfg", "nrt", "nt", "ns"}, "where": {"ns", "nt"},
              "name": {"nr", "nrfg", "nrt", "nt", "ns", "nz", "eng"}}
# jieba tags some one-character nouns as verbs (组 in U12组); these one-character verbs do link a name to a title.
_SHORT_VERBS = "是为获夺任当成"


# 哪家公司 / 哪所学校 / 什么单位 asks for an item of that kind: the names whose head may answer it.
# 单位 and 机构 take any organisation; a company may be a 集团, a school a 小学. Written by us.
_ANY_BODY = ("公司", "集团", "企业", "厂", "局", "委", "委员会", "院", "所", "中心", "政府", "医院", "学校", "小学",
             "中学", "大学", "学院", "幼儿园", "银行", "协会", "站", "队", "办", "社", "馆", "部")
ASKED_HEADS: dict[str, tuple[str, ...]] = {
    "公司": ("公司", "集团"), "企业": ("公司", "集团", "企业", "厂"), "单位": _ANY_BODY, "机构": _ANY_BODY,
    "医院": ("医院", "卫生院"), "学校": ("学校", "小学", "中学", "大学", "学院", "幼儿园"), "大学": ("大学", "学院"),
    "银行": ("银行",), "酒店": ("酒店", "宾馆", "饭店"), "工厂": ("厂",)}
_ASKED_HEAD = re.compile(r"(?:哪一?[家个所间座]|什么)(" + "|".join(ASKED_HEADS) + ")")


def bodies(text: str, ends: tuple[str, ...] = ORG_ENDS, longest: int = _LONGEST_BODY,
           words: list[tuple[int, int, str, str]] | None = None) -> list[Span]:
    """Names of bodies (companies, schools, hospitals, offices) or places ending in one of `ends`: the
    Chinese characters before the ending, back to a function word or a break, less a verb opening it, 2 to `longest` of
    them, a place ending where a word ends (冰雕由|青湖冰艺有限公司制作 -> 青湖冰艺有限公司; 先后到|柳荫街道;
    not 确保|全区, nor 政治站 of 政治站位). `words` is tagged(text), when already computed."""
    out: list[Span] = []
    pattern = "|".join(map(re.escape, sorted(ends, key=len, reverse=True)))
    for m in re.finditer(pattern, text):
        words = tagged(text) if words is None else words
        if ends == PLACE_ENDS and m.end() not in {b for _, b, _, _ in words}:
            continue  # 站 of 站位, 区 of 区域: a place's last character ends a word (小学 of 小学校长 need not)
        start = m.start()
        while start > 0 and m.start() - start < longest and HAN_RE.fullmatch(text[start - 1]) \
                and text[start - 1] not in _BEFORE_BODY:
            start -= 1
        for a, b, _, flag in words:  # a verb opening the run is not part of the name (确保|全区)
            if a == start and b <= m.start() and flag.startswith("v"):
                start = b
        if m.start() - start >= 2:  # noqa: PLR2004 - a bare 公司 or 全区 names no body
            out.append((start, m.end(), text[start:m.end()]))
    return out


def asked_head(question: str) -> str:
    """The kind of body a which-question asks for (哪家公司 -> 公司, 哪所学校 -> 学校), or ''."""
    m = _ASKED_HEAD.search(key(question))
    return m.group(1) if m else ""


def _merge_surnames(words: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Join a one-character surname jieba split off (李 + 爱国) into one person name (李爱国)."""
    out: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(words):
        a, b, w, flag = words[i]
        if flag == "nr" and len(w) == 1 and i + 1 < len(words):
            a2, b2, w2, _ = words[i + 1]
            if a2 == b and 1 <= len(w2) <= 2 and all_han(w2):
                out.append((a, b2, w + w2, "nr"))
                i += 2
                continue
        out.append(words[i])
        i += 1
    return out


def answer_items(query: Query, sentence: str) -> list[Span]:
    """Spans of what the question asks for (numbers, dates, names, places), not already in it."""
    text, qkey = key(sentence), key(query.text)
    kind = query.qtype
    head = asked_head(query.text)
    ends = ASKED_HEADS[head] if head else ()
    spans: list[Span] = []
    if kind == "number":
        _, undated = extract_dates(text)  # 2012年 is a date, not the count asked for
        # "1）" numbers a list item, "03合同段" is a code and 1872项目 a name, not a quantity.
        spans = [(m.start(), m.end(), m.group(0).strip()) for m in _NUMBER.finditer(undated)
                 if undated[m.end():m.end() + 1] not in ")）" and m.group(0).strip() and not _LABEL.match(undated, m.end())
                 and not re.match(r"0\d", m.group(0).strip())]
    elif kind == "when":
        for pattern, _ in DATE_PATTERNS:
            spans += [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    elif kind in _ITEM_TAGS:
        every = tagged(text)
        words = [(a, b, w, flag) for a, b, w, flag in _merge_surnames(every) if len(w) >= 2]
        spans = [(a, b, w) for a, b, w, flag in words if flag in _ITEM_TAGS[kind]]
        if kind == "who":  # a person or organisation answers "who"; a place only for teams and countries
            people = [(a, b, w) for a, b, w, flag in words if flag in _PEOPLE]
            teams = any(t in slot for slot in query.slots for t in _TEAM_WORDS)
            spans = people if (people or not teams) else spans
        # People are not quoted; works (《青湖故事》 won 票房冠军), slogans and names of things are.
        quoted = _TITLE if kind == "who" else _QUOTED
        spans += [(m.start(), m.end(), m.group(0)[1:-1]) for m in quoted.finditer(text)]
        if kind == "where":
            spans += bodies(text, PLACE_ENDS, _LONGEST_PLACE, every)  # 到|柳荫街道, not 林若溪先后到柳荫街道
        spans += bodies(text, ends or ORG_ENDS, words=every)
    elif kind == "title":
        spans = [(m.start(), m.end(), m.group(0)) for m in _TITLE_RUN.finditer(text)]
    elif kind == "list":
        spans = [(m.start(), m.end(), "") for m in _LIST_SEP.finditer(text)]
    # An item repeating the question (卫冕冠军 for 冠军) is not its answer; a body of the asked kind
    # is what the answer must be, even sharing a word with the question (青湖冰艺公司 for 青湖冰雪节's 哪家公司).
    # A place is named by its own words: 会议中心 answers where a 会议 was held.
    asked = [t.word for t in query.terms if t.word != head]
    named = ends or (PLACE_ENDS if kind == "where" else ())
    return [s for s in spans if not s[2] or (s[2] not in qkey and (
        (named and s[2].endswith(named)) or not any(w in s[2] for w in asked)))]


def typed_items(query: Query, text: str, items: list[Span]) -> list[Span]:
    """The items that are unmistakably of the asked type: a place after 在/于/地点, a person's name,
    a quoted name, a number with its unit (44名, 193.8亿元), a date."""
    kind = query.qtype
    if kind == "where":
        return [i for i in items if LOCATIVE.search(text[max(0, i[0] - 4):i[0]])]
    if kind == "who":
        people = {w for _, _, w, flag in _merge_surnames(tagged(text)) if flag in _PERSON}
        return [i for i in items if i[2] in people or _TITLE.fullmatch(text[i[0]:i[1]])]
    if kind == "name":
        head = asked_head(query.text)  # a body of the kind asked for (哪家公司: 青湖冰艺有限公司)
        return [i for i in items if _QUOTED.fullmatch(text[i[0]:i[1]]) or (head and i[2].endswith(ASKED_HEADS[head]))]
    if kind == "number":
        return [i for i in items if with_unit(text, i[1]) > i[1]]
    return items if kind == "when" else []


def same_clause(text: str, a: int, b: int, s: int, e: int) -> bool:
    """No clause break (，；：。) between an item at a..b and a slot word at s..e."""
    return not CLAUSE_END.search(text, min(a, s), max(b, e))


def value_between(found: list[Span], item: Span, s: int, e: int) -> bool:
    """Another value stands between an item and the slot word at s..e: the slot's value is that nearer one
    (吞吐量1000万吨以上的泊位共有3个: 3 counts berths)."""
    a, b, _ = item
    lo, hi = (b, s) if b <= s else (e, a)
    return any(lo <= x and y <= hi for x, y, w in found if w)


def modifies(text: str, item: Span, slots: list[tuple[int, int]]) -> bool:
    """A name written before the slot noun with no verb between is part of that noun phrase, not its value:
    林若溪少年组冠军奖 names a prize, not the champion; 陈明远夺得冠军 and 林若溪将担任旗手 do."""
    a, b, _ = item
    after = [(s, e) for s, e in slots if s >= b]
    if not after or any(e == a for _, e in slots):
        return False  # 冠军张三: the name follows its title
    s, e = min(after)
    between = text[b:s]
    if not between or _LIST_SEP.search(between) or "和" in between:
        return False  # 张新成主演; 杨紫、成毅领衔主演 lists the cast
    return not CLAUSE_END.search(between) and not any(
        flag.startswith("v") and (len(w) >= 2 or w in _SHORT_VERBS) for _, _, w, flag in tagged(text[b:e]))


def asked_years(query: Query) -> set[int]:
    """The years a question asks about: 2021年, and 2023 written before a name (2023青湖读书节)."""
    return {d.year for d in query.dates if d.year} | {int(m.group(1)) for m in _YEAR.finditer(key(query.text))}


def years_in(text: str) -> set[int]:
    """The years a text states as years (2021年, 2023青湖读书节), not counts or amounts (2021人, 2000万)."""
    return {int(m.group(1)) for m in _YEAR.finditer(text)}


def last_year(text: str, at: int) -> int | None:
    years = [int(m.group(1)) for m in _YEAR.finditer(text, 0, at)]
    return years[-1] if years else None


def item_year(text: str, item: Span, lead: str = "") -> int | None:
    """The year a value belongs to: its own (2021年4月), else the last year written before it in its
    sentence (2020年…6.1‰ -> 2020), else the last one in `lead`, the text before the sentence."""
    own = [d.year for d in extract_dates(item[2])[0] if d.year]
    if own:
        return own[0]
    year = last_year(text, item[0])
    return year if year is not None else last_year(lead, len(lead))


def counted(question: str) -> str:
    """What a how-many question counts, the noun after its classifier (多少名护士 -> 护士, 几个科目 -> 科目);
    '' when it names none (多少人, 多少万元)."""
    text = key(question)
    m = _ASKED_UNIT.search(text)
    if not m:
        return ""
    words = tagged(text[m.end():m.end() + 8])
    word, flag = (words[0][2], words[0][3]) if words else ("", "")
    return word if flag.startswith("n") and len(word) >= 2 and all_han(word) else ""


def _asked_unit(asked: str) -> tuple[str, ...]:
    """The units a count must carry when the question names one (多少美元, 几个, 多少人), else ()."""
    m = _ASKED_UNIT.search(asked)
    if not m:
        return ()
    unit = m.group(1)
    return _UNIT_GROUPS.get(unit, (unit,))


def _fits_number(asked: str, text: str, item: Span) -> bool:
    """A number fits a how-many question: not a threshold, share, change, unit price or duration
    unless asked for one, and in the unit the question names."""
    a, b, word = item
    after = text[b:b + 8]
    if word == "一" or _THRESHOLD.match(after):
        return False  # 一个原因 is an article, 1000万人次以上 a threshold: neither is a count
    percent = bool(re.search(r"[%‰]", word))
    if _SHARE_ASKED.search(asked) and not (percent or _SHARE.match(after)):
        return False  # 出生率 is 6.5‰, not 1.2万人
    if not _RATE.search(asked) and (percent or _RATIO.match(after) or _CHANGE.search(text[max(0, a - 8):a])):
        return False  # 销量 is counted in 辆: not 34%, 2.5倍, nor a change (比上年增加1.4公斤)
    if "每" not in asked and "每" in text[max(0, a - 6):a]:
        return False  # 每股90美元 is a unit price, not the total asked for
    if not _DURATION_ASKED.search(asked) and _DURATION.match(after):
        return False  # 连续7年 says how long, not how much
    units = _asked_unit(asked)
    return not units or re.sub(r"^\s*[万亿千百余多]*\s*", "", after).startswith(units)  # 4200余名


def fits(query: Query, text: str, item: Span, lead: str = "") -> bool:
    """An item fits the question: its year is the asked one, a number is of the asked kind and unit,
    a who/which answer is not the venue (在泰国), a which-body answer is a body of the asked kind
    (哪家公司: a name ending 公司 or 集团).

    RGB's distractors are often the same event in another year (2022年的出生率为6.1‰ against
    a question on 2023): the value belongs to the year written last before it, in its sentence or,
    when the sentence names none, in the sentences before it (`lead`).
    """
    a = item[0]
    head = asked_head(query.text)
    if head and not item[2].endswith(ASKED_HEADS[head]):
        return False  # 哪家公司 is not answered by “清川门”, nor 哪所学校 by a company
    years = asked_years(query)
    if years and item_year(text, item, key(lead)) not in (None, *years):
        return False
    if query.qtype == "number" and not _fits_number(key(query.text), text, item):
        return False
    return not (query.qtype in ("who", "name") and _VENUE.search(text[max(0, a - 1):a]))


def with_unit(text: str, end: int) -> int:
    """The end of a number's span extended over its unit (12 -> 12个, 1.2 -> 1.2万平方米 stops at 万平;
    1872项目 has none: the number names the project)."""
    m = _UNIT.match(text, end)
    return m.end() if m and not _LABEL.match(text, end) else end
