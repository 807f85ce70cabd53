"""Pinyin of the vocabulary (pypinyin): autocomplete from full pinyin or initials (weifei, wf →
危废) and near-homophones for corrections (等离子汽化 → 等离子气化)."""

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


class PinyinIndex:
    def __init__(self, words):
        self.entries = []  # (full pinyin, initials, word)
        self.by_sound: dict[tuple[str, ...], list[str]] = {}
        for word in sorted(words):
            parts = syllables(word)
            if not parts or not all(p.isascii() and p.isalpha() for p in parts):
                continue
            self.entries.append(("".join(parts), "".join(p[0] for p in parts), word))
            self.by_sound.setdefault(tuple(_fuzzy(p) for p in parts), []).append(word)

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
        value = value.strip().lower().replace("'", "").replace(" ", "")
        return [word for full, _, word in self.entries if full == value]

    def homophones(self, word: str) -> list[str]:
        return [w for w in self.by_sound.get(sound_key(word), []) if w != word]
