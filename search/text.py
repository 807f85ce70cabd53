"""Chinese text handling shared by every engine.

- `index_terms` turns text into the embedded engine's terms: overlapping character bigrams of each
  CJK run (the same idea as the search server's `cjk` analyzer, so 2-character words such as 重庆
  or 农膜 are found inside running text) plus lower-cased Latin/digit tokens (hw49, 62, x).
- `segment` splits an unspaced query (危废小微收集) into words with jieba, whose dictionary is
  extended with every taxonomy name, alias and synonym so domain words stay whole.
"""

import html
import re
import threading
from collections import Counter

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
TOKEN = re.compile(f"[{CJK}]+|[0-9A-Za-z]+")
TAG = re.compile(r"<[^>]+>")
MAX_TERM_LENGTH = 40


def strip_html(value: str) -> str:
    return html.unescape(TAG.sub(" ", value or "")).strip()


def normalise(text: str) -> str:
    """Full-width letters and digits to half-width, lower case."""
    return (text or "").translate(_FULLWIDTH).lower()


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def terms(text: str) -> list[str]:
    """The terms of `text` in order (with repeats)."""
    text = normalise(text)
    found = []
    for match in TOKEN.finditer(text):
        token = match.group()
        if CJK_RUN.fullmatch(token):
            found.extend(cjk_bigrams(token))
        else:
            found.append(token[:MAX_TERM_LENGTH])
    return found


def term_counts(text: str) -> Counter:
    return Counter(terms(text))


class Segmenter:
    """jieba, loaded on first use (≈0.5 s, ≈70 MB) with the domain vocabulary added."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokenizer = None
        self._vocabulary: frozenset[str] = frozenset()

    def _load(self, vocabulary: frozenset[str]):
        import logging
        import warnings

        with warnings.catch_warnings():
            # jieba imports pkg_resources, which warns about the editable install's import hook.
            warnings.simplefilter("ignore")
            import jieba
        from django.conf import settings

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        cache_dir = settings.JIEBA_CACHE_DIR
        cache_dir.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(cache_dir)
        tokenizer.initialize()
        for word in vocabulary:
            if CJK_RUN.search(word):
                tokenizer.add_word(word, freq=200000)
        return tokenizer

    def cut(self, text: str, vocabulary: frozenset[str]) -> list[str]:
        with self._lock:
            if self._tokenizer is None or vocabulary != self._vocabulary:
                self._tokenizer = self._load(vocabulary)
                self._vocabulary = vocabulary
            tokenizer = self._tokenizer
        return [w for w in tokenizer.cut(text, HMM=True) if w.strip()]


segmenter = Segmenter()
