"""Rendering generated records for people: Markdown (email, chat) and self-contained HTML."""
