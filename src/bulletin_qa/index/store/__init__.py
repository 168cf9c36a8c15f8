"""The Chroma store: the only package that imports chromadb (lazily).

Two collections per prefix: "<prefix>_chunks" (one record per chunk, searched densely and
fed to BM25) and "<prefix>_articles" (one record per article: the full text, every Article
field, its content hash, and the normalised mean of its chunk vectors). The article record is
written after its chunks, so it marks an article as completely stored.

    core.py     Store: reading, writing, the revision every write replaces
    opening.py  open_chroma_store: client, collections, embedder checks, the embedding function,
                read-only stores read from a private copy
    locking.py  StoreLock: one writer at a time (filelock), readers never wait
"""

from bulletin_qa.index.store.core import Store
from bulletin_qa.index.store.opening import embedding_function, open_chroma_store

__all__ = ["Store", "embedding_function", "open_chroma_store"]
