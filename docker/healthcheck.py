"""The image's HEALTHCHECK: Streamlit's own /_stcore/health on the port the server listens on.

Exit 0 when it answers "ok", 1 otherwise (docker marks the container unhealthy after a few).
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    port = os.environ.get("STREAMLIT_SERVER_PORT", "8501")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=4) as answer:
            return 0 if answer.status == 200 and answer.read().strip() == b"ok" else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
