"""bulletin-qa: ask questions about Chinese district news, with citations.

The package folders follow the pipeline:
reading (pages -> articles) -> index (chunks, embeddings, store) -> retrieval
-> generation (answers, summaries, digests) -> rendering, with `cli` on top.
"""

__version__ = "0.1.0"
