"""Buttek's modules: one package per module, each declaring ``MODULE`` in its ``__init__``."""
