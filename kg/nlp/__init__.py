"""kg.nlp stage."""
