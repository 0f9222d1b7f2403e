"""Every write and state change in case work, one module per area; each writes the chronology."""
