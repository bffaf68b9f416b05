"""kg.graph stage."""
