"""Themes and significance of digest stories: keyword rules offline, one LLM call when configured.

Offline significance is a transparent sum (each term below is one reason a district reader
would want the story early): reported more than once, a leader speaking or a decision taken,
hard figures, length, and an exact date.
"""

from __future__ import annotations

import math
import re

from bulletin_qa.llm.base import LLM
from bulletin_qa.llm.json_reply import parse_json_reply
from bulletin_qa.messages import msg
from bulletin_qa.models import Usage
from bulletin_qa.prompts_loader import Prompt, fence, load_prompt
from bulletin_qa.writing.stories import Story
from bulletin_qa.writing.summary_cache import SummaryCache, cache_key

# (Chinese label, English label, keywords). Title hits count three times as much as body hits.
THEMES: list[tuple[str, str, tuple[str, ...]]] = [
    ("安全与应急", "Safety and emergencies",
     ("安全", "应急", "防汛", "消防", "演练", "隐患", "防控", "事故", "救援", "治安", "度汛", "灾害")),
    ("经济与产业", "Economy and business",
     ("经济", "产业", "项目", "企业", "投资", "招商", "签约", "开工", "营商", "消费", "亿元", "增长", "园区", "商贸")),
    ("城市建设与环境", "Urban development and environment",
     ("城市", "建设", "改造", "道路", "交通", "环境", "绿化", "生态", "污染", "治理", "老旧小区", "工程", "管网")),
    ("民生与社会服务", "Livelihoods and public services",
     ("民生", "就业", "医疗", "医院", "教育", "学校", "养老", "社保", "居民", "群众", "志愿", "救助", "住房")),
    ("文化与体育", "Culture and sport",
     ("文化", "文艺", "演出", "体育", "比赛", "运动", "旅游", "游客", "非遗", "艺术", "展览", "读书", "阅读",
      "嘉年华", "文化节", "冰雪", "音乐")),
    ("党建与政务", "Party and government",
     ("党委", "党组", "区委", "书记", "党建", "党员", "干部", "人大", "政协", "纪委", "巡察", "主题教育", "党校",
      "廉政", "作风", "政府", "常委会")),
]
OTHER = ("其他", "Other")
THEME_PROMPTS = {"zh": "digest.themes.zh", "en": "digest.themes.en"}
_LEADER = re.compile(r"书记|区长|市长|主任|主席|部长")
_DECISION = re.compile(r"部署|决定|通过|签约|开工|启动|发布|审议|印发|表决|任命")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿|%|％|个|家|项|人|元|户|名|次|场|平方米|公里)")


def keyword_theme(story: Story) -> tuple[str, str]:
    """(Chinese, English) theme label by keyword counts in the lead's title and opening."""
    lead = story.lead
    head, body = f"{lead.title}{lead.subtitle}", lead.text[:600]
    best, best_score = OTHER, 0
    for zh, en, words in THEMES:
        score = sum(3 * head.count(w) + body.count(w) for w in words)
        if score > best_score:
            best, best_score = (zh, en), score
    return best


def significance(story: Story) -> float:
    """Offline significance score (higher first); see the module docstring for the terms."""
    lead = story.lead
    opening = f"{lead.title}{lead.text[:300]}"
    score = 2.0 * (len(story.articles) - 1)
    score += 1.5 if _LEADER.search(opening) else 0.0
    score += 1.0 if _DECISION.search(opening) else 0.0
    score += 0.5 * min(3, len(_FIGURE.findall(lead.text)))
    score += math.log1p(len(lead.text) / 500)
    score -= 0.5 if lead.date_approximate or lead.date is None else 0.0
    return score


def assign_offline(stories: list[Story]) -> None:
    """Keyword themes (both languages) and heuristic significance for every story."""
    for story in stories:
        zh, en = keyword_theme(story)
        story.theme = {"zh": zh, "en": en}
        story.score = significance(story)


def stories_listing(stories: list[Story], headlines: list[str], summaries: list[str]) -> str:
    """The numbered story list given to the theme prompt, each story fenced as data."""
    blocks = []
    for n, (story, headline, summary) in enumerate(zip(stories, headlines, summaries), 1):
        date = story.lead.date.isoformat() if story.lead.date else "?"
        blocks.append(fence(f"[{date}] {headline}: {summary[:200]}", n))
    return "\n".join(blocks)


def assign_with_llm(stories: list[Story], headlines: list[str], summaries: list[str], *, lang: str, llm: LLM,
                    cache: SummaryCache) -> tuple[Prompt, Usage, list[str]]:
    """Theme and importance from one LLM call (cached); stories the reply misses keep the offline values."""
    prompt = load_prompt(THEME_PROMPTS[lang])
    labels = msg("enum_sep", lang).join(t[0] if lang == "zh" else t[1] for t in THEMES)
    listing = stories_listing(stories, headlines, summaries)
    key = cache_key("themes", lang, prompt.hash, llm.model, listing)
    usage, warnings = Usage(), []
    reply = cache.get(key)
    if reply is None:
        completion = llm.complete(prompt.render(stories=listing, themes=labels))
        usage = completion.usage
        reply = completion.text
    try:
        items = parse_json_reply(reply)
        if not isinstance(items, list):
            raise ValueError("not a list")
    except ValueError:
        return prompt, usage, ["the theme reply was not a JSON list; themes and order are the offline ones"]
    cache.put(key, "themes", reply)
    seen: set[int] = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            n, importance = int(item.get("n", 0)), float(item.get("importance", 0))
        except (TypeError, ValueError):
            continue
        theme = str(item.get("theme") or "").strip()
        if 1 <= n <= len(stories) and theme:
            story = stories[n - 1]
            story.theme[lang] = theme
            # Importance (1-5) decides the order; the offline score only breaks ties.
            story.score = 10 * max(1.0, min(5.0, importance)) + significance(story)
            seen.add(n)
    missing = [n for n in range(1, len(stories) + 1) if n not in seen]
    if missing:
        warnings.append(f"the theme reply left out stories {missing}; they keep the offline theme and rank")
    return prompt, usage, warnings
