"""Matchmaking models: inquiries with their notes, board posts, and who answers them."""

from .board import BoardPost
from .common import ANONYMISED, OrganisationType
from .contacts import MatchmakingSettings, TechnologyContact
from .inquiries import (
    STATUS_TRANSITIONS,
    Inquiry,
    InquiryNote,
    InquiryStatus,
    Purpose,
    TargetType,
)

__all__ = [
    "ANONYMISED",
    "STATUS_TRANSITIONS",
    "BoardPost",
    "Inquiry",
    "InquiryNote",
    "InquiryStatus",
    "MatchmakingSettings",
    "OrganisationType",
    "Purpose",
    "TargetType",
    "TechnologyContact",
]
