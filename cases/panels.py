"""Admin panels of the content: the case template's completeness, shown in the page editor to
the city's editors with what is still missing."""

from wagtail.admin.panels import Panel

from cases.case_template import completeness


class CompletenessPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "cases/admin/completeness_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["completeness"] = completeness(self.instance)
            return context
