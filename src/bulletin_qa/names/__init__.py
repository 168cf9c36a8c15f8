"""Names in both languages: the bilingual glossary, proposing new entries, English renderings.

    glossary.py   the user-editable TOML glossary: one English rendering per Chinese name
    propose.py    names found in articles -> proposed entries for review; pinyin of person names
    english.py    names in English text checked against the renderings of a Chinese source's names

Imports only text/ and models; answering/ and writing/ use it.
"""
