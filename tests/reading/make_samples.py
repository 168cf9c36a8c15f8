"""Write the project's own samples and the sample rows of the segmentation golden file.

    python -m tests.reading.make_samples     (from the repository root)

Writes samples/pages/*.txt (print layout, see sample_layout.py; one GB18030, one UTF-8 with
BOM), samples/corpus.jsonl (a dozen invented 河湾区 articles) and evals/golden/segmentation.jsonl
(expected articles of every sample page, then the real page's metadata, flagged realdata).
Expected values are written by hand in sample_pages.py and REAL_PAGE below, never computed by
the reader.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .sample_layout import render_page
from .sample_pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "evals" / "golden" / "segmentation.jsonl"

# Metadata of /work/shared/data/pages/erqi-2023-05.txt (third-party text: titles, dates and names only).
REAL_PAGE = {
    "page": "pages/erqi-2023-05.txt",
    "realdata": True,
    "note": "relative to the shared data folder (../shared/data); third-party page, not in the repo",
    "articles": [
        {"title": "二七区召开防汛应急演练动员会", "subtitle": "", "date": "2023-05-06", "approx": False,
         "reporters": ["景静"], "correspondents": []},
        {"title": "二七区委党校2023年春季主体班圆满结业", "subtitle": "", "date": "2023-03-28", "approx": False,
         "reporters": ["景静"], "correspondents": []},
        {"title": "二七区召开二季度产业发展暨经济工作推进会", "subtitle": "以实干实绩交出“半年红”“双过半”优异答卷",
         "date": "2023-05-04", "approx": False, "reporters": ["景静"], "correspondents": []},
        {"title": "区领导到郑州机械研究所有限公司调研座谈", "subtitle": "全力打造嵩山路科创产业一条街",
         "date": "2023-05-05", "approx": False, "reporters": ["景静"], "correspondents": []},
        {"title": "区领导督导安全生产工作", "subtitle": "聚焦重点行业领域 确保安全检查常态长效",
         "date": "2023-05-06", "approx": True, "reporters": ["景静"], "correspondents": []},
        {"title": "市、区两级人大代表视察二七区安置房建设推进工作", "subtitle": "", "date": "2023-05-06",
         "approx": True, "reporters": ["景静"], "correspondents": ["左学彬", "周祎"]},
    ],
}

CORPUS = [
    ("hewan-c001", "2024-02-26", "河湾区发布2023年国民经济和社会发展统计公报",
     "河湾区统计局2月26日发布2023年国民经济和社会发展统计公报。公报显示，2023年全区实现地区生产总值612.4亿元，比上年增长6.1%；一般公共预算收入48.7亿元，增长5.3%；城镇居民人均可支配收入52860元，农村居民人均可支配收入28410元，分别增长4.9%和6.8%。全年新增城镇就业9260人，城镇调查失业率控制在5.2%以内。"),
    ("hewan-c002", "2024-02-28", "地铁5号线河湾段完成全部铺轨",
     "清川地铁5号线河湾段2月28日完成全部铺轨。河湾段全长11.6公里，设白鹭湾站、河湾大道站、科技城站等7座车站，计划于2024年12月底开通试运营。开通后，从河湾科技城到清川火车站的通勤时间将由目前的70分钟缩短至35分钟左右。"),
    ("hewan-c003", None, "",
     "河湾区垃圾分类工作再出新举措。区城市管理局在南苑社区、柳湾社区等12个社区试点“撤桶并点、定时定点”投放，居民分类投放准确率由试点前的61%提高到89%。区城市管理局局长杜海峰表示，试点经验将在年内推广到全区所有社区。"),
    ("hewan-c004", "2024-03-05", "河湾区出台养老服务补贴新政",
     "河湾区民政局3月5日发布《河湾区养老服务补贴实施办法》，自4月1日起施行。办法规定，80周岁以上、具有河湾区户籍的老年人每月可领取高龄津贴200元，90周岁以上每月400元；经评估为重度失能的老年人，入住养老机构每月可获得护理补贴800元。区民政局局长苏文静介绍，新政预计惠及全区老年人约1.9万名。"),
    ("hewan-c005", "2024-03-21", "清川河河湾段防洪堤加固工程启动",
     "清川河河湾段防洪堤加固工程3月21日启动。工程总投资2.4亿元，加固堤防8.3公里，新建排涝泵站2座，计划在6月主汛期前完成主体工程。区水利局局长包永刚表示，工程完工后，河湾段防洪标准将由20年一遇提高到50年一遇。"),
    ("hewan-c006", "2024-04-12", "",
     "4月12日，河湾区政务服务中心“周末不打烊”服务正式推出。每周六上午9时至下午5时，中心开设社保、医保、不动产登记、户籍等8类业务窗口，为上班族提供错时服务。推出首日共办理业务312件。"),
    ("hewan-c007", "2024-04-20", "2024河湾半程马拉松鸣枪开跑",
     "4月20日，2024河湾半程马拉松在白鹭湾湿地公园鸣枪开跑，来自全国各地的8000名选手参赛。赛道途经河湾大道、滨河路和清川河沿岸，全程21.0975公里。男子组冠军成绩为1小时05分12秒，女子组冠军成绩为1小时14分47秒。"),
    ("hewan-c008", None, "河湾区图书馆新馆开放",
     "河湾区图书馆新馆在河湾文化中心正式对市民开放。新馆建筑面积2.3万平方米，藏书85万册，设有少儿阅览区、古籍阅览室和24小时自助借阅区，每周一闭馆，其余时间9时至21时开放。市民凭身份证或社保卡即可免费办理借阅证。"),
    ("hewan-c009", "2024-05-08", "桃溪村获评省级乡村旅游重点村",
     "5月8日，省文化和旅游厅公布第四批省级乡村旅游重点村名单，河湾区青石镇桃溪村入选。桃溪村依托300亩樱桃园和清川河湿地，发展采摘、民宿和研学旅游，2023年接待游客42万人次，旅游综合收入3100万元。"),
    ("hewan-c010", "2024-05-30", "河湾区发布暴雨蓝色预警",
     "河湾区气象台5月30日16时发布暴雨蓝色预警：预计30日夜间到31日白天，全区将出现大到暴雨，局地大暴雨，累计雨量60至120毫米。区防汛抗旱指挥部启动防汛四级应急响应，提醒市民减少外出，远离河道、涵洞和低洼地带。"),
    ("hewan-c011", "2024-06-03", "南苑社区老旧小区改造完工",
     "6月3日，柳湾街道南苑社区老旧小区改造工程通过竣工验收，成为河湾区城市更新三年行动中首个完工的项目。改造共加装电梯14部，新增停车位260个、充电桩80个，改造雨污管网3.2公里，惠及居民1140户。"),
    ("hewan-c012", "2024-06-14", "河湾区启用“一网统管”智慧城管平台",
     "河湾区智慧城管平台6月14日正式启用。平台接入全区视频监控探头3200余路，对井盖、路灯、垃圾桶等城市部件统一编码管理，发现问题后自动派单，处置时限由原来的平均48小时缩短到12小时。区城市管理局表示，市民也可通过“随手拍”小程序上报城市管理问题。"),
]


def _golden_row(page) -> dict:
    articles = []
    for story in page.stories:
        row = asdict(story.expect)
        if len(row["body_start"]) != 10:
            raise ValueError(f"body_start must be 10 characters: {row['body_start']!r}")
        articles.append(row)
    return {"page": f"samples/pages/{page.name}", "realdata": False, "encoding": page.encoding, "articles": articles}


def main() -> None:
    """Write the sample pages, the sample corpus and the golden file."""
    pages_dir = ROOT / "samples" / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for page in PAGES:
        (pages_dir / page.name).write_bytes(render_page(page).encode(page.encoding))
        rows.append(_golden_row(page))
    rows.append(REAL_PAGE)
    with (ROOT / "samples" / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for cid, date, title, text in CORPUS:
            record = {"id": cid, "date": date, **({"title": title} if title else {}), "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    with GOLDEN.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
