"""Snippets with the matched words in <mark>, built the same way for every engine."""

import re

from django.utils.html import escape

SNIPPET_LENGTH = 120


def _pattern(variants: list[str]) -> re.Pattern | None:
    words = sorted({v for v in variants if v.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def snippet(texts: list[str], variants: list[str], length: int = SNIPPET_LENGTH) -> str:
    """An HTML-escaped excerpt of the first text that contains a variant, centred on the densest
    run of matches, with every match wrapped in <mark>. Empty if nothing matches."""
    pattern = _pattern(variants)
    if pattern is None:
        return ""
    for text in texts:
        text = " ".join((text or "").split())
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        best_start, best_count = 0, 0
        for match in matches:
            window_start = max(0, match.start() - length // 4)
            count = sum(1 for m in matches if window_start <= m.start() < window_start + length)
            if count > best_count:
                best_start, best_count = window_start, count
        excerpt = text[best_start : best_start + length]
        parts, last = [], 0
        for match in pattern.finditer(excerpt):
            parts.append(escape(excerpt[last : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
        parts.append(escape(excerpt[last:]))
        prefix = "…" if best_start > 0 else ""
        suffix = "…" if best_start + length < len(text) else ""
        return prefix + "".join(parts) + suffix
    return ""
