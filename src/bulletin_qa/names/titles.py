"""Standard English for the titles and institutions of Chinese local government, and title phrases split.

Convention (one for the whole tool, "bulletin-qa house style, after Xinhua"):
- the title goes before the name, capitalised: "District Mayor Hu Rongxin";
- the level is an adjective in front: Provincial, Municipal, County, District, Town, Township,
  Subdistrict ("Secretary of the District CPC Committee", "Municipal People's Congress");
- Party committees are "CPC Committee" (county level and up), "Party Committee" (town, township,
  community), "Party Working Committee" (subdistrict), "Party Branch" (village);
- heads of government: 省长 Governor, 市长 Mayor, 县长 County Magistrate, 区长 District Mayor,
  镇长 Town Mayor, 乡长 Township Head; 副 is "Vice" for Governor, Mayor and CPPCC Chairman (as
  Xinhua prints them) and "Deputy" everywhere else; 常务副 "Executive Vice/Deputy"; 代 "Acting";
- CPPCC stays an acronym ("District CPPCC Committee"); courts and procuratorates are "People's
  Court" and "People's Procuratorate" (省 High, 市 Intermediate).
The glossary file overrides any entry here; `glossary propose` proposes these renderings for review.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bulletin_qa.text.chars import all_han

# Level prefix -> English adjective. 区 and 县 stand for every county-level district/county.
LEVELS = {"省": "Provincial", "市": "Municipal", "县": "County", "区": "District"}
_HEADS = {  # head of government per level: (head, deputy)
    "省": ("Governor", "Vice Governor"), "市": ("Mayor", "Vice Mayor"),
    "县": ("County Magistrate", "Deputy County Magistrate"), "区": ("District Mayor", "Deputy District Mayor"),
    "镇": ("Town Mayor", "Deputy Town Mayor"), "乡": ("Township Head", "Deputy Township Head")}
_COURT = {"省": "Provincial High People's Court", "市": "Municipal Intermediate People's Court",
          "县": "County People's Court", "区": "District People's Court"}
_COURT_ZH = {"省": "省高级人民法院", "市": "市中级人民法院", "县": "县人民法院", "区": "区人民法院"}
# Bodies every county-level and higher government has: {L} is the level character, {A} its adjective.
_BODIES = {
    "{L}委": "{A} CPC Committee", "{L}政府": "{A} Government", "{L}人民政府": "{A} People's Government",
    "{L}人大": "{A} People's Congress", "{L}人大常委会": "Standing Committee of the {A} People's Congress",
    "{L}政协": "{A} CPPCC Committee", "{L}纪委": "{A} Commission for Discipline Inspection",
    "{L}监委": "{A} Supervisory Commission", "{L}人民检察院": "{A} People's Procuratorate",
    "{L}委组织部": "Organization Department of the {A} CPC Committee",
    "{L}委宣传部": "Publicity Department of the {A} CPC Committee",
    "{L}委统战部": "United Front Work Department of the {A} CPC Committee",
    "{L}委政法委": "Political and Legal Affairs Commission of the {A} CPC Committee",
    "{L}委办": "General Office of the {A} CPC Committee", "{L}政府办": "General Office of the {A} Government",
    "{L}委党校": "Party School of the {A} CPC Committee", "{L}发改委": "{A} Development and Reform Commission",
    "{L}发展改革委": "{A} Development and Reform Commission", "{L}财政局": "{A} Finance Bureau",
    "{L}教育局": "{A} Education Bureau", "{L}公安局": "{A} Public Security Bureau",
    "{L}民政局": "{A} Civil Affairs Bureau", "{L}卫健委": "{A} Health Commission",
    "{L}应急管理局": "{A} Emergency Management Bureau", "{L}市场监管局": "{A} Market Regulation Administration",
    "{L}住建局": "{A} Housing and Urban-Rural Development Bureau", "{L}城管局": "{A} Urban Management Bureau",
    "{L}城市管理局": "{A} Urban Management Bureau", "{L}生态环境局": "{A} Ecology and Environment Bureau",
    "{L}农业农村局": "{A} Agriculture and Rural Affairs Bureau", "{L}人社局": "{A} Human Resources and Social "
    "Security Bureau", "{L}文广旅局": "{A} Culture, Radio, Television and Tourism Bureau",
    "{L}自然资源局": "{A} Natural Resources Bureau", "{L}交通运输局": "{A} Transport Bureau",
    "{L}水利局": "{A} Water Resources Bureau", "{L}商务局": "{A} Commerce Bureau", "{L}统计局": "{A} Statistics "
    "Bureau", "{L}审计局": "{A} Audit Bureau", "{L}退役军人事务局": "{A} Veterans Affairs Bureau",
    "{L}医保局": "{A} Healthcare Security Bureau", "{L}总工会": "{A} Federation of Trade Unions",
    "{L}妇联": "{A} Women's Federation", "{L}防汛抗旱指挥部": "{A} Flood Control and Drought Relief Headquarters",
    "{L}安委会": "{A} Work Safety Committee"}
# Titles every county-level and higher level has.
_LEVEL_TITLES = {
    "{L}委书记": "Secretary of the {A} CPC Committee", "{L}委副书记": "Deputy Secretary of the {A} CPC Committee",
    "{L}委常委": "Member of the Standing Committee of the {A} CPC Committee",
    "{L}人大常委会主任": "Director of the Standing Committee of the {A} People's Congress",
    "{L}人大常委会副主任": "Deputy Director of the Standing Committee of the {A} People's Congress",
    "{L}政协主席": "Chairman of the {A} CPPCC Committee", "{L}政协副主席": "Vice Chairman of the {A} CPPCC Committee",
    "{L}纪委书记": "Secretary of the {A} Commission for Discipline Inspection",
    "{L}监委主任": "Director of the {A} Supervisory Commission",
    "{L}人民检察院检察长": "Chief Procurator of the {A} People's Procuratorate",
    "{L}委办主任": "Director of the General Office of the {A} CPC Committee",
    "{L}政府办主任": "Director of the General Office of the {A} Government"}
# Titles without a level, and the short forms news copy uses (统战部长 for 统战部部长).
_PLAIN_TITLES = {
    "组织部部长": "Head of the Organization Department", "组织部长": "Head of the Organization Department",
    "宣传部部长": "Head of the Publicity Department", "宣传部长": "Head of the Publicity Department",
    "统战部部长": "Head of the United Front Work Department", "统战部长": "Head of the United Front Work Department",
    "政法委书记": "Secretary of the Political and Legal Affairs Commission",
    "党组书记": "Secretary of the Leading Party Members' Group",
    "镇党委书记": "Secretary of the Town Party Committee", "乡党委书记": "Secretary of the Township Party Committee",
    "街道党工委书记": "Secretary of the Subdistrict Party Working Committee",
    "党工委书记": "Secretary of the Party Working Committee", "办事处主任": "Director of the Subdistrict Office",
    "社区党委书记": "Secretary of the Community Party Committee", "居委会主任": "Director of the Residents' Committee",
    "村党支部书记": "Secretary of the Village Party Branch", "村委会主任": "Director of the Village Committee",
    "管委会主任": "Director of the Administrative Committee", "指挥长": "Commander", "副指挥长": "Deputy Commander",
    "常务副指挥长": "Executive Deputy Commander", "总经理": "General Manager", "副总经理": "Deputy General Manager",
    "董事长": "Chairman of the Board", "局长": "Director", "副局长": "Deputy Director", "主任": "Director",
    "副主任": "Deputy Director", "院长": "President", "副院长": "Vice President", "校长": "President",
    "副校长": "Vice President", "所长": "Director", "部长": "Head", "书记": "Secretary", "副书记": "Deputy Secretary",
    "主席": "Chairman", "副主席": "Vice Chairman", "检察长": "Chief Procurator", "负责人": "head",
    "区领导": "district leader", "市领导": "municipal leader", "记者": "reporter", "通讯员": "correspondent",
    "实习生": "intern"}
_PLAIN_BODIES = {
    "街道办事处": "Subdistrict Office", "党工委": "Party Working Committee", "管委会": "Administrative Committee",
    "居委会": "Residents' Committee", "村委会": "Village Committee", "镇党委": "Town Party Committee",
    "乡党委": "Township Party Committee", "镇政府": "Town Government", "乡政府": "Township Government",
    "镇人民政府": "Town People's Government", "乡人民政府": "Township People's Government",
    "团区委": "District Committee of the Communist Youth League", "团市委": "Municipal Committee of the "
    "Communist Youth League"}
# Role words a title ends with, and their English when composed with a known institution
# ("区住建局" + "局长" -> "Director of the District Housing and Urban-Rural Development Bureau").
ROLE_OF = {"局长": "Director", "副局长": "Deputy Director", "主任": "Director", "副主任": "Deputy Director",
           "院长": "President", "副院长": "Vice President", "校长": "President", "所长": "Director",
           "部长": "Head", "书记": "Secretary", "副书记": "Deputy Secretary", "主席": "Chairman",
           "副主席": "Vice Chairman", "检察长": "Chief Procurator", "总经理": "General Manager",
           "董事长": "Chairman of the Board", "负责人": "head", "指挥长": "Commander", "副指挥长": "Deputy Commander",
           "常务副指挥长": "Executive Deputy Commander"}
# Bare roles and byline words: parts of titles, never a rendering a text must contain on their own.
GENERIC = frozenset(ROLE_OF) | {"记者", "通讯员", "实习生", "区领导", "市领导", "指挥长", "副指挥长", "常务副指挥长",
                                "副校长", "副院长", "副总经理", "所长"}
# Level words a place name may stand before, and the English word its title uses for the level.
_PLACE_LEVELS = [*LEVELS.items(), ("街道", "Subdistrict"), ("社区", "Community"), ("镇", "Town"), ("乡", "Township"),
                 ("村", "Village")]
# The English level words a place name may stand before ("the Erqi District CPC Committee").
LEVEL_WORDS = tuple(dict.fromkeys(en for _, en in _PLACE_LEVELS))
_SPLIT = re.compile(r"[、，,兼]")


def _expand(table: dict[str, str], levels: dict[str, str]) -> dict[str, str]:
    return {zh.replace("{L}", level): en.replace("{A}", adjective)
            for zh, en in table.items() for level, adjective in levels.items()}


@lru_cache(maxsize=1)
def institutions() -> dict[str, str]:
    """Chinese name -> standard English of government, Party, congress, CPPCC, court and procuratorate bodies."""
    out = _expand(_BODIES, LEVELS) | dict(_PLAIN_BODIES)
    out |= {_COURT_ZH[level]: en for level, en in _COURT.items()}
    out |= {f"{level}人民法院": f"{adjective} People's Court" for level, adjective in LEVELS.items() if level in "县区"}
    return out


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Chinese title -> standard English (house style above), county-level and up plus township and street."""
    out = _expand(_LEVEL_TITLES, LEVELS) | dict(_PLAIN_TITLES)
    for level, (head, deputy) in _HEADS.items():
        out[f"{level}长"] = head
        out[f"副{level}长"] = deputy
        out[f"代{level}长"] = f"Acting {head}"
        out[f"常务副{level}长"] = f"Executive {deputy}"
    out |= {f"{_COURT_ZH[level]}院长": f"President of the {en}" for level, en in _COURT.items()}
    return out


