"""Import resolves everyday category names (issue 11): 玻璃 → 废玻璃 when only one category
fits, named in the row's report; an ambiguous name (电池: 废电池 or 含铅废物) is a row error
listing the candidates."""

import pytest
from django.core.management import call_command

from cases import resolvers
from publishing import imports

pytestmark = pytest.mark.django_db

RECORD = {
    "type": "case",
    "external_id": "everyday-1",
    "title": "示例：按日常名称导入的经验",
    "city": "绍兴市",
    "governance_model": "综合治理",
    "summary": "示例（测试用）。",
    "published": "2021-03-06",
}


def test_an_unambiguous_short_name_resolves_and_is_noted():
    with resolvers.noting() as notes:
        assert resolvers.waste_category("玻璃").slug == "waste-glass"
        assert resolvers.waste_category("纺织品").slug == "waste-textiles"
    assert notes == ["废物类别“玻璃”按“废玻璃”导入", "废物类别“纺织品”按“废旧纺织品”导入"]
    # Exact names need no note.
    with resolvers.noting() as notes:
        resolvers.waste_category("危废")
    assert notes == []


def test_an_ambiguous_short_name_is_an_error_with_candidates():
    with pytest.raises(resolvers.UnknownTerm) as error:
        resolvers.waste_category("电池")
    assert set(error.value.suggestions) == {"废电池", "含铅废物"}
    assert "是否指" in str(error.value)


def test_the_import_report_names_the_choice(tmp_path, capsys):
    report = imports.import_records(
        [
            (1, {**RECORD, "waste_categories": ["玻璃"]}),
            (2, {**RECORD, "external_id": "everyday-2", "waste_categories": ["电池"]}),
        ]
    )
    rows = {r.row: r for r in report.results}
    assert rows[1].status == "created" and rows[1].notes == ["废物类别“玻璃”按“废玻璃”导入"]
    assert [(e["row"], e["field"]) for e in report.errors] == [(2, "waste_categories")]
    assert "废电池" in report.errors[0]["message"] and "含铅废物" in report.errors[0]["message"]
    assert report.to_dict()["rows"][0]["notes"] == rows[1].notes

    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"type": "case", "external_id": "everyday-3", "title": "示例三", "city": "绍兴市", '
        '"governance_model": "综合治理", "waste_categories": ["玻璃"], "summary": "示例。"}\n',
        encoding="utf-8",
    )
    call_command("import_content", str(path))
    assert "第 1 行 废物类别“玻璃”按“废玻璃”导入" in capsys.readouterr().out
