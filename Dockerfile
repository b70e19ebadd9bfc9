# The QPR bot as a container image: `docker build -t qpr-bot .`, or `docker compose up -d`
# with compose.yaml. Settings come from the environment at run time (see .env.example);
# nothing secret is built into the image.

# Bookworm named, so that the WeasyPrint libraries below keep their Debian package names.
# Both stages use the same base, as the virtualenv's python links to the base's own.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# What the wheel is built from: pyproject.toml names README.md as the long description, and
# its package data carries the migrations, the report schemas and the evidence synonyms.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY reviews ./reviews
COPY storage ./storage
# The demo's files, installed under /opt/venv/share/qpr-bot so that `qpr demo` runs here too.
COPY sample_data ./sample_data
# Not editable: the image holds the installed package, not the source. The libraries'
# own test suites (about 80 MB, pandas's most of it) and pip itself are not needed to run.
RUN pip install . \
    && find /opt/venv -type d -name tests -prune -exec rm -rf {} + \
    && pip uninstall -y pip setuptools


FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PORT=3000

# WeasyPrint draws the PDF reports with Pango and HarfBuzz, and needs at least one font
# (the reports ask for DejaVu Sans). Matplotlib brings its own.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid, so that a mounted volume or a cluster's runAsUser can be given to it. Its
# home is the data folder, where Matplotlib and Fontconfig keep their caches and where the
# SQLite file goes when DATABASE_URL is empty.
RUN groupadd --system --gid 10001 qpr \
    && useradd --system --uid 10001 --gid qpr --home-dir /var/lib/qpr --shell /usr/sbin/nologin qpr \
    && install -d -o qpr -g qpr -m 0750 /var/lib/qpr

COPY --from=build /opt/venv /opt/venv

WORKDIR /var/lib/qpr
USER 10001:10001

EXPOSE 3000

# /healthz answers 200 while the database is reachable and 503 otherwise, which urlopen
# raises; in Socket Mode it is all that listens on PORT. Slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${PORT:-3000}/healthz', timeout=4)" || exit 1

ENTRYPOINT ["qpr"]
CMD ["serve"]
