"""Every write in reports: runs, schedules, templates."""
