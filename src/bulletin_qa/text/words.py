"""Words of Chinese (and English) text through jieba: tokens, content words, IDF weights, tagged names.

Term weights are jieba's own IDF table (built from a large general Chinese corpus, shipped with
the package), so a question's terms are weighed against the language as a whole, not against the
handful of articles that happen to be retrieved: 克什米尔 (9.4) counts for more than 地区 (4.5).
Words missing from the table get its median IDF, as jieba's TF-IDF keyword extractor does.
# SEE: jieba/analyse/tfidf.py (IDFLoader, median_idf)
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from bulletin_qa.text.sentences import CJK, detect_lang

# Words that carry the question's form, not its content.
QUESTION_WORDS = frozenset(
    "谁 什么 哪些 哪个 哪位 哪里 哪儿 在哪 在哪里 何时 何地 何处 何人 什么时候 多少 几 几个 怎么 怎样 怎么样 如何 "
    "多大 多高 多长 多远 多重 多久 多少钱 "
    "为什么 为何 是否 是不是 有没有 吗 呢 么 哪 何 啥 请问 请 问 一下 告诉 知道 具体 "
    # Nouns naming the answer slot: the answer states a date or a count, not these words.
    "时间 时候 日期 地点 人数 数量 名字 名称 "
    "who whom whose what which when where why how many much does did do is are was were".split())
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 对 把 被 从 向 为 以 于 就 都 也 还 有 这 那 其 该 此 这个 那个 这些 那些 "
    "我 你 我们 你们 他 她 它 他们 她们 它们 之 所 而 并 及其 以及 一个 进行 有关 相关 关于 情况 方面 "
    "根据 资料 来源 文章 报道 新闻 提到 中 上 下 现在 目前 如今 当前 已经 一共 总共 大约 左右 "
    "the a an of in on at to for by with and or be been being it its this that these those "
    "he she they them their his her there about from as into than then so not no".split())
_HAS_WH = re.compile(r"哪|什么|谁|多少|何时|何地|^几.?$")  # jieba keeps 哪些地方, 什么样, 几块 as one word
_POLITE = frozenset("请问 请 问 一下 告诉 知道 具体".split())

NAME_TAGS = frozenset({"nr", "nt", "ns"})
_QUOTED = re.compile(r"“([^”]{2,40})”|《([^》]{1,40})》|「([^」]{2,40})」|『([^』]{2,40})』|\"([^\"]{2,40})\"")


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    """jieba with its logger quietened (it prints 'Building prefix dict' on first use)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median (the weight of unknown words)."""
    _jieba()
    from jieba.analyse import default_tfidf

    return default_tfidf.idf_freq, default_tfidf.median_idf


def idf(word: str) -> float:
    """Background IDF of a word (median IDF when jieba's table does not have it)."""
    table, median = _idf()
    return table.get(word.lower(), median)


def key(text: str) -> str:
    """Comparison key: full-width letters/digits folded, lower case, 至 as 到, no spaces next to Chinese."""
    # 降至/降到, 持续至/持续到: one verb complement, written two ways.
    text = unicodedata.normalize("NFKC", text).lower().replace("至", "到")
    return re.sub(rf"(?<=[{CJK}\d])\s+|\s+(?=[{CJK}\d])", "", text)


# jieba glues a question word's 是 onto the word before it (总营收是多少 -> 总营, 收是, 多少), so text
# is cut before (是|为)多少 / 什么 / 谁 / 哪… and the question word is segmented on its own.
_WH_CUT = re.compile(r"(?=[是为]?(?:多少|什么|谁|哪))")


def tokens(text: str) -> list[str]:
    """jieba's precise-mode words of `text` (whitespace and punctuation dropped)."""
    return [w for part in _WH_CUT.split(key(text)) if part
            for w in _jieba().lcut(part) if re.search(r"\w", w)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stop words, question words, single Chinese characters or numbers."""
    out = []
    for w in tokens(text):
        if w in STOPWORDS or w in QUESTION_WORDS or re.fullmatch(r"[\d.,%]+", w) or _HAS_WH.search(w):
            continue
        if len(w) == 1 and re.match(f"[{CJK}]", w):
            continue  # 会, 房, 区: too common as substrings to mean anything alone
        out.append(w)
    return out


def lcut_for_search(word: str) -> list[str]:
    """jieba's search-mode parts of a word (人民医院院长 -> 人民, 医院, 院长, 人民医院, ...)."""
    return list(_jieba().lcut_for_search(word))


def _pieces(word: str) -> list[str]:
    """Two-character-plus parts of a long word (克什米尔地区 -> 克什, 米尔, 地区), for partial matches."""
    if len(word) < 3 or not re.match(f"[{CJK}]", word):
        return []
    return [p for p in _jieba().lcut_for_search(word) if len(p) >= 2 and p != word and p not in STOPWORDS]


def names(text: str) -> set[str]:
    """Quoted titles (“…”, 《…》) and person, organisation and place names (jieba nr/nt/ns)."""
    found = {next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)}
    _jieba()
    import jieba.posseg as pseg

    for pair in pseg.lcut(text):
        if pair.flag in NAME_TAGS and len(pair.word) >= 2 and re.search(f"[{CJK}]", pair.word):
            found.add(pair.word)
    return found


def person_names(text: str) -> list[str]:
    """Person names (jieba nr) in order of appearance, without repeats."""
    _jieba()
    import jieba.posseg as pseg

    out: list[str] = []
    for pair in pseg.lcut(text):
        if pair.flag == "nr" and len(pair.word) >= 2 and pair.word not in out:
            out.append(pair.word)
    return out


def tagged(text: str) -> list[tuple[int, int, str, str]]:
    """jieba part-of-speech words of `text` with their character spans: (start, end, word, flag)."""
    _jieba()
    import jieba.posseg as pseg

    out, pos = [], 0
    for pair in pseg.lcut(text):
        start = text.find(pair.word, pos)
        if start < 0:
            continue
        pos = start + len(pair.word)
        out.append((start, pos, pair.word, pair.flag))
    return out
