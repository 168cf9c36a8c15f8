"""Retrieval: BM25 over jieba tokens, dense search in Chroma, fused to article hits."""
