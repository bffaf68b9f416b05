"""kg.resolve stage."""
