"""Call history: this session's calls, filterable, downloadable (redacted), clearable."""

from ui import history_view, page_setup

ctx = page_setup(
    "history",
    "Call history",
    ":material/history:",
    caption="Every call this browser session made, newest first. Exports are redacted: no API-Key or partner_key.",
)
history_view.render(ctx)
