"""People in Chinese news text, found the way the news names them: title + name, bylines, lists.

Officials appear as a title followed by the name (区委书记樊惠林, 区长虎荣鑫, 总经理李爱国),
reporters after 记者/通讯员/实习生. A candidate after such a role word is a person when

    it starts with a known surname     (pinyin.SINGLE_SURNAMES / COMPOUND_SURNAMES: 虎, 吕, 欧阳 ...)
    its given name is 1-2 characters   none of them a function or institution character (的, 区, 局 ...)
    a boundary follows it              punctuation, a word that follows names in news copy
                                       (强调, 主持, 通报, 汇报, 陪同, 到, 等 ...) or any word jieba
                                       cuts of two characters or more (列席会议)

Three characters are tried before two (虎荣鑫 + 通报; 牛真汇 + 报 fails, so 牛真 + 汇报). Names
listed after an anchored one (区领导屈连武、曹宪武陪同) share its title. A name learned once is
found at every later mention (`find_people(text, known=...)`), and jieba is given the learned
names (text/words.add_names) so segmentation keeps them whole.

Why not jieba's part-of-speech tags: on the real Erqi page they cut rare surnames off (荣鑫 for
虎荣鑫, 安民 for 吕安民) and tag ordinary words as people (牛鼻子, 满堂红, 保驾护航); 9 of 27
proposed "people" were people. A common word is not a name because jieba tagged it nr.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bulletin_qa.names.pinyin import COMPOUND_SURNAMES, has_surname
from bulletin_qa.text.chars import HAN_RE, all_han

# What a title ends with, right before the name. Longest first so 总经理 wins over 经理.
ROLE_ENDS = sorted("""书记 副书记 常委 区长 市长 县长 省长 镇长 乡长 局长 院长 校长 所长 部长 处长 科长 站长 行长 社长
    会长 理事长 秘书长 组长 队长 村长 指挥长 检察长 庭长 馆长 台长 团长 厂长 股长 主任 主席 委员 经理 总经理 董事长
    总裁 总监 主管 记者 通讯员 实习生 区领导 市领导 县领导 负责人 书记员 教授 院士 专家 医生 民警 老师 主持人
    代表 党员 干部 网格员 志愿者 同志 工作人员 村民 居民 市民""".split(), key=len, reverse=True)  # noqa: SIM905 - a word list reads better
# Roles after which a space may separate the name (bylines: 记者 陆晴 通讯员 马骏).
_SPACED_ROLES = frozenset({"记者", "通讯员", "实习生"})
# Words that follow a name in news copy. Two characters or more unless they are common particles.
FOLLOWERS = tuple(sorted("""强调 主持 通报 表示 介绍 要求 指出 出席 参加 陪同 带队 带领 汇报 进行 讲话 代表 作 宣读
    致辞 传达 部署 听取 调研 考察 察看 检查 督导 参观 会见 接见 看望 慰问 走访 主讲 发言 提出 希望 认为 宣布 点评
    总结 先后 分别 详细 随后 一同 共同 一行 同志 率 率队 说 到 在 对 为 与 和 及 等 就 也 还 向 赴 来 前往 深入
    带 作了 作出 指示 批示 签署 签约 出发 主动 亲自 现场 围绕 同 跟 会同 专题 首先 最后 再次 又 回答 解读 谈 称
    坦言 告诉 透露 接受 看到 感慨 笑着 表态 代表团 报道 摄 文 图 同时 则 都 也是 是""".split(), key=len,  # noqa: SIM905 - a word list reads better
                          reverse=True))
# Characters that never stand in a given name: particles, verbs of the copy, institution words.
NOT_GIVEN = frozenset("的了在是与及等对把被从向将就都也还这那其该此们个年月日号区市县镇乡委局厅处所部院会办组队某党"
                      "讲说要和并或为到由于以上下中")
_ROLE_SET = frozenset(ROLE_ENDS)
# One-character words that follow names (徐涛作座谈) and seldom end one.
WEAK_FINAL = frozenset("作到在对等说率赴向也还就是又称则都跟")
# A middle dot joins the parts of a transliterated foreign name (安德松·托雷斯): no Chinese name ends there.
_FOREIGN_JOIN = frozenset("·•‧・")
# Surnames that are also everyday function words or verbs (党员和群众, 记者从知情人士, 同志任吉安市委书记,
# 代表齐聚一堂): after a role word they are read as the word, so a name with one of them is found
# only from a byline or once known. Chosen on the first held-out news sample (benchmarks/RESULTS-evals.md).
FUNCTION_SURNAMES = frozenset({"和", "从", "任", "齐", "第五", "同", "向", "于", "以", "及", "把", "对", "由", "将",
                               "在", "给", "跟", "比", "为", "与", "让", "被", "自", "据", "经"})
_ROLE = re.compile("|".join(map(re.escape, ROLE_ENDS)))
# Where a title phrase starts: after punctuation, or after a word that opens a clause (并与, 由 ...).
_PHRASE_CUT = re.compile(r"[，。；：！？、“”‘’（）《》\s,.;:!?()]")
_LEADING = re.compile(r"^(?:会上|随后|同时|其中|并与|并|与|和|同|由|在|经|对|向|据|及|以及|是|为)")
_HEAD_PUNCT = "，。；：！？“”（）,.;:!?() \t\n"


@dataclass(frozen=True)
class Mention:
    """One mention of a person: the name, its span, the title phrase it came with and how it was found."""

    name: str
    start: int
    end: int
    title: str = ""
    how: str = "title"  # title | byline | list | known


def boundary(text: str, pos: int) -> int:
    """How surely a name may end at `pos`: 3 end of text, punctuation, a follower word of two characters
    or more, or a verb/adverb/preposition/conjunction/adjective jieba cuts there (校对, 共同); 2 any
    other word of two characters or more (列席会议 n); 1 a one-character follower (到, 等); 0 no
    boundary (a rest starting with a lone character: 周密 | 部署 -> 周密部 | 署)."""
    if pos >= len(text) or not HAN_RE.match(text[pos]):
        return 3
    follower = next((f for f in FOLLOWERS if text.startswith(f, pos)), "")
    if len(follower) >= 2:
        return 3
    from bulletin_qa.text.words import tagged

    first = tagged(text[pos:pos + 8])[:1]  # the next word lies within a few characters
    if first and first[0][0] == 0 and len(first[0][2]) >= 2 and first[0][3][:2] not in ("nr", "x"):
        # A verb, adverb or the like (校对, 共同) is a surer boundary than a noun jieba glued from the
        # name's last character and a particle (骆旭东和 -> 东和 ns, 鲍华安及 -> 安及 ns).
        return 3 if first[0][3][:1] in "vdpca" else 2
    return 1 if follower else 0


def is_boundary(text: str, pos: int) -> bool:
    """True when a name may end at `pos` (see `boundary`)."""
    return boundary(text, pos) > 0


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's dictionary: word frequencies and part-of-speech tags."""
    from bulletin_qa.text.words import load_jieba

    module = load_jieba()
    module.dt.check_initialized()
    import jieba.posseg as pseg  # jieba ships no type hints (mypy: ignore_missing_imports)

    return module.dt.FREQ, pseg.dt.word_tag_tab


