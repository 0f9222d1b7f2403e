"""Documents made from tasking records: a meeting's agenda as PDF and Word."""
