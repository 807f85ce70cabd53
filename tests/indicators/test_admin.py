"""The admin side: the home page panel, the upload page and the choice of optional indicators."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.factories import IndicatorFactory, IndicatorValueFactory
from indicators.models import CityIndicatorChoice, IndicatorValue


def test_home_panel_shows_values_due_and_awaiting_review(client, shaoxing, sx_editor, sx_reviewer):
    last_year = datetime.date.today().year - 1
    due = IndicatorFactory(mandatory=True)
    done = IndicatorFactory(mandatory=True)
    IndicatorValueFactory(city=shaoxing, indicator=done, year=last_year, status="submitted")
    client.force_login(sx_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "指标填报" in html
    expected_due = (
        IndicatorFactory._meta.model.objects.filter(mandatory=True, province=None).count() - 1
    )
    assert f'data-due="{shaoxing.pk}">{expected_due}<' in html
    assert due.pk
    client.force_login(sx_reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-awaiting>1<" in html


def test_upload_page_imports_values_with_a_row_report(client, system, sx_editor):
    client.force_login(sx_editor)
    page = client.get(reverse("indicators_admin:upload"))
    assert page.status_code == 200
    assert 'value="system"' not in page.content.decode()  # a city editor cannot load the system
    data = "城市,指标编码,年份,数值,单位,数据来源\n绍兴市,P2019-17,2022,93,%,测试\n绍兴市,P2019-17,2023,93,吨,测试\n"
    response = client.post(
        reverse("indicators_admin:upload"),
        {"kind": "values", "file": SimpleUploadedFile("v.csv", data.encode()), "submit": "on"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-count="created">1<' in html and "<td>3</td><td>unit</td>" in html
    assert IndicatorValue.objects.get(year=2022).status == "submitted"
    refused = client.post(
        reverse("indicators_admin:upload"),
        {"kind": "system", "file": SimpleUploadedFile("s.csv", b"code,name\nX,Y\n")},
    )
    assert refused.status_code in (302, 403)


def test_upload_of_an_unreadable_file_is_a_form_error(client, sx_editor):
    client.force_login(sx_editor)
    response = client.post(
        reverse("indicators_admin:upload"),
        {"kind": "values", "file": SimpleUploadedFile("v.txt", b"\x00\x01")},
    )
    assert response.status_code == 400 and "无法识别文件格式" in response.content.decode()


def test_a_city_chooses_its_optional_indicators(client, shaoxing, shenzhen, sx_editor):
    optional = IndicatorFactory(mandatory=False, name="测试可选指标")
    client.force_login(sx_editor)
    page = client.get(reverse("indicators_admin:choices"))
    assert "测试可选指标" in page.content.decode()
    client.post(
        reverse("indicators_admin:choices"), {"city": shaoxing.pk, "indicator": [optional.pk]}
    )
    assert CityIndicatorChoice.objects.filter(city=shaoxing, indicator=optional).exists()
    # Another city's id falls back to the user's own city: nothing is chosen for 深圳.
    client.post(
        reverse("indicators_admin:choices"), {"city": shenzhen.pk, "indicator": [optional.pk]}
    )
    assert not CityIndicatorChoice.objects.filter(city=shenzhen).exists()


def test_people_without_a_city_role_do_not_see_the_reporting_pages(client, make_user):
    user = make_user("nobody", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("indicators_admin:values")).status_code in (302, 403)
