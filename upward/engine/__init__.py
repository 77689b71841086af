"""The career growth model and its math, in plain Python (no Django)."""