def split_titles(phrase: str) -> list[str]:
    """The parts of a combined title: 区委常委、常务副区长 -> [区委常委, 常务副区长]."""
    return [p.strip() for p in _SPLIT.split(phrase) if p.strip()]


def render_title(title: str, known: dict[str, str] | None = None) -> tuple[str, bool]:
    """The English of one title and whether it is a standard rendering (False: only its role is known).

    Tried in order: the whole title (in `known`, e.g. the glossary, then the table above); a known
    institution followed by a role word (区住建局局长 -> Director of the District Housing and
    Urban-Rural Development Bureau); a place before a level title (二七区委书记 -> Secretary of the
    Erqi District CPC Committee, 桃溪村党支部书记 -> Secretary of the Taoxi Village Party Branch); else
    the longest known title it ends with (郑机所总经理 -> General Manager), marked not standard: the
    institution's official English is missing.
    """
    table = {**titles(), **(known or {})}
    if title in table:
        return table[title], True
    bodies = {**institutions(), **(known or {})}
    for role, role_en in sorted(ROLE_OF.items(), key=lambda kv: -len(kv[0])):
        body = title[: -len(role)]
        if title.endswith(role) and body in bodies:
            return f"{role_en} of the {bodies[body]}", True
    for cut in range(1, len(title)):
        if title[cut:] in table:
            stem, rest = title[:cut], title[cut:]
            adjective = next((en for zh, en in _PLACE_LEVELS if rest.startswith(zh)), None)
            # A place before a level title names the level: 二七 + 区委书记 -> the Erqi District CPC Committee.
            if adjective and len(stem) <= 4 and all_han(stem) and adjective in table[rest]:
                from bulletin_qa.names.pinyin import join_syllables, syllables

                place = join_syllables(syllables(stem)).capitalize()
                return table[rest].replace(adjective, f"{place} {adjective}", 1), True
            return table[rest], False
    return "", False


def render_phrase(phrase: str, known: dict[str, str] | None = None) -> tuple[str, bool]:
    """A combined title in English, parts joined by "and": 区委副书记、区长 -> "... and District Mayor"."""
    parts = [render_title(p, known) for p in split_titles(phrase)]
    rendered = [en for en, _ in parts if en]
    return " and ".join(rendered), bool(parts) and all(ok for _, ok in parts)
