FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml requirements.lock ./
COPY platform ./platform
RUN pip install --no-cache-dir -c requirements.lock -e .
COPY . .
