"""Who may do what with inquiries in the Wagtail admin.

The rule is page-based, like the rest of a city's work: a staff member sees an inquiry if they
may edit (change or publish) its target page or the city of its target — so a city's editor and
reviewer groups see their city's inquiries and nobody else's. Superusers, and staff given the
model permission “可查看全部城市的对接需求”, see all of them. Nobody adds inquiries in the admin
(they come from the public form); deleting takes the model's delete permission as well."""

from wagtail.permission_policies import ModelPermissionPolicy

from . import selectors
from .models import Inquiry

READ_ACTIONS = {"view", "change"}


class InquiryPermissionPolicy(ModelPermissionPolicy):
    def __init__(self):
        super().__init__(Inquiry)

    def user_has_permission(self, user, action):
        if not user.is_active or user.is_anonymous:
            return False
        if user.is_superuser:
            return action != "add"
        if action in READ_ACTIONS:
            return selectors.can_see_all_inquiries(user) or selectors.edits_any_page(user)
        if action == "delete":
            return user.has_perm("matchmaking.delete_inquiry")
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Inquiry.objects.none()
        return selectors.inquiries_visible_to(user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, {action})

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and selectors.user_can_see_inquiry(
            user, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)


inquiry_permission_policy = InquiryPermissionPolicy()
