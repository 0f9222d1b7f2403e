"""Who may see and do what in reports."""
