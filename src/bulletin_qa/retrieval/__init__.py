"""Retrieval: BM25 over jieba tokens, dense search in Chroma, fused to article hits."""

from bulletin_qa.retrieval.hybrid import search

__all__ = ["search"]
