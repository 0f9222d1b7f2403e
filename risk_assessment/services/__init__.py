"""Every write and state change in risk assessment, one module per area."""
