"""Handlers of the files referrals owns: children.csv, referrals.csv, missing_episodes.csv."""