# A two-character candidate after a title that jieba's dictionary holds as an ordinary word (any
# tag but nr) is that word (区领导督导: 督导 n, 104), as is any word it holds this often whatever
# its tag. Names made of a surname and one character are rarely in the dictionary (彭浩, 牛真, 周祎,
# 马骏, 陆晴 are not); 高原 (ns, 3264) is, and is found as a person from the byline, which skips this.
COMMON_WORD_FREQ = 1000


def _ordinary_word(word: str) -> bool:
    from bulletin_qa.text.words import added_names

    if word in added_names():  # a name learned before and given to jieba, not a dictionary word
        return False
    freq, tags = _dictionary()
    tag = tags.get(word, "")
    return bool(freq.get(word)) and (not tag.startswith("nr") or freq[word] >= COMMON_WORD_FREQ)


def name_at(text: str, start: int, *, check_common: bool = True) -> str:
    """The person name starting at `start` (empty when none): surname, 1-2 given characters, boundary.

    The longer reading wins unless it ends only on a one-character follower and the shorter one on a
    verb or adverb (刘浏 | 校对 over 刘浏校 | 对; 徐进 | 共同 over 徐进共 | 同) or the longer one ends on
    a character that is a word of its own after names far more often than a name's last character
    (徐涛作座谈: 作).
    """
    lengths = (4, 3) if text[start:start + 2] in COMPOUND_SURNAMES else (3, 2)
    passed: list[tuple[str, int]] = []
    for length in lengths:
        candidate = text[start:start + length]
        if len(candidate) < length or not all_han(candidate):
            continue
        surname = 2 if length == 4 or (length == 3 and candidate[:2] in COMPOUND_SURNAMES) else 1
        if not has_surname(candidate) or any(ch in NOT_GIVEN for ch in candidate[surname:]):
            continue
        if check_common and candidate[:surname] in FUNCTION_SURNAMES:
            continue
        if candidate in _ROLE_SET or text[start + length:start + length + 1] in _FOREIGN_JOIN:
            continue
        strength = boundary(text, start + length)
        if not strength:
            continue
        if check_common and length == 2 and _ordinary_word(candidate):
            continue
        passed.append((candidate, strength))
    shorter_surer = len(passed) == 2 and passed[0][1] == 1 and passed[1][1] == 3
    if shorter_surer or (len(passed) == 2 and passed[0][0][-1] in WEAK_FINAL):
        return passed[1][0]
    return passed[0][0] if passed else ""


