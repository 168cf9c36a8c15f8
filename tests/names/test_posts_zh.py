"""Posts a Chinese claim gives people, against the posts the source gives them (our own text)."""

from __future__ import annotations

import pytest

from bulletin_qa.names.person_titles import post_vocabulary, posts_given, wrong_titles_zh
from bulletin_qa.names.titles import titles

SOURCE = ("区委常委、常务副区长、区防汛指挥部常务副指挥长周文海强调，要压实防汛责任。"
          "二七区委副书记、区长林若溪带队督导安全生产工作，区领导周文海、陈立新陪同。"
          "区委书记高明远主持会议并讲话。区人大常委会主任宋子平出席。")


@pytest.mark.parametrize(("claim", "wrong"), [
    # the posts the source gives, with or without the place, 常务 dropped
    ("周文海是常务副区长。", []),
    ("周文海是区委常委、副区长。", []),
    ("林若溪是区委副书记、区长。", []),
    ("二七区区长是林若溪。", []),
    ("区委书记高明远主持会议。", []),
    ("宋子平是区人大常委会主任。", []),
    ("陈立新陪同检查。", []),                       # a person the source gives no known post: not judged
    # posts moved to another person, before or after the name
    ("周文海是二七区委副书记、区长。", [("周文海", "区委副书记"), ("周文海", "区长")]),
    ("周文海担任区长，负责防汛。", [("周文海", "区长")]),
    ("区长高明远主持会议。", [("高明远", "区长")]),
    ("宋子平是区委书记。", [("宋子平", "区委书记")]),
    # 副 and 代 make another post: a 常务副区长 is no 区长, a 区长 no 副区长
    ("林若溪是副区长。", [("林若溪", "副区长")]),
])
def test_wrong_posts(claim: str, wrong: list[tuple[str, str]]) -> None:
    assert wrong_titles_zh(posts_given(SOURCE), claim, post_vocabulary(titles())) == wrong
