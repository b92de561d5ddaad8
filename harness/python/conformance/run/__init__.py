"""Running: adapters found, the suite built, the judge run over parts and merged, the mutation gate, the console."""
