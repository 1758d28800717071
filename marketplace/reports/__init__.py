"""Commissioner and audit reports."""
