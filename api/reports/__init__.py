"""Printed documents: the officer's annual report as PDF (HTML/CSS through WeasyPrint)."""
