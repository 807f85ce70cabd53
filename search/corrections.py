"""Confident corrections of a query that found nothing: one word of the domain vocabulary
mistyped by one character (工业废监 → 工业废盐) or typed as a near-homophone through a pinyin input
method (等离子汽化 → 等离子气化, 电子连单 → 电子联单). A correction is offered only when exactly one
vocabulary word fits best; the longest fitting word wins."""

from search import text
from search.vocabulary import Vocabulary

MAX_WORD = 10
MIN_ONE_OFF = 3  # one character off in a 2-character word is a different word, not a typo


def _masks(word: str) -> list[str]:
    return [word[:i] + "?" + word[i + 1 :] for i in range(len(word))]


def _one_off_index(vocab: Vocabulary) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for word in vocab.words:
        if MIN_ONE_OFF <= len(word) <= MAX_WORD and text.CJK_RUN.fullmatch(word):
            for mask in _masks(word):
                index.setdefault(mask, set()).add(word)
    return index


_indexes: dict[int, dict] = {}


def _index_for(vocab: Vocabulary) -> dict[str, set[str]]:
    # One index per vocabulary object (the vocabulary is rebuilt when its stamps change).
    if id(vocab) not in _indexes or _indexes[id(vocab)][0] is not vocab:
        _indexes.clear()
        _indexes[id(vocab)] = (vocab, _one_off_index(vocab))
    return _indexes[id(vocab)][1]


def _candidates(window: str, vocab: Vocabulary) -> set[str]:
    found = set(vocab.pinyin.homophones(window))
    if not found and len(window) >= MIN_ONE_OFF:
        index = _index_for(vocab)
        for mask in _masks(window):
            found |= index.get(mask, set())
        found.discard(window)
    return found


def correct(q: str, vocab: Vocabulary) -> str | None:
    """`q` with one mistyped vocabulary word put right, or None when no confident correction."""
    normalised = text.normalise(q)
    for run in dict.fromkeys(text.CJK_RUN.findall(normalised)):
        if run in vocab.words:
            continue
        for length in range(min(len(run), MAX_WORD), 1, -1):
            fits = {}
            for start in range(len(run) - length + 1):
                window = run[start : start + length]
                if window in vocab.words:
                    continue
                for word in _candidates(window, vocab):
                    fits.setdefault(word, window)
            if len(fits) == 1:
                word, window = next(iter(fits.items()))
                return normalised.replace(window, word, 1)
            if fits:
                return None  # two words fit as well: not confident
    return None
