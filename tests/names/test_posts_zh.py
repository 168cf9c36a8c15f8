"""Posts a Chinese claim gives people, against the posts the source gives them (our own text)."""

from __future__ import annotations

import pytest

from bulletin_qa.names.person_titles import holders, post_vocabulary, posts_asked, posts_given, wrong_titles_zh
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


@pytest.mark.parametrize(("question", "posts"), [
    ("区长到哪里检查安全生产？", ["区长"]),                 # asked by the post: whoever holds it
    ("区委书记主持了什么会议？", ["区委书记"]),
    ("区人大常委会主任出席了什么活动？", ["区人大常委会主任"]),  # the longest known post, not 主任
    ("区长林若溪到哪里督导安全生产工作？", []),             # the post of a named person
    ("人大代表视察了哪些项目？", []),                       # 代表 names no post one person holds
    ("记者在哪里采访？", []),
])
def test_posts_asked(question: str, posts: list[str]) -> None:
    assert posts_asked(question) == posts


@pytest.mark.parametrize(("post", "people"), [
    ("区长", ("林若溪",)),          # 二七区委副书记、区长林若溪
    ("副区长", ("周文海",)),        # 常务副区长 is a 副区长
    ("区委书记", ("高明远",)),
    ("常务副指挥长", ("周文海",)),
    ("镇长", ()),                   # nobody in the source
])
def test_holders_of_a_post(post: str, people: tuple[str, ...]) -> None:
    assert holders(post, posts_given(SOURCE)) == people
