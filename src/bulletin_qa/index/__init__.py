"""Index: articles -> chunks -> embeddings -> the Chroma store, ingested idempotently.

    ingest.py      read, settle ids, store new/changed articles under the write lock
    identity.py    which source owns which id (paths, content digests, collisions)
    check.py       `bulletin-qa check [--repair]`: records against each other, repaired from the store
    chunking.py    articles -> chunks;  embedders.py, embedding_cache.py: chunks -> vectors
    records.py     Article/Chunk <-> Chroma metadata;  store_dir.py: checks before Chroma opens a directory
    store/         the Chroma store: core.py, opening.py, locking.py (one writer at a time)
"""
