"""Person names in pinyin: surname readings, compound surnames, the ü convention; surname table."""

from __future__ import annotations

import pytest

from bulletin_qa.names.pinyin import (
    has_surname,
    person_pinyin,
    place_english,
    split_name,
)


@pytest.mark.parametrize(("name", "english"), [
    # surname characters read differently as surnames
    ("单雄信", "Shan Xiongxin"), ("曾国藩", "Zeng Guofan"), ("解缙", "Xie Jin"), ("区志航", "Ou Zhihang"),
    ("仇英", "Qiu Ying"), ("查良镛", "Zha Liangyong"), ("朴正阳", "Piao Zhengyang"), ("乐嘉", "Yue Jia"),
    ("盖叫天", "Ge Jiaotian"), ("翟志刚", "Zhai Zhigang"), ("覃明", "Qin Ming"), ("缪斯", "Miao Si"),
    # compound surnames: the pair is the family name
    ("欧阳修", "Ouyang Xiu"), ("司马光", "Sima Guang"), ("上官婉儿", "Shangguan Wan'er"), ("诸葛亮", "Zhuge Liang"),
    ("尉迟恭", "Yuchi Gong"), ("长孙无忌", "Zhangsun Wuji"), ("夏侯惇", "Xiahou Dun"),
    # rare single surnames of the real page, given name joined
    ("虎荣鑫", "Hu Rongxin"), ("樊惠林", "Fan Huilin"), ("屈连武", "Qu Lianwu"), ("牛真", "Niu Zhen"),
    # ü written yu (the convention), apostrophe before a/o/e
    ("吕安民", "Lyu Anmin"), ("吕佳安", "Lyu Jia'an"), ("聂女", "Nie Nyu"), ("徐旭", "Xu Xu"),
])
def test_person_pinyin(name: str, english: str) -> None:
    assert person_pinyin(name) == english


@pytest.mark.parametrize(("name", "parts"), [
    ("欧阳修", ("欧阳", "修")), ("司马相如", ("司马", "相如")), ("欧阳", ("欧", "阳")), ("虎荣鑫", ("虎", "荣鑫")),
])
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


@pytest.mark.parametrize(("name", "surname"), [
    ("虎荣鑫", True), ("吕安民", True), ("屈连武", True), ("牛真", True), ("欧阳修", True), ("上官云", True),
    ("景静", True), ("覃明", True), ("保驾护航", False), ("这个", False), ("满堂红", True), ("督导", True), ("安全检查", True),
])
def test_surname_table(name: str, surname: bool) -> None:
    # 满, 督 and 安 are surnames too: a surname alone never makes a name (people.py checks the boundary).
    assert has_surname(name) is surname


@pytest.mark.parametrize(("name", "english"), [("二七区", "Erqi District"), ("西安市", "Xi'an City")])
def test_place_english(name: str, english: str) -> None:
    assert place_english(name) == english
