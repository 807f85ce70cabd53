from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import LexiconGroup


class LexiconGroupViewSet(SnippetViewSet):
    """The everyday-words lexicon of the exchange search, one group per waste category."""

    model = LexiconGroup
    icon = "list-ul"
    menu_label = "检索日常用语"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "category", "terms", "source"]
    list_filter = ["category"]
    search_fields = ["name", "terms"]


register_snippet(LexiconGroupViewSet)
