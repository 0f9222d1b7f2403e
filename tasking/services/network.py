"""Who and what is linked to a child or a subject, two steps out, as data, a drawing and a list.

Scope is respected at every step: a subject the viewer cannot open is left out (and not walked
through); a child the viewer cannot open appears only as "a child in another team", with no
reference, no link and nothing beyond it. Only current links count (not ended ones).

The drawing is a deterministic SVG with presentation attributes only (served as an <img>, so the
page's CSP is untouched): the centre in the middle, the nodes one step out on a ring around it,
two steps out on a wider ring; grading as line style (solid verified, dashed reported, dotted
suspected). The list of links on the page is its accessible equivalent.
"""

import dataclasses
import datetime
import math
from html import escape
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cre_portal.accounts.models import User
from referrals.models import Child
from referrals.permissions.children import visible_children
from tasking.models import ChildSubjectLink, Grading, SubjectAssociation, SubjectOfConcern
from tasking.permissions.subjects import visible_subjects
from tasking.services.subjects import subject_reference

CHILD, SUBJECT, HIDDEN_CHILD = "child", "subject", "hidden_child"
HIDDEN_CHILD_LABEL = "A child in another team"
MAX_STEPS = 2
# Beyond this many nodes the drawing stops adding; the list still has every link.
MAX_DRAWN_NODES = 60


@dataclasses.dataclass
class Node:
    kind: str  # CHILD, SUBJECT or HIDDEN_CHILD
    kind_label: str  # 'Child', 'Place', ... or 'A child in another team'
    reference: str  # case reference or subject reference; '' for a hidden child
    distance: int
    obj: Child | SubjectOfConcern | None  # None for a hidden child: nothing about it leaves here
    key: str = ""  # 'n0', 'n1', ... in drawing order
    parent: str = ""  # two steps out: the key of the node one step out it hangs from

    @property
    def pk(self) -> Any:
        return None if self.obj is None else self.obj.pk

    @property
    def label(self) -> str:
        """'Child C100001', 'Place SUB-1A2B3C4D' or 'A child in another team'."""
        return f"{self.kind_label} {self.reference}".strip()


@dataclasses.dataclass(frozen=True)
class Edge:
    start: Node
    end: Node
    relationship: str
    source: str
    source_reference: str
    grading: str
    grading_label: str
    linked_on: datetime.date


@dataclasses.dataclass
class Network:
    centre: Node
    nodes: list[Node]
    edges: list[Edge]

    @property
    def drawn_nodes(self) -> list[Node]:
        return self.nodes[:MAX_DRAWN_NODES]

    @property
    def is_truncated(self) -> bool:
        return len(self.nodes) > MAX_DRAWN_NODES


def _current(today: datetime.date) -> Q:
    return Q(ended_on__isnull=True) | Q(ended_on__gt=today)


