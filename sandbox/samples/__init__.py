"""Synthetic NPWP sample cards (each marked CONTOH / SPECIMEN) and their true fields.

The files and ``manifest.json`` beside this module are produced by
``python -m sandbox.samples.generate``; the sandbox recognises them by the sha256 of their bytes.
"""
