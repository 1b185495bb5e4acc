"""What the app does with the kyc client, without Streamlit: the journey's summary and report,
batch runs, applicant checks and files, the call history, and spreadsheet exports.

Imports ``kyc``; ``kyc`` never imports this package.
"""