class _Walk:
    """Breadth-first from the centre; one set of queries per step, each filtered by scope."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.today = timezone.localdate()
        self.nodes: dict[tuple[str, Any], Node] = {}
        self.edges: dict[tuple[str, Any], Edge] = {}
        self.visible_child_ids: set[Any] = set()
        self.visible_subject_ids: set[Any] = set()

    def node(self, kind: str, obj: Any, distance: int) -> Node:
        key = (kind, obj.pk)
        if key not in self.nodes:
            self.nodes[key] = _make_node(kind, obj, distance)
        return self.nodes[key]

    def step(self, children: list[Child], subjects: list[SubjectOfConcern], distance: int) -> tuple:
        """Follow every current link out of this step's nodes; the next step's nodes."""
        new_children: list[Child] = []
        new_subjects: list[SubjectOfConcern] = []
        links = self._child_links(children, subjects)
        associations = self._associations(subjects)
        self._learn_scope(
            child_ids={link.child_id for link in links},
            subject_ids={link.subject_id for link in links}
            | {a.subject_id for a in associations}
            | {a.other_id for a in associations},
        )
        for link in links:
            subject_node = self._subject_end(link.subject, distance, new_subjects)
            if subject_node is not None:
                child_node = self._child_end(link.child, distance, new_children)
                self._add_edge(link, child_node, subject_node, "Linked to")
        for association in associations:
            start = self._subject_end(association.subject, distance, new_subjects)
            end = self._subject_end(association.other, distance, new_subjects)
            if start is not None and end is not None:
                self._add_edge(association, start, end, "Associated with")
        return new_children, new_subjects

    def _child_links(self, children: list[Child], subjects: list[SubjectOfConcern]) -> list:
        touching = Q(child__in=children) | Q(subject__in=subjects)
        links = ChildSubjectLink.objects.filter(touching, _current(self.today))
        return list(links.select_related("child", "subject").order_by("linked_on", "pk"))

    def _associations(self, subjects: list[SubjectOfConcern]) -> list:
        touching = Q(subject__in=subjects) | Q(other__in=subjects)
        rows = SubjectAssociation.objects.filter(touching, _current(self.today))
        return list(rows.select_related("subject", "other").order_by("linked_on", "pk"))

    def _child_end(self, child: Child, distance: int, new: list[Child]) -> Node:
        for kind in (CHILD, HIDDEN_CHILD):
            if (kind, child.pk) in self.nodes:
                return self.nodes[(kind, child.pk)]
        if child.pk in self.visible_child_ids:
            new.append(child)
            return self.node(CHILD, child, distance)
        # Out of scope: a placeholder, never walked beyond.
        return self.node(HIDDEN_CHILD, child, distance)

    def _subject_end(self, subject: SubjectOfConcern, distance: int, new: list) -> Node | None:
        """The subject's node; None when the user may not open it (it is left out entirely)."""
        if (SUBJECT, subject.pk) in self.nodes:
            return self.nodes[(SUBJECT, subject.pk)]
        if subject.pk not in self.visible_subject_ids:
            return None
        new.append(subject)
        return self.node(SUBJECT, subject, distance)

    def _add_edge(self, row: Any, start: Node, end: Node, relationship: str) -> None:
        hidden = HIDDEN_CHILD in (start.kind, end.kind)
        self.edges[(type(row).__name__, row.pk)] = Edge(
            start=start,
            end=end,
            relationship=relationship,
            source=row.get_source_display(),
            # A reference could identify the child (a referral number): not for a hidden one.
            source_reference="" if hidden else row.source_reference,
            grading=row.grading,
            grading_label=Grading(row.grading).label,
            linked_on=row.linked_on,
        )

    def _learn_scope(self, *, child_ids: set, subject_ids: set) -> None:
        """Which of the children and subjects met at this step the user may open."""
        self.visible_child_ids |= set(
            visible_children(self.user).filter(pk__in=child_ids).values_list("pk", flat=True)
        )
        self.visible_subject_ids |= set(
            visible_subjects(self.user).filter(pk__in=subject_ids).values_list("pk", flat=True)
        )


def _make_node(kind: str, obj: Any, distance: int) -> Node:
    if kind == SUBJECT:
        return Node(kind, obj.get_kind_display(), subject_reference(obj), distance, obj)
    if kind == CHILD:
        return Node(kind, "Child", obj.child_ref, distance, obj)
    return Node(kind, HIDDEN_CHILD_LABEL, "", distance, None)


def _walk(user: User, centre_kind: str, centre: Any) -> Network:
    walk = _Walk(user)
    centre_node = walk.node(centre_kind, centre, 0)
    children = [centre] if centre_kind == CHILD else []
    subjects = [centre] if centre_kind == SUBJECT else []
    for distance in range(1, MAX_STEPS + 1):
        children, subjects = walk.step(children, subjects, distance)
    nodes = _in_drawing_order(list(walk.nodes.values()), list(walk.edges.values()))
    return Network(centre=centre_node, nodes=nodes, edges=_sorted_edges(walk.edges.values()))


def child_network(user: User, child: Child) -> Network:
    """The subjects linked to a child the user can see, and who and what is linked to those."""
    return _walk(user, CHILD, child)


def subject_network(user: User, subject: SubjectOfConcern) -> Network:
    """The children and subjects linked to a subject, and who and what is linked to those."""
    return _walk(user, SUBJECT, subject)


def _sort_key(node: Node) -> tuple:
    return (node.kind == HIDDEN_CHILD, node.kind, node.label, str(node.pk))


def _in_drawing_order(nodes: list[Node], edges: list[Edge]) -> list[Node]:
    """Centre, then ring one sorted, then ring two grouped under the first node it hangs from,
    so the drawing is the same every time and lines cross as little as a ring layout allows."""
    ring_one = sorted((n for n in nodes if n.distance == 1), key=_sort_key)
    position = {id(n): i for i, n in enumerate(ring_one)}
    parent: dict[int, int] = {}
    for edge in edges:
        for near, far in ((edge.start, edge.end), (edge.end, edge.start)):
            if near.distance == 1 and far.distance == 2:
                parent[id(far)] = min(parent.get(id(far), 10**6), position[id(near)])
    ring_two = sorted(
        (n for n in nodes if n.distance == 2), key=lambda n: (parent.get(id(n), 0), *_sort_key(n))
    )
    ordered = [n for n in nodes if n.distance == 0] + ring_one + ring_two
    for index, node in enumerate(ordered):
        node.key = f"n{index}"
    for node in ring_two:
        node.parent = ring_one[parent[id(node)]].key if id(node) in parent else ""
    return ordered


