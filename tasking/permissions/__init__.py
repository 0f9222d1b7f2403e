"""Who may see and do what in tasking: one module per area."""
