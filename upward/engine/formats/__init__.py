"""Framework formats: one module per format, and a registry that picks the right one."""