def _sorted_edges(edges: Any) -> list[Edge]:
    return sorted(edges, key=lambda e: (e.start.key, e.end.key, e.linked_on))


# --- The children linked to a subject ("which children in the last 90 days") --------------------
@dataclasses.dataclass(frozen=True)
class LinkedChild:
    child: Child | None  # None when the user may not open the child's record
    link_id: Any  # None with the child: a link the user cannot see whole cannot be changed
    source: str
    source_reference: str
    grading: str
    grading_label: str
    linked_on: datetime.date
    ended_on: datetime.date | None


def linked_children(
    user: User, subject: SubjectOfConcern, *, days: int | None = None
) -> list[LinkedChild]:
    """Children linked to the subject (in the last `days` days if given), newest first; those
    the user may not open come without name, reference or source reference."""
    links = subject.child_links.select_related("child").order_by("-linked_on", "child__child_ref")
    if days is not None:
        links = links.filter(linked_on__gte=timezone.localdate() - datetime.timedelta(days=days))
    rows = list(links)
    ids = {link.child_id for link in rows}
    visible = set(visible_children(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [_linked_child(link, link.child_id in visible) for link in rows]


def _linked_child(link: ChildSubjectLink, sees_child: bool) -> LinkedChild:
    return LinkedChild(
        child=link.child if sees_child else None,
        link_id=link.pk if sees_child else None,
        source=link.get_source_display(),
        source_reference=link.source_reference if sees_child else "",
        grading=link.grading,
        grading_label=Grading(link.grading).label,
        linked_on=link.linked_on,
        ended_on=link.ended_on,
    )


@dataclasses.dataclass(frozen=True)
class LinkedSubject:
    other: SubjectOfConcern
    association_id: Any
    source: str
    source_reference: str
    grading_label: str
    linked_on: datetime.date
    ended_on: datetime.date | None


def linked_subjects(user: User, subject: SubjectOfConcern) -> list[LinkedSubject]:
    """Subjects associated with this one, either way round; those the user may not open are
    left out."""
    rows = SubjectAssociation.objects.filter(Q(subject=subject) | Q(other=subject))
    pairs = [
        (row, row.other if row.subject_id == subject.pk else row.subject)
        for row in rows.select_related("subject", "other").order_by("-linked_on", "pk")
    ]
    ids = {other.pk for _row, other in pairs}
    seen = set(visible_subjects(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        LinkedSubject(
            other=other,
            association_id=row.pk,
            source=row.get_source_display(),
            source_reference=row.source_reference,
            grading_label=Grading(row.grading).label,
            linked_on=row.linked_on,
            ended_on=row.ended_on,
        )
        for row, other in pairs
        if other.pk in seen
    ]


# --- Drawing -----------------------------------------------------------------------------------
NODE_WIDTH, NODE_HEIGHT = 150, 52
RING_GAP = 200
SPACING = 175  # centre to centre along a ring, so boxes do not overlap
MARGIN = 24
LEGEND_HEIGHT = 110
FONT = "Arial, Helvetica, sans-serif"
INK = "#0b0c0c"
LINE_STYLES = {
    Grading.VERIFIED: 'stroke-width="3"',
    Grading.REPORTED: 'stroke-width="3" stroke-dasharray="12 7"',
    Grading.SUSPECTED: 'stroke-width="3" stroke-dasharray="1 7" stroke-linecap="round"',
}
NODE_STYLES = {
    CHILD: 'fill="#ffffff" stroke="#1d70b8" stroke-width="3" rx="26"',
    SUBJECT: 'fill="#ffffff" stroke="#0b0c0c" stroke-width="2" rx="4"',
    HIDDEN_CHILD: 'fill="#f3f2f1" stroke="#505a5f" stroke-width="2" stroke-dasharray="6 4" rx="26"',
}


def _ring_radius(count: int, inner: float) -> float:
    return max(inner + RING_GAP, count * SPACING / (2 * math.pi)) if count else inner


def layout(network: Network) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """Width, height and each drawn node's centre: rings by distance, first node at the top."""
    nodes = network.drawn_nodes
    rings = [[n for n in nodes if n.distance == d] for d in range(MAX_STEPS + 1)]
    radii = [0.0]
    for ring in rings[1:]:
        radii.append(_ring_radius(len(ring), radii[-1]))
    half = radii[-1] + NODE_WIDTH / 2 + MARGIN
    width = max(2 * half, 620)
    centre_x, centre_y = width / 2, half
    angles = _angles(rings)
    points = {}
    for ring, radius in zip(rings, radii, strict=True):
        for node in ring:
            angle = angles[node.key]
            points[node.key] = (
                centre_x + radius * math.cos(angle),
                centre_y + radius * math.sin(angle),
            )
    return width, 2 * half + LEGEND_HEIGHT, points


def _angles(rings: list[list[Node]]) -> dict[str, float]:
    """Evenly round each ring from the top; the outer ring turned as a whole so that, on
    average, each node sits nearest the node it hangs from."""
    angles = {}
    for ring in rings:
        for index, node in enumerate(ring):
            angles[node.key] = -math.pi / 2 + 2 * math.pi * index / len(ring)
    outer = [n for n in rings[-1] if n.parent in angles] if len(rings) > 2 else []
    if outer:
        sin = sum(math.sin(angles[n.parent] - angles[n.key]) for n in outer)
        cos = sum(math.cos(angles[n.parent] - angles[n.key]) for n in outer)
        turn = math.atan2(sin, cos)
        for node in rings[-1]:
            angles[node.key] += turn
    return angles


def _text(x: float, y: float, text: str, *, bold: bool = False, anchor: str = "middle") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-family="{FONT}" '
        f'font-size="15" fill="{INK}"{weight}>{escape(text)}</text>'
    )


def _node_svg(node: Node, x: float, y: float) -> str:
    first, second = (
        (node.kind_label, node.reference) if node.reference else ("A child in", "another team")
    )
    box = (
        f'<rect x="{x - NODE_WIDTH / 2:.1f}" y="{y - NODE_HEIGHT / 2:.1f}" '
        f'width="{NODE_WIDTH}" height="{NODE_HEIGHT}" {NODE_STYLES[node.kind]}/>'
    )
    return f"<g>{box}{_text(x, y - 4, first, bold=True)}{_text(x, y + 15, second)}</g>"


def _edge_svg(edge: Edge, points: dict) -> str:
    (x1, y1), (x2, y2) = points[edge.start.key], points[edge.end.key]
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{INK}" '
        f"{LINE_STYLES[Grading(edge.grading)]}/>"
    )


def _legend_svg(top: float) -> list[str]:
    parts = [_text(MARGIN, top + 20, "Key", bold=True, anchor="start")]
    for index, grading in enumerate(Grading):
        x = MARGIN + index * 190
        parts.append(
            f'<line x1="{x}" y1="{top + 45}" x2="{x + 60}" y2="{top + 45}" stroke="{INK}" '
            f"{LINE_STYLES[grading]}/>"
        )
        parts.append(_text(x + 70, top + 50, grading.label, anchor="start"))
    parts.append(
        _text(
            MARGIN,
            top + 85,
            "Rounded boxes are children; square boxes are subjects.",
            anchor="start",
        )
    )
    return parts


def network_description(network: Network) -> str:
    """The drawing in one sentence, for its alternative text."""
    children = sum(1 for n in network.nodes if n.kind != SUBJECT and n is not network.centre)
    subjects = sum(1 for n in network.nodes if n.kind == SUBJECT and n is not network.centre)
    return (
        f"Network diagram centred on {network.centre.label}: {children} "
        f"{'child' if children == 1 else 'children'} and {subjects} "
        f"{'subject' if subjects == 1 else 'subjects'} within two links. "
        "The table of links on this page gives the same information."
    )


def network_svg(network: Network) -> str:
    """The network as an SVG document: presentation attributes only, no styles or scripts."""
    width, height, points = layout(network)
    drawn = [e for e in network.edges if e.start.key in points and e.end.key in points]
    body = [_edge_svg(edge, points) for edge in drawn]
    body += [_node_svg(node, *points[node.key]) for node in network.drawn_nodes]
    if network.is_truncated:
        body.append(
            _text(width / 2, 20, "Only part of the network is drawn: see the table of links.")
        )
    body += _legend_svg(height - LEGEND_HEIGHT)
    title = escape(network_description(network))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="title"><title id="title">{title}</title>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(body)}</svg>'
    )
