"""KYC Studio home: what each page does, the sandbox's personas and scenarios, and how to go live."""

from ui import home, page_setup

ctx = page_setup("home", "Home", heading="KYC Studio")
home.render(ctx)
