"""Recommendation and onboarding routes: the list, dismissals, favorite genres."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.contentrating import limit_of
from chalicelib.recommendations import service
from chalicelib.recommendations.models import (
    DismissalOut,
    DismissQuery,
    PreferencesIn,
    PreferencesOut,
    RecommendationPage,
    RecommendationsQuery,
)
from chalicelib.tracking.service import media_id_param

bp = Blueprint(__name__)
V1 = "/api/v1"
TAGS = ("recommendations",)


@endpoint(bp, f"{V1}/recommendations", summary="Your recommendations, best first, each with its score and reasons",
          tags=TAGS, query=RecommendationsQuery, response=RecommendationPage, auth="user", errors_=(422,))
def list_recommendations(principal: Principal, query: RecommendationsQuery) -> RecommendationPage:
    return service.recommendations(principal.user_id, query, limit_of(principal))


@endpoint(bp, f"{V1}/recommendations/{{media_id}}/dismiss", "POST", tags=TAGS, query=DismissQuery,
          summary="Not interested: never recommend this title again", response=DismissalOut, auth="user",
          errors_=(404, 422))
def dismiss(media_id: str, principal: Principal, query: DismissQuery) -> DismissalOut:
    return service.dismiss(principal.user_id, media_id_param(media_id), query.reason, principal)


@endpoint(bp, f"{V1}/me/preferences", summary="Your onboarding picks (favorite genres)", tags=TAGS,
          response=PreferencesOut, auth="user")
def get_preferences(principal: Principal) -> PreferencesOut:
    return service.get_preferences(principal.user_id)


@endpoint(bp, f"{V1}/me/preferences", "PUT", summary="Set your favorite genres (by slug; they steer a new "
          "account's recommendations) and notification rules and channels", tags=TAGS, body=PreferencesIn,
          response=PreferencesOut, auth="user", errors_=(422,))
def put_preferences(principal: Principal, body: PreferencesIn) -> PreferencesOut:
    return service.set_preferences(principal.user_id, body)
