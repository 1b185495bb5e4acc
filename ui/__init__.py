"""Shared Streamlit pieces: page setup, sidebar, document and result panels, charts, inspector.

Pages call these; these call ``kyc``. ``kyc`` never imports Streamlit.
"""

from ui.setup import PageContext, page_setup

__all__ = ["PageContext", "page_setup"]
