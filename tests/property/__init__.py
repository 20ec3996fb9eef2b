"""Property-based tests (hypothesis) of oerremix's licence engine."""
