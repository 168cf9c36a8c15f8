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
from collections.abc import Iterable
from functools import lru_cache
from types import ModuleType

from bulletin_qa.text.chars import HAN

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
# Dictionary frequency of an added name: above the words it could be cut into (荣鑫, 区长 ~ 10^3-10^4),
# below the commonest particles, so 区长虎荣鑫强调 cuts 区长 / 虎荣鑫 / 强调.
NAME_FREQ = 20000
_QUOTED = re.compile(r"“([^”]{2,40})”|《([^》]{1,40})》|「([^」]{2,40})」|『([^』]{2,40})』|\"([^\"]{2,40})\"")


@lru_cache(maxsize=1)
def load_jieba() -> ModuleType:
    """jieba, imported on first use with its logger quietened: the one place that loads it.

    jieba logs "Building prefix dict ..." at INFO on first use; the core never prints.
    """
    import jieba as module

    module.setLogLevel(logging.WARNING)
    return module


_ADDED_NAMES: set[str] = set()


def add_names(names: Iterable[str]) -> str:
    """Give jieba person names as a user dictionary (tag nr) so every cut keeps them whole.

    Used by names/service.py with the names learned from a store; BM25, question analysis and
    the checks all cut with this one jieba, so 虎荣鑫 stays one token everywhere. Returns a short
    key of every name added so far (part of the BM25 cache key: tokens change with it).
    """
    tokenizer = load_jieba()
    for name in names:
        if name not in _ADDED_NAMES and len(name) >= 2:  # noqa: PLR2004 - one character is no name
            # suggest_freq would cut the name whole only in the sentence it is given; a fixed high
            # frequency keeps it whole in every context (虎荣鑫强调, 区长虎荣鑫).
            tokenizer.add_word(name, freq=NAME_FREQ, tag="nr")
            _ADDED_NAMES.add(name)
    return names_key()


def added_names() -> frozenset[str]:
    """The names given to jieba so far (learned from a store by names/service.py)."""
    return frozenset(_ADDED_NAMES)


def names_key() -> str:
    """A short hash of the names added to jieba ('none' before any)."""
    if not _ADDED_NAMES:
        return "none"
    import hashlib

    return hashlib.sha256("\n".join(sorted(_ADDED_NAMES)).encode("utf-8")).hexdigest()[:10]


def load_posseg() -> ModuleType:
    """jieba's part-of-speech tagger (jieba.posseg), loaded through `load_jieba`."""
    load_jieba()
    import jieba.posseg

    return jieba.posseg


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median (the weight of unknown words)."""
    load_jieba()
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
    return re.sub(rf"(?<=[{HAN}\d])\s+|\s+(?=[{HAN}\d])", "", text)


_NOT_WORD = re.compile(r"[\W_]+")


def bare(text: str) -> str:
    """Words only, on the comparison key: 开放合作·共享未来 and 开放合作，共享未来 are one answer."""
    return _NOT_WORD.sub("", key(text))


# jieba glues a question word's 是 onto the word before it (总营收是多少 -> 总营, 收是, 多少), so text
# is cut before (是|为)多少 / 什么 / 谁 / 哪… and the question word is segmented on its own.
_WH_CUT = re.compile(r"(?=[是为]?(?:多少|什么|谁|哪))")


def tokens(text: str) -> list[str]:
    """jieba's precise-mode words of `text` (whitespace and punctuation dropped)."""
    return [w for part in _WH_CUT.split(key(text)) if part
            for w in load_jieba().lcut(part) if re.search(r"\w", w)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stop words, question words, single Chinese characters or numbers."""
    out = []
    for w in tokens(text):
        if w in STOPWORDS or w in QUESTION_WORDS or re.fullmatch(r"[\d.,%]+", w) or _HAS_WH.search(w):
            continue
        if len(w) == 1 and re.match(f"[{HAN}]", w):
            continue  # 会, 房, 区: too common as substrings to mean anything alone
        out.append(w)
    return out


def lcut_for_search(word: str) -> list[str]:
    """jieba's search-mode parts of a word (人民医院院长 -> 人民, 医院, 院长, 人民医院, ...)."""
    return list(load_jieba().lcut_for_search(word))


def _pieces(word: str) -> list[str]:
    """Two-character-plus parts of a long word (克什米尔地区 -> 克什, 米尔, 地区), for partial matches."""
    if len(word) < 3 or not re.match(f"[{HAN}]", word):
        return []
    return [p for p in load_jieba().lcut_for_search(word) if len(p) >= 2 and p != word and p not in STOPWORDS]


def quoted(text: str) -> list[str]:
    """What `text` quotes or titles (“…”, 《…》, 「…」, 『…』, "…"), in order: 《青湖故事》 -> 青湖故事."""
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


def names(text: str) -> set[str]:
    """Quoted titles (“…”, 《…》) and person, organisation and place names (jieba nr/nt/ns)."""
    found = set(quoted(text))
    pseg = load_posseg()

    for pair in pseg.lcut(text):
        if pair.flag in NAME_TAGS and len(pair.word) >= 2 and re.search(f"[{HAN}]", pair.word):
            found.add(pair.word)
    return found


def tagged(text: str) -> list[tuple[int, int, str, str]]:
    """jieba part-of-speech words of `text` with their character spans: (start, end, word, flag)."""
    pseg = load_posseg()

    out, pos = [], 0
    for pair in pseg.lcut(text):
        start = text.find(pair.word, pos)
        if start < 0:
            continue
        pos = start + len(pair.word)
        out.append((start, pos, pair.word, pair.flag))
    return out
