"""How people really ask (issue 11): traditional characters, English, everyday words, questions,
typos and words the segmenter leaves in pieces, each finding the expected page in the top three
on every engine. The queries are written from the source document and the fixtures (the pages'
subjects as a resident, an enterprise or a foreign peer would name them), not from engine output.
"""

import pytest

from cases.models import CasePage, TechnologyPage

CONSTRUCTION_WASTE = (
    "seed-xuchang-02",
    "seed-shaoxing-06",
    "seed-shenzhen-05",
    "seed-tech-cdw-full-chain",
)

QUERIES = {
    "traditional": [
        ("危險廢物 跨省轉移", "seed-chongqing-05"),
        ("泥漿不落地", "seed-panjin-01"),
        ("一物一碼", "seed-chongqing-04"),
        ("飛灰 等離子氣化", "seed-shenzhen-07"),
        ("農膜 以舊換新", "seed-shaoxing-04"),
        ("廢鉛蓄電池", "seed-xuchang-04"),
        ("醫療廢物 智慧監管", "seed-shenzhen-06"),
        ("建築垃圾 源頭減量", "seed-shaoxing-06"),
        ("採煤塌陷地", "seed-xuzhou-03"),
        ("兩網融合", "seed-tianjin-eco-city-03"),
    ],
    "english": [
        ("kitchen waste", "seed-guangze-01"),
        ("fly ash plasma gasification", "seed-shenzhen-07"),
        ("incineration fly ash", "seed-shenzhen-07"),
        ("lead-acid battery", "seed-xuchang-04"),
        ("medical waste", "seed-shenzhen-06"),
        ("agricultural film recycling", "seed-xining-02"),
        ("pesticide packaging deposit", "seed-weihai-03"),
        ("construction waste source reduction", "seed-shaoxing-06"),
        ("extended producer responsibility lead-acid batteries", "seed-xuchang-04"),
        ("hazardous waste cross-province transfer", "seed-chongqing-05"),
        ("tailings backfill", "seed-tongling-02"),
        ("industrial waste salt", "seed-shaoxing-10"),
        ("drilling mud", "seed-panjin-01"),
        ("green mine", "seed-baotou-01"),
        ("coal mining subsidence", "seed-xuzhou-03"),
        ("zero-waste cells", "seed-tongling-01"),
    ],
    "everyday": [
        ("剩饭剩菜", "seed-guangze-01"),
        ("泔水", "seed-guangze-01"),
        ("菜叶果皮", "seed-guangze-01"),
        ("旧电瓶 回收", "seed-xuchang-04"),
        ("汽车电瓶", "seed-xuchang-04"),
        # A category word: every page on construction waste answers it, none says 拆迁.
        ("拆迁垃圾", CONSTRUCTION_WASTE),
        ("焚烧灰", "seed-shenzhen-07"),
        ("废铁", "seed-xuchang-03"),
        ("医院垃圾", "seed-shenzhen-06"),
        ("旧衣服", "seed-tianjin-eco-city-03"),
        ("大棚膜", "seed-xining-02"),
        ("农药袋", "seed-weihai-03"),
        ("矿渣", "seed-xining-01"),
        ("废纸箱", "seed-tianjin-eco-city-03"),
        ("装修垃圾", "seed-shenzhen-05"),
        ("钻井泥浆", "seed-panjin-01"),
    ],
    "question": [
        ("哪些城市开展了危险废物跨省转移合作？", "seed-chongqing-05"),
        ("如何解决小微企业危险废物收集难的问题", "seed-shaoxing-08"),
        ("怎样实现钻井泥浆不落地", "seed-panjin-01"),
        ("农膜怎么回收？", "seed-xining-02"),
        ("飞灰怎么处理才能无害化", "seed-shenzhen-07"),
        ("深圳是怎么推行生活垃圾强制分类的", "seed-shenzhen-04"),
        ("什么是无废细胞", "seed-tongling-01"),
        ("建筑垃圾如何实现源头减量？", "seed-shaoxing-06"),
        ("农药包装废弃物怎样回收", "seed-weihai-03"),
        ("徐州采煤塌陷地是怎么治理的", "seed-xuzhou-03"),
        ("废铅蓄电池回收有哪些制度", "seed-xuchang-04"),
        ("医疗废物怎么监管", "seed-shenzhen-06"),
        ("工业废盐能不能资源化利用", "seed-shaoxing-10"),
        ("有没有铜尾矿井下充填的经验", "seed-tongling-02"),
        ("重庆危险废物怎样做到一物一码全过程追踪", "seed-chongqing-04"),
    ],
    "typo": [
        ("泥浆不落帝", "seed-panjin-01"),
        ("等离子汽化", "seed-shenzhen-07"),
        ("电子连单", "seed-beijing-etdz-01"),
        ("采煤塌陷低", "seed-xuzhou-03"),
        ("两网融和", "seed-tianjin-eco-city-03"),
        ("装配式建竹", "seed-shaoxing-06"),
        ("党建引零", "seed-shaoxing-05"),
        ("工业废监", "seed-shaoxing-10"),
        ("强制分累", "seed-shenzhen-04"),
        ("一物一玛", "seed-chongqing-04"),
        ("残膜回首", "seed-xining-02"),
        ("井下充真", "seed-tongling-02"),
    ],
    "leftover": [
        ("飞灰等离子气化处", "seed-shenzhen-07"),
        ("绍兴危废收集快", "seed-shaoxing-08"),
        ("深圳医废管", "seed-shenzhen-06"),
        ("重庆汽车产业链", "seed-chongqing-03"),
        ("西宁残膜收", "seed-xining-02"),
        ("光泽县村垃圾分类", "seed-guangze-01"),
        ("铜陵尾矿井下充填法", "seed-tongling-02"),
        ("渣土排放限额管", "seed-shenzhen-05"),
        ("威海押金回收制", "seed-weihai-03"),
        ("电子联单管", "seed-beijing-etdz-01"),
        ("白名单跨省转移快", "seed-chongqing-05"),
        ("盘锦泥浆不落地矿", "seed-panjin-01"),
        ("绍兴直通车模", "seed-shaoxing-08"),
        ("两网融合站", "seed-tianjin-eco-city-03"),
    ],
}
# Pinyin and initials typed in the search box → autocomplete offers the word and its pages.
PINYIN = [
    ("weifei", "危废", None),
    ("nijiangbuluodi", "泥浆不落地", "seed-panjin-01"),
    ("yiwuyima", "一物一码", "seed-chongqing-04"),
    ("ztc", "直通车", "seed-shaoxing-08"),
    ("dlzqh", "等离子气化", "seed-shenzhen-07"),
    ("feihui", "飞灰", "seed-shenzhen-07"),
    ("lwrh", "两网融合", "seed-tianjin-eco-city-03"),
    ("cmtxd", "采煤塌陷地", "seed-xuzhou-03"),
    ("zpsjz", "装配式建筑", "seed-shaoxing-06"),
    ("chuyu", "厨余", "seed-guangze-01"),
    ("wfxb", "无废细胞", "seed-tongling-01"),
]
CASES = [(kind, q, expected) for kind, queries in QUERIES.items() for q, expected in queries]


