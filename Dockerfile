# KYC Studio as a container: the Streamlit app, its built-in sandbox and the OCR engines, for one
# shared demo server. Build it with `make image` (docker/build.sh), which also makes the base image
# where no registry is reachable; try it with `make image-test`. docs/deploy.md says how to run it.
#
# Nothing secret is baked in: settings come in as environment variables, credentials as a mounted
# /app/.streamlit/secrets.toml. The host's CA bundle (where a TLS proxy needs it for pip) and its
# package index (a pip.conf) are BuildKit secrets: mounted for the one RUN that installs, in no layer.

# A Debian bookworm base: debian:bookworm-slim, or one that docker/build.sh bootstraps.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# The runtime Debian packages: Python, and packages.txt (poppler for PDFs, Tesseract and its
# Indonesian data, fonts), the same list Streamlit Community Cloud reads.
COPY packages.txt /tmp/packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-venv \
      $(grep -hvE '^\s*(#|$)' /tmp/packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/packages.txt

# The runtime requirements only (requirements.txt, pinned): no test tools, no browser.
COPY requirements.txt /tmp/requirements.txt
RUN --mount=type=secret,id=ca --mount=type=secret,id=pipconf \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
 && if [ -s /run/secrets/pipconf ]; then export PIP_CONFIG_FILE=/run/secrets/pipconf; fi \
 && python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --quiet -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

ENV PATH=/opt/venv/bin:$PATH \
    MALLOC_ARENA_MAX=1 \
    KYC_STATE_DIR=/var/lib/kyc-studio \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_PORT=8501 \
    HOME=/home/kyc

WORKDIR /app
COPY app.py ./
COPY pages pages/
COPY ui ui/
COPY workflows workflows/
COPY kyc kyc/
COPY sandbox sandbox/
COPY cardocr cardocr/
COPY locales locales/
COPY docker/healthcheck.py docker/
COPY .streamlit/config.toml .streamlit/
# The catalogs compiled here, as `make setup` does (.mo files are not committed).
RUN for po in locales/*/LC_MESSAGES/*.po kyc/locales/*/LC_MESSAGES/*.po; do \
      pybabel -q compile -i "$po" -o "${po%.po}.mo"; \
    done \
 && python -m compileall -q app.py pages ui workflows kyc sandbox cardocr

# A user of its own; the daily count of live calls and the audit trail go to a volume it owns.
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/kyc --shell /usr/sbin/nologin kyc \
 && mkdir -p /var/lib/kyc-studio \
 && chown kyc:kyc /var/lib/kyc-studio
USER kyc
VOLUME ["/var/lib/kyc-studio"]

EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["python", "docker/healthcheck.py"]
# The address and port are environment variables (above), so `docker run -e` can change them.
CMD ["streamlit", "run", "app.py", "--server.headless=true"]
