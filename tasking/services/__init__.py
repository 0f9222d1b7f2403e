"""Every write and state change in tasking, one module per area."""
