"""Writers: one per format. Each takes rendered documents and returns bytes."""
