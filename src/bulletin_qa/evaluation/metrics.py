"""Pure scoring functions: answer matching, retrieval ranks, ROUGE, fact coverage.

Nothing here touches the store, an embedder or an LLM, so every function is tested on
known inputs (tests/evaluation/test_metrics.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile("[" + "".join(_CN_DIGIT) + "".join(_CN_UNIT) + "]+")


def cn_numeral_to_int(run: str) -> int:
    """Value of a run of Chinese numerals below 万: '十二' -> 12, '一百零八' -> 108, '二〇二三' -> 2023."""
    if not any(ch in _CN_UNIT for ch in run):
        # Digit-by-digit years and codes (二〇二三): no place units at all.
        return int("".join(str(_CN_DIGIT[ch]) for ch in run))
    total, current = 0, None
    for ch in run:
        if ch in _CN_UNIT:
            # A bare unit counts as one of it: 十二 is 12, not 2.
            total += (1 if current is None else current) * _CN_UNIT[ch]
            current = None
        else:
            current = _CN_DIGIT[ch]
    return total + (current or 0)


def _digits_for_numerals(text: str) -> str:
    # 万 and 亿 stay as written on purpose: gold strings say "2500万" while spelled-out text
    # says "两千五百万"; both become "2500万" this way, without rewriting every "131万" too.
    return _CN_RUN.sub(lambda m: str(cn_numeral_to_int(m.group())), text)


def normalize(text: str) -> str:
    """NFKC, lower case, Chinese numerals as digits, no spaces or punctuation (a '.' between digits stays)."""
    text = _digits_for_numerals(unicodedata.normalize("NFKC", text).lower())
    out = []
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if ch == "." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            out.append(ch)  # 6.4% must not turn into 64
        elif cat[0] in "PZC" or ch.isspace():
            continue
        else:
            out.append(ch)
    return "".join(out)


def contains_answer(prediction: str, gold: str) -> bool:
    """True when the normalised gold string occurs in the normalised prediction."""
    g = normalize(gold)
    return bool(g) and g in normalize(prediction)


def answer_correct(prediction: str, answers: Sequence[str | Sequence[str]]) -> bool:
    """RGB rule: every top-level answer must be contained; an inner list holds alternatives.

    ['张丹', '张昊'] needs both names; [['4次', '四次']] needs either spelling.
    """
    # SEE: RGB evalue.py `checkanswer` (chen700564/RGB): the same all-of / any-of reading.
    if not answers:
        return False
    for answer in answers:
        options = [answer] if isinstance(answer, str) else list(answer)
        if not any(contains_answer(prediction, option) for option in options):
            return False
    return True


def rank_of(gold_ids: Iterable[str], ranked_ids: Sequence[str]) -> int | None:
    """1-based rank of the first gold id in a ranked list, None when absent."""
    gold = set(gold_ids)
    for i, article_id in enumerate(ranked_ids, start=1):
        if article_id in gold:
            return i
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose gold article is ranked within the top k."""
    if not ranks:
        return 0.0
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float:
    """Mean of 1/rank, with 0 for a gold article not retrieved."""
    if not ranks:
        return 0.0
    return sum(1 / r for r in ranks if r) / len(ranks)


def retrieval_metrics(ranks: Sequence[int | None], ks: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    """recall@k for each k plus MRR, as one flat dict ('recall@1', ..., 'mrr')."""
    out = {f"recall@{k}": recall_at(ranks, k) for k in ks}
    out["mrr"] = mean_reciprocal_rank(ranks)
    return out


def _ngrams(text: str, n: int) -> Counter[str]:
    return Counter(text[i:i + n] for i in range(len(text) - n + 1))


def _f1(overlap: int, pred_total: int, ref_total: int) -> float:
    if not overlap or not pred_total or not ref_total:
        return 0.0
    p, r = overlap / pred_total, overlap / ref_total
    return 2 * p * r / (p + r)


def rouge_n(prediction: str, reference: str, n: int) -> float:
    """Character-level ROUGE-n F1 on normalised text (Chinese has no word spaces)."""
    pred, ref = _ngrams(normalize(prediction), n), _ngrams(normalize(reference), n)
    overlap = sum((pred & ref).values())
    return _f1(overlap, sum(pred.values()), sum(ref.values()))


def _lcs_length(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if ch == other else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(prediction: str, reference: str) -> float:
    """Character-level ROUGE-L F1 (longest common subsequence) on normalised text."""
    pred, ref = normalize(prediction), normalize(reference)
    return _f1(_lcs_length(pred, ref), len(pred), len(ref))


def rouge_scores(prediction: str, reference: str) -> dict[str, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1, character level."""
    return {"rouge1": rouge_n(prediction, reference, 1), "rouge2": rouge_n(prediction, reference, 2),
            "rougeL": rouge_l(prediction, reference)}


def fact_coverage(text: str, facts: Sequence[str | Sequence[str]]) -> tuple[float, list[bool]]:
    """Share of key facts present in a text; each fact is a string or a list of alternatives."""
    found = [any(contains_answer(text, alt) for alt in ([f] if isinstance(f, str) else f)) for f in facts]
    return (sum(found) / len(found) if found else 0.0), found


def rate(numerator: int, denominator: int) -> float | None:
    """numerator/denominator, None when there is nothing to divide (shown as '-' in tables)."""
    return numerator / denominator if denominator else None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), one numpy row per character of `a`."""
    import numpy as np

    if not a or not b:
        return max(len(a), len(b))
    codes = np.array([ord(c) for c in b])
    steps = np.arange(len(b) + 1)
    row = steps.copy()
    for i, char in enumerate(a, start=1):
        # substitution/match from the diagonal, deletion from above; insertions (left) via a running min
        sub = row[:-1] + (codes != ord(char))
        new = np.empty_like(row)
        new[0] = i
        new[1:] = np.minimum(row[1:] + 1, sub)
        row = np.minimum.accumulate(new - steps) + steps
    return int(row[-1])


def character_error_rate(hypothesis: str, reference: str) -> float:
    """Edits to turn the hypothesis into the reference, per reference character (whitespace ignored)."""
    hyp, ref = "".join(hypothesis.split()), "".join(reference.split())
    return edit_distance(hyp, ref) / len(ref) if ref else float(bool(hyp))
