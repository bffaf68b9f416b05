"""kg.analyse stage."""
