"""Who may see and do what in case work: the only home of these rules, one module per area.

Import from the area's module, e.g. `from referrals.permissions.missing import ...`.
"""
