"""统一社会信用代码 (GB 32100-2015) and phone number validation."""

import pytest
from django.core.exceptions import ValidationError
from mm_helpers import make_credit_code

from matchmaking.validators import (
    credit_code_check_character,
    normalise_credit_code,
    normalise_phone,
    validate_credit_code,
    validate_phone,
)


def test_check_character_of_the_standards_example_verified_by_hand():
    """91350100M000100Y43 is the example printed in GB 32100-2015. By hand, with values
    0–9 = 0–9, M = 21, Y = 30 and weights 3^i mod 31:

        9×1 + 1×3 + 3×9 + 5×27 + 0×19 + 1×26 + 0×16 + 0×17 + M(21)×20 + 0×29 + 0×25 + 0×13
        + 1×8 + 0×24 + 0×10 + Y(30)×30 + 4×28
        = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640
        1640 mod 31 = 28 (31 × 52 = 1612), 31 − 28 = 3 → check character "3".
    """
    assert credit_code_check_character("91350100M000100Y4") == "3"
    validate_credit_code("91350100M000100Y43")


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # 华为技术有限公司 (深圳)
        "91110000710926094P",  # 中国石油化工股份有限公司 (北京)
        "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    ],
)
def test_published_codes_are_accepted(code):
    validate_credit_code(code)
    assert make_credit_code(code[:17]) == code


@pytest.mark.parametrize(
    "first17",
    [
        "91442000MA4UL8K2X",  # 企业, 中山
        "12330600470128305",  # 事业单位, 绍兴
        "51500000MJP543210",  # 社会团体, 重庆
        "92440300MA5F12345",  # 个体工商户, 深圳
        "Y1110000123456789",  # 其他
        "31330000MD0123456",  # 律师事务所 (司法行政)
        "N2510100MF1234567",  # 村级集体经济组织, 成都
        "11100000000013127",  # a ministry, registered at national level (100000)
    ],
)
def test_generated_codes_with_every_check_character_path_are_accepted(first17):
    code = make_credit_code(first17)
    validate_credit_code(code)
    assert credit_code_check_character(first17) == code[-1]


def test_every_wrong_check_character_is_refused():
    code = make_credit_code("91442000MA4UL8K2X")
    for wrong in "0123456789ABCDEFGHJKLMNPQRTUWXY".replace(code[-1], ""):
        with pytest.raises(ValidationError) as error:
            validate_credit_code(code[:17] + wrong)
        assert error.value.code == "check"


def test_check_value_31_becomes_zero():
    """Find a prefix whose weighted sum is ≡ 0 (mod 31): the check is 31, written as 0."""
    for n in range(10000):
        prefix = f"91442000MA{n:07d}"
        if credit_code_check_character(prefix) == "0":
            assert make_credit_code(prefix).endswith("0")
            break
    else:  # pragma: no cover
        pytest.fail("no prefix with check 0 found")


@pytest.mark.parametrize(
    "code, reason",
    [
        ("91442000MA4UL8K2", "length"),  # 17 characters
        ("91442000MA4UL8K2X11", "length"),
        ("91442000MA4UL8KIX1", "charset"),  # I is not in the character set
        ("91442000MA4UL8KOX1", "charset"),  # O
        ("91442000MA4UL8KZX1", "charset"),  # Z
        ("91442000MA4UL8KSX1", "charset"),  # S
        ("91442000MA4UL8KVX1", "charset"),  # V
        ("B1442000MA4UL8K2X1", "authority"),  # no registration authority B
        ("94442000MA4UL8K2X1", "type"),  # 工商 issues types 1–3 only
        ("9144A000MA4UL8K2X1", "division"),  # positions 3–8 must be digits
        ("91992000MA4UL8K2X1", "division"),  # 99 is no province
    ],
)
def test_structure_is_enforced(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == reason


def test_codes_are_normalised_before_validation():
    assert normalise_credit_code(" 9144 0300 7084 6113 6t ") == "91440300708461136T"


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("13912345678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("0086-13912345678", "13912345678"),
        ("0760-88881234", "0760-88881234"),
        ("0760 88881234", "0760-88881234"),
        ("01066668888", "010-66668888"),
        ("(020) 8888 1234", "020-88881234"),
    ],
)
def test_valid_phones(raw, normalised):
    phone = normalise_phone(raw)
    assert phone == normalised
    validate_phone(phone)


@pytest.mark.parametrize(
    "raw", ["12912345678", "1391234567", "139123456789", "88881234", "0760-123", "abc", "110"]
)
def test_invalid_phones(raw):
    with pytest.raises(ValidationError):
        validate_phone(normalise_phone(raw))
