from django.urls import path

from risk_assessment.views import offer

urlpatterns = [
    path("children/<uuid:pk>/offer/", offer.child_offer, name="child_offer"),
    path("children/<uuid:pk>/offer/add/", offer.offer_item_add, name="offer_item_add"),
    path("offer-items/<uuid:pk>/", offer.offer_item_detail, name="offer_item_detail"),
    path("offer-items/<uuid:pk>/offer/", offer.offer_item_offer, name="offer_item_offer"),
    path(
        "offer-items/<uuid:pk>/not-offered/",
        offer.offer_item_not_offered,
        name="offer_item_not_offered",
    ),
    path("offer-items/<uuid:pk>/accept/", offer.offer_item_accept, name="offer_item_accept"),
    path("offer-items/<uuid:pk>/decline/", offer.offer_item_decline, name="offer_item_decline"),
    path("offer-items/<uuid:pk>/start/", offer.offer_item_start, name="offer_item_start"),
    path("offer-items/<uuid:pk>/end/", offer.offer_item_end, name="offer_item_end"),
]
