"""KYC journey: one applicant end to end, from the NPWP card to a one-page summary and report."""

from ui import journey_view, page_setup
from ui.i18n import _

ctx = page_setup(
    "journey",
    _("KYC journey"),
    ":material/route:",
    caption=_(
        "Onboarding one applicant end to end: read the NPWP card, review the details, verify income, "
        "then add the reviewer's decision and download the summary as JSON or a PDF report."
    ),
)
journey_view.render(ctx)
