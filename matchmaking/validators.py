"""Validators for what organisations type into the public forms: the 统一社会信用代码 (GB 32100-2015)
and Chinese phone numbers. Pure functions; the forms and models call them."""

import re

from django.core.exceptions import ValidationError

# GB 32100-2015 §4: the code's character set is the digits and the capital letters without
# I, O, Z, S and V (they are easily confused with 1, 0, 2, 5 and U). Each character's value is
# its index here (A = 10 … Y = 30).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# Weight of position i (i = 0 … 16) is 3^i mod 31, as the standard tabulates them.
CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# Appendix A: registration authority (登记管理部门, position 1) → organisation types (机构类别,
# position 2) it may issue. The project brief names 1/5/9/Y as the common ones; the others
# (律师事务所 31…, 农村集体经济组织 N…, 宗教活动场所 71… …) are real codes too, and a national
# platform must not refuse a law firm or a village collective, so the whole table is accepted.
CREDIT_CODE_AUTHORITIES = {
    "1": "1239",  # 机构编制：机关、事业单位、群众团体、其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政：律师执业机构、公证处、基层法律服务所、司法鉴定机构、仲裁委员会
    "4": "19",  # 文化
    "5": "1239",  # 民政：社会团体、民办非企业单位、基金会、其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 市场监管（工商）：企业、个体工商户、农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业农村：组级、村级、乡镇级集体经济组织
    "Y": "1",  # 其他
}

# First two digits of a GB/T 2260 administrative division code (provinces, plus 10 for bodies
# registered at national level, e.g. ministries: 11100000…).
DIVISION_PREFIXES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)

_CREDIT_CODE_SHAPE = re.compile(rf"^[{CREDIT_CODE_CHARSET}]{{18}}$")


def credit_code_check_character(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 characters are `first17`.

    check = 31 − (Σ value(cᵢ) × 3ⁱ mod 31  mod 31), with 31 written as 0, mapped back into the
    character set. Raises ValueError for characters outside the set."""
    if len(first17) != 17:
        raise ValueError("需要前 17 位")
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    check = 31 - total % 31
    return CREDIT_CODE_CHARSET[0 if check == 31 else check]


def normalise_credit_code(value: str) -> str:
    """Upper case without spaces: people paste codes from licences with spaces or lower case."""
    return re.sub(r"\s+", "", value or "").upper()


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless `value` is a well-formed 统一社会信用代码 with the right check
    character. Expects a normalised value (see `normalise_credit_code`)."""
    if len(value) != 18:
        raise ValidationError("统一社会信用代码应为 18 位。", code="length")
    if not _CREDIT_CODE_SHAPE.match(value):
        raise ValidationError(
            "统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）。", code="charset"
        )
    authority, kind, division = value[0], value[1], value[2:8]
    if authority not in CREDIT_CODE_AUTHORITIES:
        raise ValidationError("统一社会信用代码第 1 位（登记管理部门代码）无效。", code="authority")
    if kind not in CREDIT_CODE_AUTHORITIES[authority]:
        raise ValidationError("统一社会信用代码第 2 位（机构类别代码）无效。", code="type")
    if not division.isdigit() or division[:2] not in DIVISION_PREFIXES:
        raise ValidationError(
            "统一社会信用代码第 3–8 位应为登记管理机关的行政区划代码。", code="division"
        )
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新填写。", code="check")


MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(value: str) -> str:
    """Drop spaces and a +86 / 0086 country prefix; keep one hyphen after a landline area code.
    E.g. '+86 138 0013 8000' → '13800138000', '0760 8888 1234' → '0760-88881234'."""
    phone = re.sub(r"[\s()（）]", "", value or "")
    phone = re.sub(r"^(\+86|0086)-?", "", phone)
    if phone.startswith("0") and "-" not in phone and len(phone) > 9:
        # 010/02x are three-digit area codes, the rest four (GB/T 13727 numbering plan).
        area = 3 if phone[1] in "12" else 4
        phone = f"{phone[:area]}-{phone[area:]}"
    return phone


def validate_phone(value: str) -> None:
    """A mainland mobile number (1[3-9] + 9 digits) or a landline with its area code."""
    if not (MOBILE.match(value) or LANDLINE.match(value)):
        raise ValidationError(
            "请填写正确的手机号（11 位）或带区号的固定电话，例如 0760-88881234。", code="phone"
        )
