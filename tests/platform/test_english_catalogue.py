"""The English catalogue (locale/en): msgids are the Chinese source strings (zh-hans is the
source language), every one has an English translation, the committed .mo is compiled from the
.po, and no Chinese text in a public template escapes translation."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Django template tags, variables and comments, and HTML comments: text outside them is shown.
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<!--.*?-->", re.S)
TRANSLATED = re.compile(r"\{% blocktranslate.*?%\}.*?\{% endblocktranslate %\}", re.S)
COMMENT_BLOCK = re.compile(r"\{% comment %\}.*?\{% endcomment %\}", re.S)


def _entries():
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid", 1)[1]))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1]))
        yield msgid, msgstr, "#, fuzzy" in block


def test_every_string_has_an_english_translation():
    entries = list(_entries())
    assert len(entries) > 500
    assert [m for m, s, _fuzzy in entries if not s] == []
    assert [m for m, _s, fuzzy in entries if fuzzy] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes()


def test_english_is_active_only_in_english():
    with translation.override("en"):
        assert translation.gettext("跳到正文") == "Skip to content"
    with translation.override("zh-hans"):
        assert translation.gettext("跳到正文") == "跳到正文"


def _public_templates():
    for path in sorted((REPO / "templates").rglob("*.html")):
        # The Wagtail admin's own screens are Chinese-only (the zh_Hans admin catalogue).
        if "admin" not in path.relative_to(REPO / "templates").parts:
            yield path


def test_no_chinese_template_text_escapes_translation():
    leaks = {}
    for path in _public_templates():
        source = COMMENT_BLOCK.sub("", path.read_text(encoding="utf-8"))
        source = TRANSLATED.sub("", source)
        # Tag arguments are checked separately: string literals there must be _("…").
        for tag in re.findall(r"\{%.*?%\}|\{\{.*?\}\}", source, re.S):
            literals = re.findall(r'(?<!_\()"([^"]*)"', tag)
            if not tag.startswith(("{% translate", "{% if", "{% elif")):
                leaks.update({f"{path.name}: {lit}": True for lit in literals if CJK.search(lit)})
        text = TEMPLATE_CODE.sub("", source)
        for line in text.splitlines():
            if CJK.search(line):
                leaks[f"{path.name}: {line.strip()}"] = True
    assert list(leaks) == []
