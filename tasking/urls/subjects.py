from django.urls import path

from tasking.views import network, subjects

urlpatterns = [
    path("subjects/", subjects.subject_list, name="subject_list"),
    path("subjects/new/", subjects.subject_create, name="subject_create"),
    path("subjects/<uuid:pk>/", subjects.subject_detail, name="subject_detail"),
    path("subjects/<uuid:pk>/edit/", subjects.subject_edit, name="subject_edit"),
    path(
        "subjects/<uuid:pk>/restricted/",
        subjects.subject_break_glass,
        name="subject_break_glass",
    ),
    path("subjects/<uuid:pk>/children/", subjects.subject_children, name="subject_children"),
    path("subjects/<uuid:pk>/link-child/", subjects.subject_link_child, name="subject_link_child"),
    path(
        "subjects/<uuid:pk>/link-subject/",
        subjects.subject_link_subject,
        name="subject_link_subject",
    ),
    path("subject-links/<uuid:pk>/end/", subjects.child_link_end, name="child_link_end"),
    path(
        "subject-associations/<uuid:pk>/end/",
        subjects.association_end,
        name="association_end",
    ),
    # The network of a child or a subject: the page (with the list of links) and its drawing.
    path("children/<uuid:pk>/network/", network.child_network, name="child_network"),
    path("children/<uuid:pk>/network.svg", network.child_network_svg, name="child_network_svg"),
    path("subjects/<uuid:pk>/network/", network.subject_network, name="subject_network"),
    path("subjects/<uuid:pk>/network.svg", network.subject_network_svg, name="subject_network_svg"),
]