def title_before(text: str, end: int) -> str:
    """The title phrase ending at `end`: back to the clause start, without a leading connective."""
    start = end
    while start > 0 and text[start - 1] not in _HEAD_PUNCT and end - start < 40:  # 40: longer than any title
        start -= 1
    return _LEADING.sub("", text[start:end])


def find_people(text: str, known: Iterable[str] = (), bylines: Iterable[str] = ()) -> list[Mention]:
    """Every person mention of `text`: title-anchored names, names listed after them, bylines, known names."""
    taken = [False] * len(text)
    found: list[Mention] = []

    def add(mention: Mention) -> bool:
        if any(taken[mention.start:mention.end]):
            return False
        for i in range(mention.start, mention.end):
            taken[i] = True
        found.append(mention)
        return True

    names = sorted({n for n in (*known, *bylines) if len(n) >= 2}, key=len, reverse=True)
    if names:
        by_name = set(bylines)
        for m in re.finditer("|".join(map(re.escape, names)), text):
            add(Mention(m.group(), m.start(), m.end(), title_before(text, m.start()),
                        "byline" if m.group() in by_name else "known"))
    for role in _ROLE.finditer(text):
        start = role.end()
        if role.group() in _SPACED_ROLES:
            while start < len(text) and text[start] in " \u3000":
                start += 1
        name = name_at(text, start)
        if not name:
            continue
        title = title_before(text, role.end())
        # A title phrase starts after the last name before it: 区委书记周明远、清川大学校长梁启明.
        for earlier in found:
            if role.end() - len(title) < earlier.end <= role.end():
                title = text[earlier.end:role.end()].lstrip("、和与及")
        add(Mention(name, start, start + len(name), title, "title"))
        end = start + len(name)
        # A list after the name shares its title: 区领导屈连武、曹宪武陪同.
        while end < len(text) and text[end] == "、" and (listed := name_at(text, end + 1)):
            add(Mention(listed, end + 1, end + 1 + len(listed), title, "list"))
            end += 1 + len(listed)
    return sorted(found, key=lambda m: m.start)
