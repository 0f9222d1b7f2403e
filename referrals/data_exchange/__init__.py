"""Import and export of case data in the documented format (shared/DATA_EXCHANGE.md).

reader (files to tables) -> validate (each file alone) -> plan (against the database, across
files: what would be new, changed, unchanged, and every problem) -> apply (one transaction).
`registry` holds the handler of each file; export writes the same files back.
"""
