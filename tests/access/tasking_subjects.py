"""Access rules for the tasking subjects pages.

See tests/test_access_matrix.py. Written by hand, never computed from the app's rules.
"""

from tests.access.personas import ObjectKind, Rule

EXPECTATIONS: dict[str, Rule] = {}
OBJECT_KINDS: dict[str, ObjectKind] = {}
