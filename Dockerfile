# Image for web (gunicorn), Celery worker and beat. Dependencies come from uv.lock.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv UV_PYTHON_DOWNLOADS=never PATH="/app/.venv/bin:$PATH"
WORKDIR /app

RUN pip install --no-cache-dir "uv==0.13.9"
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --python python3

COPY . .
# collectstatic needs settings, not a database or a real secret.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --system --home /app haochaping && mkdir -p /app/var && chown haochaping /app/var
USER haochaping
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
