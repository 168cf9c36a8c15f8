"""Evaluation: dataset loaders, metrics and runners behind `bulletin-qa eval`.

    datasets.py            golden sets in evals/, real data in ../shared/data (read in place)
    metrics.py             pure scoring: answer matching, recall@k/MRR, ROUGE, fact coverage
    inputs.py              --dataset -> questions + the articles to index (corpus slice, RGB, pages)
    report.py              EvalReport (table, items, settings, models, prompt hashes) -> JSON
    retrieval_eval.py      recall@1/5/10 and MRR for dense, bm25 and hybrid
    answers_eval.py        answer accuracy, refusal accuracy, citation validity (news, golden, RGB)
    segmentation_eval.py   boundaries, titles, dates, bylines of pages against the golden file
    summaries_eval.py      key-fact coverage and character-level ROUGE of summaries
"""
