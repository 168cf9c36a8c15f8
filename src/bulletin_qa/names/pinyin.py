"""Chinese names in pinyin the way English-language Chinese media print them.

People: surname first, given name joined into one word, each capitalised: 樊惠林 -> Fan Huilin,
欧阳修 -> Ouyang Xiu. A surname character is read with its surname reading, which often differs
from its everyday one (单 dan -> Shan, 曾 ceng -> Zeng, 解 jie -> Xie, 区 qu -> Ou).
# SEE: GB/T 28039-2011 "Chinese phonetic alphabet spelling rules for Chinese names" (surname first,
# given name joined, apostrophe before a syllable opening with a, o, e).

Convention for ü (one choice, used everywhere): **ü is written "yu"** after l and n, as on
Chinese passports and in GB/T 28039-2011 where ü cannot be typed: 吕安民 -> Lyu Anmin, 女 -> nyu.
It keeps names ASCII and never confuses 吕 Lyu with 卢/陆 Lu. (After j, q, x, y pinyin writes ü
as u anyway: 徐 Xu.) The English checks accept "Lyu Anmin" and flag "Lu Anmin"; summaries and
translations written "Lü Anmin" or "Lv Anmin" are respelt "Lyu Anmin" (the same syllables) and noted.

Places: pinyin of the stem plus the English of their kind (二七区 -> Erqi District).
"""

from __future__ import annotations

# Two-character surnames: the whole pair is the family name (欧阳修 -> Ouyang Xiu).
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文",
    "司徒", "轩辕", "端木", "申屠", "闻人", "澹台", "万俟", "西门", "南宫", "呼延", "独孤", "钟离", "太史",
    "赫连", "百里", "东郭", "公冶", "宗政", "濮阳", "淳于", "单于", "公羊", "拓跋", "司空", "第五"})
# Single-character surnames: the 百家姓 list plus the common modern ones it lacks (付, 闫, 覃, 虎 ...).
# Used to tell a name from a word after a title (区长虎荣鑫: 虎 is a surname; 书记强调: 强 is too,
# so the boundary after the name decides, see people.py).
SINGLE_SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平"
    "黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童"
    "颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔"
    "吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰"
    "秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴"
    "胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹"
    "习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾"
    "辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督岳帅缑亢况郈有琴归海晋楚闫法汝"
    "鄢涂钦付覃区朴虎檀谌揭佘麦练冼粟兰植代银迟苟母操过占由原伞卿战隋税达乐泮")
# Surname characters whose everyday reading differs from the surname reading (单 dan -> Shan).
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "乐": "yue", "区": "ou",
    "翟": "zhai", "盖": "ge", "缪": "miao", "覃": "qin", "尉迟": "yuchi", "长孙": "zhangsun", "万俟": "moqi",
    "单于": "chanyu", "秘": "bi", "召": "shao", "折": "she", "员": "yun", "华": "hua", "纪": "ji", "重": "chong",
    "种": "chong", "繁": "po", "祭": "zhai", "宁": "ning", "燕": "yan", "应": "ying", "薄": "bo", "柏": "bai",
    "贾": "jia", "藏": "zang", "阚": "kan", "冼": "xian", "那": "na", "任": "ren", "沈": "shen", "石": "shi",
    "尉": "yu", "句": "gou", "隗": "wei", "卜": "bu", "莘": "shen", "郇": "xun", "谌": "chen",
    "过": "guo", "能": "nai", "都": "du", "朝": "chao", "曲": "qu"}
# Longest suffix first: 街道办事处 before 街道 before 街.
PLACE_SUFFIXES = [("街道办事处", "Subdistrict Office"), ("街道", "Subdistrict"), ("社区", "Community"),
                  ("大道", "Avenue"), ("公园", "Park"), ("广场", "Square"), ("区", "District"), ("县", "County"),
                  ("市", "City"), ("省", "Province"), ("镇", "Town"), ("乡", "Township"), ("村", "Village"),
                  ("路", "Road"), ("街", "Street"), ("湖", "Lake"), ("河", "River"), ("山", "Mountain")]
ORG_SUFFIXES = [("人民政府", "People's Government"), ("委员会", "Committee"), ("办公室", "Office"),
                ("检察院", "People's Procuratorate"), ("法院", "People's Court"), ("党校", "Party School"),
                ("派出所", "Police Station"), ("医院", "Hospital"), ("大学", "University"), ("学院", "College"),
                ("学校", "School"), ("中学", "Middle School"), ("小学", "Primary School"), ("中心", "Center"),
                ("集团", "Group"), ("公司", "Company"), ("银行", "Bank"), ("协会", "Association"),
                ("局", "Bureau"), ("厅", "Department"), ("委", "Commission")]


def syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of `text`, ü written by the convention above (lü -> lyu)."""
    from pypinyin import lazy_pinyin

    return [s.replace("v", "yu") for s in lazy_pinyin(text)]


def join_syllables(parts: list[str]) -> str:
    """Join pinyin syllables into one word, with the apostrophe before a/o/e (Xi'an, Jia'an)."""
    out = ""
    for s in parts:
        out += ("'" if out and s[:1] in "aoe" else "") + s
    return out


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name): a compound surname when the name starts with one and has a given name."""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname, name[len(surname):]


def has_surname(name: str) -> bool:
    """True when `name` starts with a known single or compound surname."""
    return name[:2] in COMPOUND_SURNAMES or name[:1] in SINGLE_SURNAMES


def surname_pinyin(surname: str) -> str:
    """A surname in pinyin with its surname reading: 单 -> Shan, 欧阳 -> Ouyang, 吕 -> Lyu."""
    return (SURNAME_READINGS.get(surname) or join_syllables(syllables(surname))).capitalize()


def person_pinyin(name: str) -> str:
    """A Chinese personal name in pinyin, surname first, given name joined: 樊惠林 -> Fan Huilin."""
    surname, given = split_name(name)
    parts = [surname_pinyin(surname)]
    if given:
        parts.append(join_syllables(syllables(given)).capitalize())
    return " ".join(parts)


def with_suffix(name: str, suffixes: list[tuple[str, str]]) -> tuple[str, bool]:
    """Pinyin of the name's stem plus the English of its suffix; the bool says a suffix matched."""
    for zh, en in suffixes:
        if name.endswith(zh) and len(name) > len(zh):
            return f"{join_syllables(syllables(name[: -len(zh)])).capitalize()} {en}", True
    return join_syllables(syllables(name)).capitalize(), False


def place_english(name: str) -> str:
    """A place name as pinyin plus its kind: 二七区 -> Erqi District, 郑州市 -> Zhengzhou City."""
    return with_suffix(name, PLACE_SUFFIXES)[0]
