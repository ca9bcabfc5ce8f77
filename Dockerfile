# One image for the web service, the worker and migrations:
#   docker run IMAGE serve --host 0.0.0.0   (default)
#   docker run IMAGE worker
#   docker run IMAGE migrate
# Configuration comes from SAMVAAD_* environment variables (see README.md).
# BASE is any image with python3 (3.11+) and its venv module: production uses python:3.11-slim; where Docker
# Hub is out of reach, scripts/docker-base builds Debian bookworm's (docs/operations.md, "Docker and compose").
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/samvaad
WORKDIR /src
# The dependencies first, in a layer of their own: a change to Samvaad's code reinstalls only Samvaad.
COPY pyproject.toml ./
RUN /opt/samvaad/bin/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > requirements.txt \
 && /opt/samvaad/bin/pip install -r requirements.txt
COPY README.md alembic.ini ./
COPY app ./app
COPY routing ./routing
COPY telephony ./telephony
COPY locales ./locales
COPY schemas ./schemas
COPY workers ./workers
RUN /opt/samvaad/bin/pip install --no-deps . \
 && /opt/samvaad/bin/python -c "import locales; compile = getattr(locales, 'compile_catalogs', None); compile and compile(force=True)"

FROM ${BASE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/opt/samvaad/bin:$PATH \
    SAMVAAD_DATA_DIR=/data
RUN groupadd --system --gid 10001 samvaad \
 && useradd --system --uid 10001 --gid samvaad --home-dir /app --no-create-home samvaad \
 && mkdir -p /app /data && chown samvaad:samvaad /data
COPY --from=build /opt/samvaad /opt/samvaad
COPY alembic.ini /app/alembic.ini
WORKDIR /app
USER samvaad
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
ENTRYPOINT ["samvaad"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
