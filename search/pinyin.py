"""Pinyin of the vocabulary (pypinyin): autocomplete from full pinyin or initials (weifei, wf →
危废), several words typed together split against the vocabulary's pinyin (weifeixiaowei →
危废 小微), and near-homophones for corrections (等离子汽化 → 等离子气化)."""

import re

from pypinyin import Style, lazy_pinyin

PINYIN_INPUT = re.compile(r"^[a-z][a-z' ]*$")
# Sounds that many speakers (and pinyin input methods' fuzzy options) do not tell apart.
FUZZY = [("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in")]


def is_pinyin(value: str) -> bool:
    return bool(PINYIN_INPUT.match(value.strip().lower()))


def syllables(word: str) -> list[str]:
    return lazy_pinyin(word, style=Style.NORMAL, errors="default")


def _fuzzy(syllable: str) -> str:
    for sound, same in FUZZY:
        syllable = syllable.replace(sound, same)
    return "n" + syllable[1:] if syllable.startswith("l") else syllable


def sound_key(word: str) -> tuple[str, ...]:
    return tuple(_fuzzy(s) for s in syllables(word))


def _plain(value: str) -> str:
    return value.strip().lower().replace("'", "").replace(" ", "")


class PinyinIndex:
    def __init__(self, words):
        self.entries = []  # (full pinyin, initials, word)
        self.by_sound: dict[tuple[str, ...], list[str]] = {}
        self.by_full: dict[str, list[str]] = {}
        for word in sorted(words):
            parts = syllables(word)
            if not parts or not all(p.isascii() and p.isalpha() for p in parts):
                continue
            full = "".join(parts)
            self.entries.append((full, "".join(p[0] for p in parts), word))
            self.by_sound.setdefault(tuple(_fuzzy(p) for p in parts), []).append(word)
            self.by_full.setdefault(full, []).append(word)
        self.longest = max(map(len, self.by_full), default=0)

    def complete(self, value: str, limit: int = 8) -> list[str]:
        """Words whose pinyin or initials are, or start with, `value` (best first)."""
        value = value.strip().lower().replace("'", "").replace(" ", "")
        if not value:
            return []
        ranked = []
        for full, initials, word in self.entries:
            if full == value:
                rank = 0
            elif initials == value:
                rank = 1
            elif full.startswith(value):
                rank = 2
            elif initials.startswith(value) and len(value) >= 2:
                rank = 3
            else:
                continue
            ranked.append((rank, len(word), word))
        return [word for _, _, word in sorted(ranked)[:limit]]

    def spelled(self, value: str) -> list[str]:
        """Words whose whole pinyin is `value` (shenzhen → 深圳, feihui → 飞灰)."""
        return list(self.by_full.get(_plain(value), []))

    def split(self, value: str, *, partial_last: bool = False) -> list[list[str]]:
        """Several words typed together (weifeixiaowei → [[危废], [小微]]): the pinyin cut into
        vocabulary words' pinyin, the longest match first (backtracking when the rest cannot
        be cut). Each piece lists the words with that pinyin. With `partial_last`, the last
        piece may be the start of a word (autocomplete: weifeixiaow → 危废 小微). Fewer than two
        pieces, or no way to cut all of it: []."""
        value = _plain(value)
        memo: dict[int, list[list[str]] | None] = {}

        def cut(start: int) -> list[list[str]] | None:
            if start == len(value):
                return []
            if start in memo:
                return memo[start]
            memo[start] = None
            for end in range(min(len(value), start + self.longest), start, -1):
                words = self.by_full.get(value[start:end])
                if words:
                    rest = cut(end)
                    if rest is not None:
                        memo[start] = [words, *rest]
                        break
            tail = value[start:]
            if memo[start] is None and partial_last and len(tail) >= 2:
                completed = [w for w in self.complete(tail, limit=8) if self._starts(w, tail)]
                if completed:
                    memo[start] = [completed[:1]]
            return memo[start]

        pieces = cut(0) if value else None
        return pieces if pieces and len(pieces) > 1 else []

    def _starts(self, word: str, value: str) -> bool:
        return "".join(syllables(word)).startswith(value)

    def homophones(self, word: str) -> list[str]:
        return [w for w in self.by_sound.get(sound_key(word), []) if w != word]
