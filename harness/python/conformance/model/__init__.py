"""The suite's model: its vocabulary, the clause catalog and cases, and reports (read, validated, classified)."""
