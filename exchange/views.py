"""Admin views: the list (a city's sent and received requests; national staff see all, with
counts), a new request, and one request with its messages and the answer form."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors, services
from .forms import MessageForm, RequestForm, ResponseForm
from .models import ExchangeRequest


class ExchangeAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.cities = selectors.acting_cities(user)
        self.national = selectors.sees_all(user)
        if not (self.national or self.cities.exists()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


class ListView(ExchangeAccessMixin, WagtailAdminTemplateMixin, View):
    page_title = "考察与结对"
    header_icon = "group"
    template_name = "exchange/admin/list.html"

    def get(self, request):
        requests = selectors.visible_requests(request.user)
        status = request.GET.get("status", "")
        if status in ExchangeRequest.Status.values:
            requests = requests.filter(status=status)
        context = self.get_context_data(
            requests=requests[:200],
            awaiting=list(selectors.awaiting_answer(request.user)),
            counts=selectors.counts() if self.national else None,
            cities=list(self.cities),
            can_request=self.cities.exists(),
            statuses=ExchangeRequest.Status.choices,
            status=status,
        )
        return self.render_to_response(context)


class CreateView(ExchangeAccessMixin, WagtailAdminTemplateMixin, View):
    page_title = "发起考察或结对"
    header_icon = "group"
    template_name = "exchange/admin/form.html"

    def _form(self, data=None):
        initial = {k: v for k, v in self.request.GET.items() if k in ("to_city", "kind", "topic")}
        return RequestForm(data, cities=self.cities, initial=initial)

    def get(self, request):
        if not self.cities.exists():
            raise PermissionDenied
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request):
        if not self.cities.exists():
            raise PermissionDenied
        form = self._form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                created = services.create_request(request.user, **data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, f"已向{created.to_city.title}发起{created.get_kind_display()}申请。"
                )
                return redirect("exchange:detail", created.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DetailView(ExchangeAccessMixin, WagtailAdminTemplateMixin, View):
    header_icon = "group"
    template_name = "exchange/admin/detail.html"

    @property
    def page_title(self):
        return str(self.object.get_kind_display()) + "：" + self.object.topic

    def dispatch(self, request, pk, *args, **kwargs):
        self.object = get_object_or_404(ExchangeRequest, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def render(self, response_form=None, message_form=None, status=200):
        user = self.request.user
        party = selectors.city_of_user_in(user, self.object)
        can_answer = selectors.can_answer(user, self.object)
        context = self.get_context_data(
            object=self.object,
            thread=self.object.messages.select_related("city"),
            can_answer=can_answer,
            party=party,
            response_form=response_form or (ResponseForm() if can_answer else None),
            message_form=message_form or (MessageForm() if party else None),
        )
        return self.render_to_response(context, status=status)

    def get(self, request):
        if not selectors.can_see(request.user, self.object):
            raise PermissionDenied
        return self.render()

    def post(self, request):
        user = request.user
        if not selectors.can_see(user, self.object):
            raise PermissionDenied
        if "action" in request.POST:
            form = ResponseForm(request.POST)
            if not form.is_valid():
                return self.render(response_form=form, status=400)
            try:
                services.respond(user, self.object, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                return self.render(response_form=form, status=400)
            messages.success(request, "已答复。")
        else:
            form = MessageForm(request.POST)
            if not form.is_valid():
                return self.render(message_form=form, status=400)
            services.add_message(user, self.object, form.cleaned_data["text"])
            messages.success(request, "已留言。")
        return redirect("exchange:detail", self.object.pk)
