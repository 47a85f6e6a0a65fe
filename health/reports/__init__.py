"""Reports and analysis in the core: SVG charts and the statistics of the force analysis.

Pure functions over plain values; services read, authorise and audit, api renders PDFs.
"""
