"""Names in both languages: people, titles, institutions and places, found in Chinese and rendered in English.

    service.py    the one names service (`Names`, `learn_people`, `store_names`, `people_in`) every
                  user goes through: glossary proposals, English checks, chat, summaries, translations,
                  digests and the BM25 tokens (names learned per store are given to jieba)
    people.py     people as news copy names them: title + name, lists after it, bylines
    pinyin.py     pinyin of people (surname readings, compound surnames, ü as "yu") and places
    titles.py     standard English of titles and institutions (one house style), combined titles split
    glossary.py   the user-editable TOML glossary: one English rendering per Chinese name
    propose.py    names found in articles -> proposed entries with evidence and confidence, for review
    english.py    names in English text checked against the renderings of a Chinese source's names
    english_words.py  English words as those checks read them (tokens, letters, pinyin shape,
                  capitalised runs) and the spellings of one name (renders, normalise_people)

Imports only text/ and models; answering/, writing/ and retrieval/ use it.
"""
