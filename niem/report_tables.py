"""Table specs of the report stage (registered into niem.tables.TABLES)."""
