from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from referrals.record_access import child_record_view
from tasking.record_access import subject_record_view
from tasking.services import network as graph
from tasking.services.subjects import subject_reference


def _svg_response(network) -> HttpResponse:
    response = HttpResponse(graph.network_svg(network), content_type="image/svg+xml; charset=utf-8")
    # Who is linked to whom is case data: no shared or browser cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@child_record_view
def child_network(request, child):
    network = graph.child_network(request.user, child)
    context = {
        "child": child,
        "network": network,
        "description": graph.network_description(network),
    }
    return render(request, "tasking/network_child.html", context)


@require_GET
@child_record_view
def child_network_svg(request, child):
    return _svg_response(graph.child_network(request.user, child))


@require_GET
@subject_record_view
def subject_network(request, subject):
    network = graph.subject_network(request.user, subject)
    context = {
        "subject": subject,
        "reference": subject_reference(subject),
        "network": network,
        "description": graph.network_description(network),
    }
    return render(request, "tasking/network_subject.html", context)


@require_GET
@subject_record_view
def subject_network_svg(request, subject):
    return _svg_response(graph.subject_network(request.user, subject))
