"""English names of regions for the English pages.

Province-level units have conventional English names (Inner Mongolia, Shaanxi and Shanxi, Hong
Kong …) that pinyin alone gets wrong, so they are listed here. A prefecture-level unit's English
name is its name in pinyin without tones, as China's official romanisation of place names does
(GB/T 16159; pypinyin reads the multi-syllable place names its phrase dictionary knows, e.g.
重庆 → Chongqing), with the generic part translated (市 dropped, 地区 → Prefecture, 自治州 →
Autonomous Prefecture, 盟 → League).
"""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from cases.languages import is_english

PROVINCES = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "河北省": "Hebei",
    "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning",
    "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang",
    "上海市": "Shanghai",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "山东省": "Shandong",
    "河南省": "Henan",
    "湖北省": "Hubei",
    "湖南省": "Hunan",
    "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi",
    "海南省": "Hainan",
    "重庆市": "Chongqing",
    "四川省": "Sichuan",
    "贵州省": "Guizhou",
    "云南省": "Yunnan",
    "西藏自治区": "Xizang",
    "陕西省": "Shaanxi",
    "甘肃省": "Gansu",
    "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "台湾省": "Taiwan",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
}

# Generic endings of prefecture-level names, longest first, and their English.
ENDINGS = (
    ("自治州", " Autonomous Prefecture"),
    ("地区", " Prefecture"),
    ("盟", " League"),
    ("市", ""),
    ("县", " County"),
)


# ISO 3166-2:CN subdivision codes: the English map's tile labels (a full name does not fit).
PROVINCE_CODES = {
    "北京市": "BJ", "天津市": "TJ", "河北省": "HE", "山西省": "SX", "内蒙古自治区": "NM",
    "辽宁省": "LN", "吉林省": "JL", "黑龙江省": "HL", "上海市": "SH", "江苏省": "JS",
    "浙江省": "ZJ", "安徽省": "AH", "福建省": "FJ", "江西省": "JX", "山东省": "SD",
    "河南省": "HA", "湖北省": "HB", "湖南省": "HN", "广东省": "GD", "广西壮族自治区": "GX",
    "海南省": "HI", "重庆市": "CQ", "四川省": "SC", "贵州省": "GZ", "云南省": "YN",
    "西藏自治区": "XZ", "陕西省": "SN", "甘肃省": "GS", "青海省": "QH", "宁夏回族自治区": "NX",
    "新疆维吾尔自治区": "XJ", "台湾省": "TW", "香港特别行政区": "HK", "澳门特别行政区": "MO",
}  # fmt: skip


def province_short_name(name: str) -> str:
    return PROVINCE_CODES.get(name, name)


def place_name(name: str) -> str:
    """A region's name given as text, in English on the English pages."""
    return region_name_en(name) if name and is_english() else name


def _pinyin(text: str) -> str:
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors="ignore")
    word = "".join(syllables)
    return word[:1].upper() + word[1:]


@lru_cache(maxsize=4096)
def region_name_en(name: str) -> str:
    """'广东省' → 'Guangdong'; '深圳市' → 'Shenzhen'; '大兴安岭地区' → 'Daxinganling Prefecture'."""
    if name in PROVINCES:
        return PROVINCES[name]
    for ending, english in ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return _pinyin(name[: -len(ending)]) + english
    return _pinyin(name)
