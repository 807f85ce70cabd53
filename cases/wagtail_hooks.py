from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cases.models import (
    GovernanceModel,
    PilotBatch,
    Region,
    SynonymGroup,
    TreatmentStage,
    WasteCategory,
)


class WasteCategoryViewSet(SnippetViewSet):
    model = WasteCategory
    icon = "tag"
    list_display = ["name", "code", "slug", "parent", "aliases"]
    list_filter = ["parent"]
    search_fields = ["name", "code", "aliases"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "code", "level", "macro_region", "clusters"]
    list_filter = ["level", "macro_region"]
    search_fields = ["name", "code", "aliases"]


class GovernanceModelViewSet(SnippetViewSet):
    model = GovernanceModel
    icon = "cogs"
    list_display = ["name", "slug", "aliases"]


class PilotBatchViewSet(SnippetViewSet):
    model = PilotBatch
    icon = "date"
    list_display = ["name", "year", "slug"]


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    list_display = ["terms"]
    search_fields = ["terms"]


class TreatmentStageViewSet(SnippetViewSet):
    model = TreatmentStage
    icon = "cogs"
    list_display = ["name", "slug", "aliases"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "分类目录"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        WasteCategoryViewSet,
        RegionViewSet,
        GovernanceModelViewSet,
        PilotBatchViewSet,
        SynonymGroupViewSet,
        TreatmentStageViewSet,
    )


register_snippet(TaxonomyGroup)
