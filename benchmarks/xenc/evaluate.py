"""Score the cross-encoder against the shipped ranker and abstainer; print tables, write JSON.

Inputs: pairs.jsonl (rows with label, ranker; questions with abstainer_p) and train_xenc.py outputs.
  tune:  train_xenc.py oof scores (every tune question scored by a model that never saw it)
  held:  train_xenc.py final scores (trained on the whole tune half) -- optional

Measures, per half:
  sentence AUC: label vs cross-encoder logit, vs ranker;
  question level, detector of "answerable": max cross-encoder logit over rows vs abstainer_p vs a
    logistic combination [logit(abstainer_p), max logit] -- AUC, and the share of answerable items
    answered at the threshold refusing 90% of the unanswerable ones (RGB: -neg items; news_absent;
    golden). On the held-out half the combination's weights and every threshold come from the
    tune half ("tune thr"), next to the held-out half's own operating point ("own thr", descriptive);
  top-1: does the top cross-encoder row hold an answer, vs the ranker's first row.
The combination on the tune half is fitted out of fold (5 folds, the pairs' fold field).

usage: evaluate.py PAIRS.jsonl TUNE_OOF.json [HELD_FINAL.json] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np


def auc(y, s) -> float:
    """ROC AUC by ranks (ties averaged)."""
    y = np.asarray(y, bool)
    s = np.asarray(s, float)
    if y.all() or (~y).all():
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    ss = s[order]
    i = 0
    while i < len(ss):
        j = i
        while j + 1 < len(ss) and ss[j + 1] == ss[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    npos = y.sum()
    return float((ranks[y].sum() - npos * (npos + 1) / 2) / (npos * (len(y) - npos)))


def thr_refusing(neg_scores, share=0.90) -> float:
    """Smallest threshold t (answer iff score > t) refusing >= share of the negatives."""
    s = np.sort(np.asarray(neg_scores, float))
    k = int(math.ceil(share * len(s))) - 1
    return float(s[k])


def answered(pos_scores, t) -> float:
    """Share of answerable items with score > t."""
    return float(np.mean(np.asarray(pos_scores) > t))


def refused(neg_scores, t) -> float:
    """Share of unanswerable items with score <= t."""
    return float(np.mean(np.asarray(neg_scores) <= t))


def logit(p):
    """Clipped logit."""
    p = np.clip(np.asarray(p, float), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def fit_lr(X, y, l2=1e-2, iters=50):
    """Logistic regression by Newton steps (standardised X, small L2); returns predict fn."""
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([np.ones((len(X), 1)), (X - mu) / sd])
    w = np.zeros(Z.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-Z @ w))
        g = Z.T @ (p - y) + l2 * np.r_[0, w[1:]]
        Hm = Z.T @ (Z * (p * (1 - p))[:, None]) + l2 * np.diag(np.r_[0, np.ones(len(w) - 1)])
        w -= np.linalg.solve(Hm, g)

    def predict(Xn):
        Zn = np.hstack([np.ones((len(Xn), 1)), (np.asarray(Xn, float) - mu) / sd])
        return Zn @ w

    return predict


GROUP_OF = {"rgb": "rgb", "news": "news/news_absent", "news_absent": "news/news_absent", "golden": "golden"}

GROUPS = {
    "rgb": lambda q: q["dataset"] == "rgb",
    "news/news_absent": lambda q: q["dataset"] in ("news", "news_absent"),
    "golden": lambda q: q["dataset"] == "golden",
    "all": lambda q: True,
}


def question_table(qs, det, thresholds=None):
    """Per group and detector: AUC, answered share at 90% refusal (own thr, and tune thr if given)."""
    out = {}
    for g, pred in GROUPS.items():
        sel = [i for i, q in enumerate(qs) if pred(q)]
        y = np.array([qs[i]["answerable"] for i in sel])
        out[g] = {}
        for name, s in det.items():
            sv = np.array([s[i] for i in sel])
            row = {"n_pos": int(y.sum()), "n_neg": int((~y).sum()), "auc": auc(y, sv)}
            if (~y).sum() and y.sum():
                t = thr_refusing(sv[~y])
                row["answered_at_refuse90_own"] = answered(sv[y], t)
                row["thr_own"] = t
                if thresholds is not None:
                    tt = thresholds[g][name]
                    row["answered_at_tune_thr"] = answered(sv[y], tt)
                    row["refused_at_tune_thr"] = refused(sv[~y], tt)
            out[g][name] = row
        # paired bootstrap over questions: AUC(detector) - AUC(abstainer_p), 95% interval (nothing refitted)
        rng = np.random.default_rng(0)
        base = np.array([det["abstainer_p"][i] for i in sel])
        for name, s in det.items():
            if name == "abstainer_p" or y.all() or (~y).all():
                continue
            sv = np.array([s[i] for i in sel])
            diffs = []
            for _ in range(BOOT):
                b = rng.integers(0, len(sel), len(sel))
                if y[b].all() or (~y[b]).all():
                    continue
                diffs.append(fast_auc(y[b], sv[b]) - fast_auc(y[b], base[b]))
            out[g][name]["auc_minus_abstainer_ci95"] = [float(np.percentile(diffs, 2.5)),
                                                        float(np.percentile(diffs, 97.5))]
    return out


BOOT = 1000


def fast_auc(y, s) -> float:
    """Mann-Whitney AUC by pairwise comparison (ties count half); for bootstrap samples."""
    p, n = s[y], s[~y]
    return float(((p[:, None] > n[None, :]).sum() + 0.5 * (p[:, None] == n[None, :]).sum()) / (len(p) * len(n)))


def analyse(qs, scores, combo_predict=None, oof=None):
    """All measures for one half. combo_predict: fitted on tune (held-out use) or None (fit OOF).
    oof: oof_abstainer.py output; when given, abstainer_p and ranker are the out-of-fold ones and the
    shipped (in-sample) abstainer is kept as a reference detector."""
    qs = [q for q in qs if q["id"] in scores]
    insample = np.array([q["abstainer_p"] for q in qs])
    if oof is not None:
        qs = [dict(q, abstainer_p=oof[q["id"]]["abstainer_p_oof"],
                   rows=[dict(r, ranker=v) for r, v in zip(q["rows"], oof[q["id"]]["ranker_oof"])]) for q in qs]
    lab, xs, rk = [], [], []
    for q in qs:
        for r, v in zip(q["rows"], scores[q["id"]]):
            lab.append(r["label"])
            xs.append(v)
            rk.append(r["ranker"])
    sent = {"n_rows": len(lab), "n_pos": int(sum(lab)), "auc_xenc": auc(lab, xs), "auc_ranker": auc(lab, rk)}
    # sentence-level combination [ranker, xenc]: 5-fold OOF on tune (row folds = question folds),
    # or the tune-fitted combination on held out
    SX = np.c_[rk, xs]
    if combo_predict is None:
        rf = np.array([q["fold"] for q in qs for _ in q["rows"]])
        sc = np.zeros(len(lab))
        for f in sorted(set(rf)):
            sc[rf == f] = fit_lr(SX[rf != f], np.array(lab)[rf != f])(SX[rf == f])
        sent["fit"] = fit_lr(SX, np.array(lab))
    else:
        sc = combo_predict.sentence(SX)
    sent["auc_ranker+xenc"] = auc(lab, sc)
    ds = np.array([GROUP_OF[q["dataset"]] for q in qs for _ in q["rows"]])
    lab_a, xs_a, rk_a = np.array(lab), np.array(xs), np.array(rk)
    sent["by_group"] = {g: {"n_pos": int(lab_a[ds == g].sum()), "auc_xenc": auc(lab_a[ds == g], xs_a[ds == g]),
                            "auc_ranker": auc(lab_a[ds == g], rk_a[ds == g]),
                            "auc_ranker+xenc": auc(lab_a[ds == g], sc[ds == g])} for g in sorted(set(ds))}
    mx = np.array([max(scores[q["id"]]) if q["rows"] else -20.0 for q in qs])
    ab = np.array([q["abstainer_p"] for q in qs])
    X = np.c_[logit(ab), mx]
    y = np.array([q["answerable"] for q in qs])
    if combo_predict is None:
        comb = np.zeros(len(qs))
        folds = np.array([q["fold"] for q in qs])
        for f in sorted(set(folds)):
            tr, te = folds != f, folds == f
            comb[te] = fit_lr(X[tr], y[tr])(X[te])
    else:
        comb = combo_predict(X)
    det = {"abstainer_p": ab, "xenc_max": mx, "combined": comb}
    if oof is not None:
        det["abst_insample"] = insample
    top1 = {}
    for g, pred in list(GROUPS.items()):
        sel = [q for q in qs if pred(q) and q["answerable"] and q["rows"]]
        if not sel:
            continue
        xb = [q["rows"][int(np.argmax(scores[q["id"]]))]["label"] for q in sel]
        rb = [q["rows"][int(np.argmax([r["ranker"] for r in q["rows"]]))]["label"] for q in sel]
        first = [q["rows"][0]["label"] for q in sel]  # the shipped ranker's order
        anyl = [any(r["label"] for r in q["rows"]) for q in sel]
        top1[g] = {"n": len(sel), "xenc": float(np.mean(xb)), "ranker_first_row": float(np.mean(first)),
                   "ranker_argmax_oof_or_shipped": float(np.mean(rb)), "any_row_labelled": float(np.mean(anyl))}
    return qs, sent, det, top1, X, y


def print_tables(title, sent, qt, top1):
    """Plain-text tables."""
    print(f"\n== {title} ==")
    print(f"sentence AUC ({sent['n_rows']} rows, {sent['n_pos']} positive): "
          f"cross-encoder {sent['auc_xenc']:.3f}   ranker {sent['auc_ranker']:.3f}   "
          f"LR[ranker, xenc] {sent['auc_ranker+xenc']:.3f}")
    for g, r in sent["by_group"].items():
        print(f"  {g:18} ({r['n_pos']:>3} pos) cross-encoder {r['auc_xenc']:.3f}   ranker {r['auc_ranker']:.3f}   "
              f"LR[ranker, xenc] {r['auc_ranker+xenc']:.3f}")
    print(f"{'group':18} {'detector':13} {'pos/neg':>9} {'AUC':>6} {'ans@ref90 own':>14} {'ans@tune thr':>13} "
          f"{'ref@tune thr':>13}  AUC - abstainer, 95% bootstrap")
    for g, d in qt.items():
        for name, r in d.items():
            own = f"{r['answered_at_refuse90_own']:.3f}" if "answered_at_refuse90_own" in r else "-"
            tt = f"{r['answered_at_tune_thr']:.3f}" if "answered_at_tune_thr" in r else "-"
            rt = f"{r['refused_at_tune_thr']:.3f}" if "refused_at_tune_thr" in r else "-"
            ci = r.get("auc_minus_abstainer_ci95")
            cis = f"[{ci[0]:+.3f}, {ci[1]:+.3f}]" if ci else "-"
            print(f"{g:18} {name:13} {r['n_pos']:>4}/{r['n_neg']:<4} {r['auc']:6.3f} {own:>14} {tt:>13} {rt:>13}  {cis}")
    print(f"{'top-1 (answerable)':18} {'n':>5} {'xenc':>6} {'ranker row0':>12} {'ranker argmax':>14} {'any row':>8}")
    for g, r in top1.items():
        print(f"{g:18} {r['n']:>5} {r['xenc']:6.3f} {r['ranker_first_row']:12.3f} "
              f"{r['ranker_argmax_oof_or_shipped']:14.3f} {r['any_row_labelled']:8.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pairs")
    ap.add_argument("tune")
    ap.add_argument("held", nargs="?")
    ap.add_argument("--oof", help="oof_abstainer.py output (out-of-fold abstainer/ranker on tune)")
    ap.add_argument("--json")
    a = ap.parse_args()
    qs = [json.loads(line) for line in Path(a.pairs).read_text(encoding="utf-8").splitlines()]
    tune_scores = json.loads(Path(a.tune).read_text(encoding="utf-8"))["scores"]
    oof = json.loads(Path(a.oof).read_text(encoding="utf-8")) if a.oof else None
    tq, sent, det, top1, X, y = analyse([q for q in qs if q["half"] == "tune"], tune_scores, oof=oof)
    qt = question_table(tq, det)
    print_tables("TUNE half, out of fold (cross-encoder 2-fold OOF, combination 5-fold OOF)", sent, qt, top1)
    result = {"tune_oof": {"sentence": {k: v for k, v in sent.items() if k != "fit"}, "question": qt, "top1": top1}}
    if a.held:
        held_scores = json.loads(Path(a.held).read_text(encoding="utf-8"))["scores"]
        combo = fit_lr(X, y)  # on tune OOF features
        combo.sentence = sent.pop("fit")
        hq, hsent, hdet, htop1, _, _ = analyse([q for q in qs if q["half"] == "held out"], held_scores, combo)
        thresholds = {g: {n: r["thr_own"] for n, r in d.items() if "thr_own" in r} for g, d in qt.items()}
        hqt = question_table(hq, hdet, thresholds)
        print_tables("HELD-OUT half (model trained on whole tune half; combination + thresholds from tune)",
                     hsent, hqt, htop1)
        result["held_out"] = {"sentence": hsent, "question": hqt, "top1": htop1}
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
