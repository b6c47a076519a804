"""Table specs of the analysis stage (registered into niem.tables.TABLES)."""
