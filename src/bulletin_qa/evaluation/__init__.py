"""Evaluation: dataset loaders, metrics and runners behind `bulletin-qa eval`.

datasets.py reads the golden sets in `evals/` and the real datasets in `../shared/data/`;
metrics.py holds pure scoring functions; the runners (retrieval_eval.py, answers_eval.py,
segmentation_eval.py, summaries_eval.py) wire them to the pipeline and return report dicts.
"""
