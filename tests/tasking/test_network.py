"""The network of a child or a subject, two steps out, within the viewer's scope."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from tasking.models import Grading
from tasking.services.network import (
    HIDDEN_CHILD,
    HIDDEN_CHILD_LABEL,
    child_network,
    layout,
    network_svg,
    subject_network,
)
from tests.referrals.factories import ChildFactory
from tests.tasking.factories import (
    ChildSubjectLinkFactory,
    PersonSubjectFactory,
    SubjectAssociationFactory,
    SubjectOfConcernFactory,
    VehicleSubjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(team, other_team):
    """Jay (team A) -- place (reported) -- Kai (team A) and a team-B child;
    Jay -- person (verified) ~~ vehicle (suspected) -- a third team-A child (three steps out)."""
    jay, kai = (
        ChildFactory(team=team, child_ref="C000001"),
        ChildFactory(team=team, child_ref="C000002"),
    )
    hidden = ChildFactory(team=other_team, child_ref="C000009", first_name="Hidden")
    far = ChildFactory(team=team, child_ref="C000003")
    place = SubjectOfConcernFactory()
    person = PersonSubjectFactory()
    vehicle = VehicleSubjectFactory()
    ChildSubjectLinkFactory(child=jay, subject=place, grading=Grading.REPORTED)
    ChildSubjectLinkFactory(child=kai, subject=place, grading=Grading.REPORTED)
    ChildSubjectLinkFactory(child=hidden, subject=place, source_reference="REF-SECRET")
    ChildSubjectLinkFactory(child=jay, subject=person, grading=Grading.VERIFIED)
    SubjectAssociationFactory(subject=person, other=vehicle, grading=Grading.SUSPECTED)
    ChildSubjectLinkFactory(child=far, subject=vehicle)
    return {"jay": jay, "kai": kai, "hidden": hidden, "far": far, "place": place,
            "person": person, "vehicle": vehicle}  # fmt: skip


def labels(network, distance=None):
    return {n.label for n in network.nodes if distance is None or n.distance == distance}


def test_a_childs_network_goes_two_steps_out(social_worker, web):
    network = child_network(social_worker, web["jay"])

    assert network.centre.label == "Child C000001"
    assert labels(network, 1) == {
        f"Place {_ref(web['place'])}",
        f"Person {_ref(web['person'])}",
    }
    assert labels(network, 2) == {
        "Child C000002",
        HIDDEN_CHILD_LABEL,
        f"Vehicle {_ref(web['vehicle'])}",
    }
    assert "Child C000003" not in labels(network)


def _ref(subject):
    return f"SUB-{subject.pk.hex[:8].upper()}"


def test_a_child_out_of_scope_is_only_a_placeholder(social_worker, web):
    network = subject_network(social_worker, web["place"])

    (placeholder,) = [n for n in network.nodes if n.kind == HIDDEN_CHILD]
    edge = next(e for e in network.edges if placeholder in (e.start, e.end))
    assert placeholder.obj is None
    assert placeholder.pk is None
    assert placeholder.reference == ""
    assert edge.source_reference == ""
    svg = network_svg(network)
    assert "C000009" not in svg
    assert str(web["hidden"].pk) not in svg


def test_nothing_is_walked_beyond_a_placeholder(social_worker, web):
    beyond = SubjectOfConcernFactory(created_by=social_worker)
    ChildSubjectLinkFactory(child=web["hidden"], subject=beyond)

    network = subject_network(social_worker, web["place"])

    assert f"Place {_ref(beyond)}" not in labels(network)


def test_a_subject_out_of_scope_is_left_out_and_not_walked_through(social_worker, web, other_team):
    unseen = SubjectOfConcernFactory()
    ChildSubjectLinkFactory(child=ChildFactory(team=other_team), subject=unseen)
    SubjectAssociationFactory(subject=web["place"], other=unseen)
    behind = SubjectOfConcernFactory(created_by=social_worker)
    SubjectAssociationFactory(subject=unseen, other=behind)

    network = subject_network(social_worker, web["place"])

    assert _ref(unseen) not in " ".join(labels(network))
    assert _ref(behind) not in " ".join(labels(network))


def test_ended_links_are_not_drawn(social_worker, web):
    web["jay"].subject_links.filter(subject=web["person"]).update(ended_on=timezone.localdate())

    network = child_network(social_worker, web["jay"])

    assert f"Person {_ref(web['person'])}" not in labels(network)


def test_gradings_are_line_styles_in_the_drawing(social_worker, web):
    svg = network_svg(child_network(social_worker, web["jay"]))

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'stroke-dasharray="12 7"' in svg  # reported
    assert 'stroke-dasharray="1 7"' in svg  # suspected
    assert "<style" not in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_the_drawing_is_the_same_every_time(social_worker, web):
    first = network_svg(child_network(social_worker, web["jay"]))
    again = network_svg(child_network(social_worker, web["jay"]))

    assert first == again


def test_rings_by_distance(social_worker, web):
    network = child_network(social_worker, web["jay"])

    _width, _height, points = layout(network)

    cx, cy = points[network.centre.key]
    radius = {
        n.distance: round(((points[n.key][0] - cx) ** 2 + (points[n.key][1] - cy) ** 2) ** 0.5)
        for n in network.nodes
    }
    assert radius[0] == 0 < radius[1] < radius[2]


def test_a_lone_child_has_an_empty_network(social_worker, team):
    network = child_network(social_worker, ChildFactory(team=team))

    assert network.edges == []
    assert "Network diagram centred on Child" in network_svg(network)


# --- The pages ---------------------------------------------------------------------------------
def test_the_child_network_page_has_the_drawing_and_the_table(signed_in, social_worker, web):
    response = signed_in(social_worker).get(reverse("tasking:child_network", args=[web["jay"].pk]))

    assertTemplateUsed(response, "tasking/network_child.html")
    assertContains(response, f'src="{reverse("tasking:child_network_svg", args=[web["jay"].pk])}"')
    assertContains(response, reverse("tasking:subject_network", args=[web["place"].pk]))
    assertContains(response, reverse("tasking:child_network", args=[web["kai"].pk]))
    assertContains(response, "Suspected")
    assertContains(response, HIDDEN_CHILD_LABEL)
    assertNotContains(response, "C000009")
    assertNotContains(response, "REF-SECRET")
    assertNotContains(response, str(web["hidden"].pk))


def test_every_visible_node_in_the_table_is_a_link(signed_in, social_worker, web):
    response = signed_in(social_worker).get(reverse("tasking:child_network", args=[web["jay"].pk]))

    cells = re.findall(
        r'<td class="govuk-table__cell">\s*(.*?)\s*</td>', response.content.decode(), re.S
    )
    ends = [cell for index, cell in enumerate(cells) if index % 6 in (0, 1)]
    assert ends
    assert all(cell.startswith("<a ") or cell == HIDDEN_CHILD_LABEL for cell in ends)


def test_the_drawing_is_served_as_svg_and_not_cached(signed_in, social_worker, web):
    response = signed_in(social_worker).get(
        reverse("tasking:child_network_svg", args=[web["jay"].pk])
    )

    assert response["Content-Type"].startswith("image/svg+xml")
    assert "no-store" in response["Cache-Control"]


def test_the_network_of_a_child_out_of_scope_is_not_found(signed_in, social_worker, web):
    client = signed_in(social_worker)

    for name in ("tasking:child_network", "tasking:child_network_svg"):
        assert client.get(reverse(name, args=[web["hidden"].pk])).status_code == 404


def test_the_network_page_takes_a_bounded_number_of_queries(
    signed_in, social_worker, team, django_assert_max_num_queries
):
    child = ChildFactory(team=team)
    for _ in range(10):
        place = SubjectOfConcernFactory()
        ChildSubjectLinkFactory(child=child, subject=place)
        ChildSubjectLinkFactory(child=ChildFactory(team=team), subject=place)
    client = signed_in(social_worker)

    with django_assert_max_num_queries(25):
        response = client.get(reverse("tasking:child_network", args=[child.pk]))

    assert response.status_code == 200


def test_the_subject_network_page_asks_for_a_reason_first(signed_in, social_worker, web):
    url = reverse("tasking:subject_network", args=[web["place"].pk])
    client = signed_in(social_worker)

    sealed = client.get(url)
    client.post(sealed["Location"], {"reason": "Preparing for the tasking meeting"})
    response = client.get(url)

    assert sealed.status_code == 302
    assertTemplateUsed(response, "tasking/network_subject.html")
    assertContains(response, "Child C000001")
