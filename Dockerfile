FROM python:3.12-slim-bookworm

# WeasyPrint renders PDFs with Pango; fonts make reports legible.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8000
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN pybabel compile --domain django --directory locale
# A throw-away key: collecting static files signs nothing, but settings ask for a strong key.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --no-input

RUN useradd --system --home /app readiness
USER readiness
EXPOSE 8000
# Healthy when the app answers and reaches its database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/health/ready/', timeout=4)" || exit 1
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py rebuild_headlines && gunicorn config.wsgi -c config/gunicorn.py --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
