"""Chinese text handling shared by every engine.

- `index_terms` turns text into the embedded engine's terms: overlapping character bigrams of each
  CJK run (the same idea as the search server's `cjk` analyzer, so 2-character words such as 重庆
  or 农膜 are found inside running text) plus lower-cased Latin/digit tokens (hw49, 62, x).
- Both sides are normalised the same way (`normalise`): full-width to half-width, traditional to
  simplified characters (OpenCC's t2s, the maintained converter), lower case; Latin words are
  stemmed (Snowball English), so landfills finds landfill.
- `segment` splits an unspaced query (危废小微收集) into words with jieba, whose dictionary is
  extended with every taxonomy name, alias and synonym so domain words stay whole.
"""

import html
import re
import threading
from collections import Counter
from functools import cache, lru_cache

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
TOKEN = re.compile(f"[{CJK}]+|[0-9A-Za-z]+")
TAG = re.compile(r"<[^>]+>")
MAX_TERM_LENGTH = 40


def strip_html(value: str) -> str:
    return html.unescape(TAG.sub(" ", value or "")).strip()


def normalise(text: str) -> str:
    """Full-width letters and digits to half-width, traditional to simplified, lower case."""
    return simplified((text or "").translate(_FULLWIDTH)).lower()


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters to simplified (危險廢物 → 危险废物); other text is unchanged."""
    if not text or not CJK_RUN.search(text):
        return text or ""
    return _t2s().convert(text)


@cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


LATIN_WORD = re.compile(r"[a-z]{4,}")


@lru_cache(maxsize=50_000)
def stem(token: str) -> str:
    """The Snowball English stem of a lower-case Latin word (codes such as hw18 are kept)."""
    if not LATIN_WORD.fullmatch(token):
        return token
    return _stemmer().stemWord(token)


def key(term: str) -> str:
    """The form under which a vocabulary term is looked up: normalised, Latin words stemmed."""
    return " ".join(stem(t) if t.isascii() else t for t in TOKEN.findall(normalise(term)))


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
            found.append(stem(token)[:MAX_TERM_LENGTH])
    return found


def term_counts(text: str) -> Counter:
    return Counter(terms(text))


DOMAIN_WORD_FREQUENCY = 200000


class Segmenter:
    """jieba, loaded on first use (≈0.5 s, ≈70 MB) with the domain vocabulary added."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokenizer = None
        self._vocabulary: frozenset[str] = frozenset()
        self._general: dict[str, int] = {}  # jieba's frequency of each domain word before

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
        return tokenizer

    def _follow(self, vocabulary: frozenset[str]) -> None:
        """Add new domain words and drop removed ones (jieba adds a word in microseconds, so a
        vocabulary change costs no reload)."""
        for word in vocabulary - self._vocabulary:
            if CJK_RUN.search(word):
                self._general.setdefault(word, self._tokenizer.FREQ.get(word, 0))
                self._tokenizer.add_word(word, freq=DOMAIN_WORD_FREQUENCY)
        for word in self._vocabulary - vocabulary:
            if CJK_RUN.search(word):
                # Back to jieba's own frequency (数字化 stays a word when it stops being a tag).
                general = self._general.pop(word, 0)
                if general:
                    self._tokenizer.add_word(word, freq=general)
                else:
                    self._tokenizer.del_word(word)
        self._vocabulary = vocabulary

    def cut(self, text: str, vocabulary: frozenset[str]) -> list[str]:
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = self._load(vocabulary)
            if vocabulary is not self._vocabulary and vocabulary != self._vocabulary:
                self._follow(vocabulary)
            return [w for w in self._tokenizer.cut(text, HMM=True) if w.strip()]


segmenter = Segmenter()
