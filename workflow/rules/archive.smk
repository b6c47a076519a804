# Placeholder: round archives (archive_{round}) are added by the archive work.
