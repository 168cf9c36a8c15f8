"""Writing from stored articles: summaries, weekly digests and English translations.

    summarize.py      article summaries: LLM prompts when configured, extractive (TextRank) offline
    textrank.py       the extractive summariser
    summary_cache.py  generated summaries and theme assignments cached on disk
    stories.py        near-duplicate articles merged into stories, compared across weeks
    themes.py         themes and significance of stories (rules offline, one LLM call online)
    digest.py         a date range -> stories -> themed, ordered digest entries
    translate.py      English versions of articles, summaries and digests, checked
    digest_files.py   digest files read back (JSON records or Markdown text) for translation

Imports text/, names/ and llm/; nothing in answering/ imports it, nor it answering/.
"""