def _url(external_id: str) -> str:
    page = CasePage.objects.filter(external_id=external_id).first() or TechnologyPage.objects.get(
        external_id=external_id
    )
    return page.url


def test_at_least_eight_queries_per_kind():
    assert all(len(queries) >= 8 for queries in QUERIES.values())
    assert len(PINYIN) >= 8


@pytest.mark.parametrize(("kind", "q", "expected"), CASES)
def test_expected_page_in_top_three(client, engine, kind, q, expected):
    """`expected`: the page that answers the query, or a tuple of pages that answer it equally."""
    body = client.get("/api/search/", {"q": q}).json()
    assert body["engine"] == engine.name
    top3 = [r["url"] for r in body["results"][:3]]
    answers = {_url(e) for e in (expected if isinstance(expected, tuple) else (expected,))}
    assert answers & set(top3), (kind, q, [r["title"] for r in body["results"][:5]])


@pytest.mark.parametrize(("q", "word", "external_id"), PINYIN)
def test_pinyin_autocomplete(client, engine, q, word, external_id):
    suggestions = client.get("/api/search/autocomplete/", {"q": q}).json()["suggestions"]
    terms = [s["title"] for s in suggestions if s["type"] == "query"]
    assert terms and terms[0] == word, (q, terms)
    if external_id:
        pages = [s["url"] for s in suggestions if s["type"] != "query"][:3]
        assert _url(external_id) in pages, (q, [s["title"] for s in suggestions])


def test_traditional_and_english_text_on_pages_is_found(
    client, engine, new_case, django_capture_on_commit_callbacks
):
    """Documents are normalised as queries are: a page written in traditional characters is
    found in simplified ones (and the reverse); English words are stemmed on every engine."""
    page = new_case(
        title="鸚鵡螺市危險廢物試點",
        summary="Parrot city landfills and incinerators (example page for this test).",
    )
    for q in ["鹦鹉螺市 危险废物", "鸚鵡螺市", "parrot landfill", "Parrot incinerator"]:
        assert page.url in [
            r["url"] for r in client.get("/api/search/", {"q": q}).json()["results"]
        ], q


def test_english_words_map_to_the_taxonomy(db):
    from search.query import understand

    assert "炉渣" in understand("slag")[0].variants
    assert "填埋" in understand("landfills")[0].variants
    assert "焚烧" in understand("incineration")[0].variants
    assert "厨余垃圾" in understand("Kitchen Waste")[0].variants


def test_question_words_are_not_required(db):
    from search.query import understand

    concepts = understand("哪些城市是怎么处理飞灰的？")
    words = {v for c in concepts for v in c.variants}
    assert "飞灰" in words and not words & {"哪些", "怎么", "什么", "吗"}


def test_pinyin_and_city_names_in_an_english_query(db):
    from search.query import understand

    assert "深圳" in understand("shenzhen")[0].variants
    assert "危废" in understand("weifei")[0].variants
    assert understand("pilot")[0].variants[:2] == ("pilot", "试点")
