"""KYC Studio home: what each page does, the sandbox's personas and scenarios, and how to go live."""

from ui import home, page_setup
from ui.i18n import _

ctx = page_setup("home", _("Home"), heading="KYC Studio")
home.render(ctx)
