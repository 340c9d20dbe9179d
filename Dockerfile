# The one image of dyadwatch: every service of docker-compose.yml runs its CLI.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY models ./models
COPY streams ./streams
COPY migrations ./migrations
RUN pip install --no-cache-dir -e . && useradd --system dyadwatch
USER dyadwatch
ENTRYPOINT ["dyadwatch"]
