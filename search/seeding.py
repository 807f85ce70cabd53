"""Seeds the everyday-words lexicon from fixtures/lexicon/ (idempotent: groups are matched by
name; an edited group in the admin is overwritten only by `load_fixtures`, which is what its
fixture file says)."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cases.models import WasteCategory
from search.models import LexiconGroup
from search.vocabulary import clear as clear_vocabulary

LEXICON_FILE = Path(settings.BASE_DIR) / "fixtures" / "lexicon" / "everyday_words.json"


@transaction.atomic
def load_lexicon(path: Path = LEXICON_FILE) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    sources = data["sources"]
    categories = {c.slug: c for c in WasteCategory.objects.all()}
    for group in data["groups"]:
        category = categories.get(group["category"])
        if category is None:
            raise ValueError(f"{path.name}: 未知的废物类别“{group['category']}”（{group['name']}）")
        LexiconGroup.objects.update_or_create(
            name=group["name"],
            defaults={
                "category": category,
                "terms": "、".join(group["terms"]),
                "source": sources[group["source"]][:300],
            },
        )
    clear_vocabulary()
    return len(data["groups"])
