"""Helpers for reading the rendered public pages: card titles, all pages of a listing, tables.

They are fixtures (returning plain functions) so test modules need no package imports.
"""

import html
import re
from html.parser import HTMLParser

import pytest

CARD_TITLE = re.compile(r'<h[23] class="card-title"><a href="[^"]*">(.*?)</a></h[23]>', re.S)
NEXT_LINK = re.compile(r'<a rel="next" href="([^"]*)"')
PAGE_STATUS = re.compile(r"第 (\d+) / (\d+) 页")


def card_titles(response) -> list[str]:
    """Titles of the cards (cases, technologies …) on one rendered page, in order."""
    return [html.unescape(t).strip() for t in CARD_TITLE.findall(response.content.decode())]


class _TableParser(HTMLParser):
    """Collects every <table> as {"caption": str, "rows": [[cell text, …], …]}."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell, self._caption = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = {"caption": "", "rows": [], "header": []}
        elif self._table is None:
            return
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = [tag]

    def handle_endtag(self, tag):
        if self._table is None:
            return
        if tag == "caption":
            self._table["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            kind, text = self._cell[0], "".join(self._cell[1:]).strip()
            self._row.append((kind, text))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row and all(kind == "th" for kind, _ in self._row):
                self._table["header"] = [text for _, text in self._row]
            else:
                self._table["rows"].append([text for _, text in self._row])
            self._row = None
        elif tag == "table":
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def html_tables(response) -> list[dict]:
    parser = _TableParser()
    parser.feed(response.content.decode())
    return parser.tables


@pytest.fixture
def titles_on():
    """``titles_on(response)`` → the card titles on a rendered page."""
    return card_titles


@pytest.fixture
def tables_on():
    """``tables_on(response)`` → the page's tables as dicts: caption, header, rows."""
    return html_tables


@pytest.fixture
def listing_titles(client):
    """``listing_titles(url)`` → the card titles on every page of a paginated listing, following
    the "下一页" links; asserts each page is HTTP 200 and, where shown, that the "共 N 条" total
    matches."""

    def collect(url: str) -> list[str]:
        path = url.split("?")[0]
        titles, seen = [], set()
        while url not in seen:
            seen.add(url)
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            titles += card_titles(response)
            match = NEXT_LINK.search(response.content.decode())
            if match is None:
                break
            url = path + html.unescape(match.group(1))
        total = re.search(r"共 (\d+) 条", response.content.decode())
        if total is not None:
            assert int(total.group(1)) == len(titles), url
        return titles

    return collect
