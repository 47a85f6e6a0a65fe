"""Guideline criteria as pure vectorised functions, one module per guideline family.

Each threshold sits beside its citation; the functions take array-likes and return arrays of the
same length, so the JSON path (one checkup) and the bulk path (whole columns) share them.
"""
