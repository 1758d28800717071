"""Catalogue models, one module per aggregate."""

from catalogue.models.community import (
    CommunityLocation,
    CommunityOrganisation,
    CommunityOrganiser,
)
from catalogue.models.community_enums import (
    COMMUNITY_KIND_LABELS,
    CommunityKind,
    CommunityListingStatus,
    CommunityReportReason,
    LocationType,
    ReviewKind,
    ReviewOutcome,
    ScheduleFreq,
)
from catalogue.models.community_listings import CommunityListing, CommunityListingLocation
from catalogue.models.community_moderation import CommunityReport, CommunityReview
from catalogue.models.community_schedules import CommunitySchedule
from catalogue.models.community_usage import CommunityListingViews
from catalogue.models.enums import (
    PROVIDER_KIND_LABELS,
    UNIT_LABELS,
    CqcRating,
    MemberRole,
    ProviderKind,
    ServiceStatus,
    Unit,
    VettingStatus,
)
from catalogue.models.providers import (
    ProviderArea,
    ProviderLanguage,
    ProviderMember,
    ProviderOrganisation,
)
from catalogue.models.search_documents import SearchDocument, SearchWord
from catalogue.models.services import (
    CouncilRate,
    Service,
    ServiceAvailability,
    ServiceFundingStream,
    ServicePhoto,
)
from catalogue.models.signals import ListingReport, ReportReason, ReportStatus, SearchEvent

__all__ = [
    "COMMUNITY_KIND_LABELS", "CommunityKind", "CommunityListing", "CommunityListingLocation",
    "CommunityListingViews",
    "CommunityListingStatus", "CommunityLocation", "CommunityReport", "CommunityReportReason",
    "CommunityReview", "CommunitySchedule", "LocationType", "ReviewKind", "ReviewOutcome",
    "ScheduleFreq",
    "PROVIDER_KIND_LABELS", "UNIT_LABELS", "CommunityOrganisation", "CommunityOrganiser",
    "CouncilRate", "CqcRating", "ListingReport", "MemberRole", "ProviderArea", "ProviderKind",
    "ProviderLanguage", "ProviderMember", "ProviderOrganisation", "ReportReason",
    "ReportStatus", "SearchDocument", "SearchEvent", "SearchWord", "Service",
    "ServiceAvailability", "ServiceFundingStream",
    "ServicePhoto", "ServiceStatus", "Unit", "VettingStatus",
]
