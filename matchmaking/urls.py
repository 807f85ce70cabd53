"""Public matchmaking URLs (the admin inbox and moderation live under /admin/, see
wagtail_hooks)."""

from django.urls import path

from . import views

app_name = "matchmaking"

urlpatterns = [
    path("matchmaking/inquiry/<int:page_id>/", views.inquiry_form, name="inquiry"),
    path("matchmaking/inquiry/thanks/", views.inquiry_thanks, name="inquiry-thanks"),
    path("matchmaking/board/", views.board_list, name="board"),
    path("matchmaking/board/new/", views.board_new, name="board-new"),
    path("matchmaking/board/thanks/", views.board_thanks, name="board-thanks"),
    path("matchmaking/board/<int:pk>/", views.board_detail, name="board-detail"),
    path("matchmaking/board/<int:pk>/contact/", views.board_contact, name="board-contact"),
    path("matchmaking/board/manage/<str:token>/", views.board_manage, name="board-manage"),
]
