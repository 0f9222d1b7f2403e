"""Who may see and do what in risk assessment: one module per area."""
