"""Public matchmaking pages: the inquiry form (我要对接), the needs-and-capacities board, and a
poster's private page. None of them ever shows contact details: the thank-you pages read the
reference from the session, so nothing personal travels in a URL."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import CasePage, CityPage, TechnologyPage

from . import ratelimit, selectors, services
from .forms import BoardFilterForm, BoardPostForm, InquiryForm
from .models import BoardPost, Purpose

INQUIRY_SESSION_KEY = "matchmaking_inquiry"
BOARD_SESSION_KEY = "matchmaking_board_post"
BOARD_PAGE_SIZE = 20


def _target_label(target) -> str:
    if isinstance(target, BoardPost):
        return f"供需信息（{target.get_kind_display()}）"
    if isinstance(target, CasePage):
        return "试点经验"
    if isinstance(target, TechnologyPage):
        return "技术"
    if isinstance(target, CityPage):
        return "试点城市"
    return ""


def _initial_for(target) -> dict:
    """Start the form from what the target is about: its waste categories and a likely purpose."""
    initial = {}
    categories = getattr(target, "waste_categories", None)
    if categories is not None and target.pk:
        initial["waste_categories"] = [c.pk for c in categories.all()[:10]]
    if isinstance(target, TechnologyPage):
        initial["purpose"] = Purpose.CONSULTING
    elif isinstance(target, BoardPost):
        initial["purpose"] = (
            Purpose.DISPOSAL if target.kind == BoardPost.Kind.OFFER else Purpose.SUPPLY
        )
    return initial


def _inquiry(request, target, *, back_url: str):
    if request.method == "POST":
        if not ratelimit.allow(request, "inquiry"):
            return ratelimit.too_many_requests(request, "inquiry")
        form = InquiryForm(request.POST)
        if form.is_spam():
            # Look exactly like a success so the script learns nothing; store and send nothing.
            request.session[INQUIRY_SESSION_KEY] = {
                "reference": services.new_reference(),
                "target": target.title,
            }
            return redirect("matchmaking:inquiry-thanks")
        if form.is_valid():
            inquiry = services.create_inquiry(form.cleaned_data, target=target, request=request)
            request.session[INQUIRY_SESSION_KEY] = {
                "reference": inquiry.reference,
                "target": inquiry.target_title,
                "emailed": bool(inquiry.email),
            }
            return redirect("matchmaking:inquiry-thanks")
        status = 400
    else:
        form = InquiryForm(initial=_initial_for(target))
        status = 200
    context = {
        "form": form,
        "target": target,
        "target_label": _target_label(target),
        "back_url": back_url,
    }
    return render(request, "matchmaking/inquiry_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def inquiry_form(request, page_id: int):
    """我要对接 from a case, technology or city page (live and public only)."""
    target = selectors.inquiry_target(page_id)
    if target is None:
        raise Http404("没有这个页面")
    return _inquiry(request, target, back_url=target.url or "/")


@require_http_methods(["GET", "POST"])
def board_contact(request, pk: int):
    """联系对方 on an approved board post: the platform relays the inquiry to the poster."""
    post = get_object_or_404(selectors.approved_posts(), pk=pk)
    return _inquiry(request, post, back_url=post.get_absolute_url())


@require_GET
def inquiry_thanks(request):
    submitted = request.session.get(INQUIRY_SESSION_KEY)
    if not submitted:
        return redirect("/")
    return render(request, "matchmaking/inquiry_thanks.html", {"submitted": submitted})


@require_GET
def board_list(request):
    form = BoardFilterForm(request.GET)
    posts = selectors.approved_posts()
    status = 200
    if form.is_valid():
        posts = selectors.filter_posts(posts, form.cleaned_data)
    else:
        posts, status = posts.none(), 400
    page = Paginator(posts, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "matchmaking/board_list.html", {"form": form, "posts": page}, status=status
    )


@require_http_methods(["GET", "POST"])
def board_new(request):
    if request.method == "POST":
        if not ratelimit.allow(request, "board"):
            return ratelimit.too_many_requests(request, "board")
        form = BoardPostForm(request.POST)
        if form.is_spam():
            request.session[BOARD_SESSION_KEY] = {"title": form.data.get("title", "")[:120]}
            return redirect("matchmaking:board-thanks")
        if form.is_valid():
            post = services.create_board_post(form.cleaned_data, request=request)
            request.session[BOARD_SESSION_KEY] = {"title": post.title}
            return redirect("matchmaking:board-thanks")
        status = 400
    else:
        form = BoardPostForm(initial={"kind": request.GET.get("kind", "")})
        status = 200
    return render(request, "matchmaking/board_form.html", {"form": form}, status=status)


@require_GET
def board_thanks(request):
    submitted = request.session.get(BOARD_SESSION_KEY)
    if not submitted:
        return redirect("matchmaking:board")
    return render(request, "matchmaking/board_thanks.html", {"submitted": submitted})


@require_GET
def board_detail(request, pk: int):
    post = get_object_or_404(selectors.approved_posts(), pk=pk)
    return render(
        request,
        "matchmaking/board_detail.html",
        {"post": post, "groups": selectors.suggestions_for_post(post)},
    )


def _private(response):
    # The URL carries the poster's token: keep it out of caches, search engines and Referer.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def board_manage(request, token: str):
    """The poster's private page (link sent by email): status, match suggestions, withdraw."""
    post = BoardPost.objects.filter(token=token, anonymised_at__isnull=True).first()
    if post is None or len(token) < 32:
        raise Http404("链接无效或已失效")
    if request.method == "POST":
        if not ratelimit.allow(request, "manage"):
            return ratelimit.too_many_requests(request, "manage")
        if request.POST.get("action") == "withdraw" and post.status != BoardPost.Status.WITHDRAWN:
            services.withdraw_post(post)
        return _private(redirect(reverse("matchmaking:board-manage", args=[token])))
    groups = (
        selectors.suggestions_for_post(post)
        if post.status in (BoardPost.Status.PENDING, BoardPost.Status.APPROVED)
        else []
    )
    return _private(
        render(request, "matchmaking/board_manage.html", {"post": post, "groups": groups})
    )
