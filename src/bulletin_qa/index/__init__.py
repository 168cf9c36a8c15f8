"""Index: articles -> chunks -> embeddings -> the Chroma store, ingested idempotently."""
