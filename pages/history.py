"""Call history: this session's calls, filterable, downloadable (redacted), clearable."""

from ui import history_view, page_setup
from ui.i18n import _

ctx = page_setup(
    "history",
    _("Call history"),
    ":material/history:",
    caption=_("Every call this browser session made, newest first. Exports are redacted: no API-Key or partner_key."),
)
history_view.render(ctx)
