FROM python:3.11-slim-bookworm
# Pango and fonts for WeasyPrint (the PDF report).
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
# The app runs as an unprivileged user: it can write only VAR_DIR (uploads, reports), not its own code.
RUN groupadd --system --gid 10001 portefolje \
    && useradd --system --uid 10001 --gid portefolje --home-dir /app --no-create-home --shell /usr/sbin/nologin portefolje
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
ENV DJANGO_SETTINGS_MODULE=config.settings VAR_DIR=/app/var
RUN DEBUG=1 python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R portefolje:portefolje /app/var
USER portefolje
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
