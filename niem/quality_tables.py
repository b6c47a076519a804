"""Table specs of the quality stage (registered into niem.tables.TABLES)."""
