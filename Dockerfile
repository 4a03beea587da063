# simbot: the Telegram bot in a slim image. Knowledge base and data are volumes so operators can
# edit the YAML and /reload without rebuilding, and the SQLite file survives upgrades.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KNOWLEDGE_DIR=/srv/simbot/knowledge \
    DATA_DIR=/srv/simbot/data \
    QUALITY_SETS=/srv/simbot/eval/*.yaml

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir ".[charts]" \
    && useradd --system --uid 10001 --home-dir /srv/simbot simbot \
    && mkdir -p /srv/simbot/data
COPY --chown=simbot:simbot knowledge /srv/simbot/knowledge
# The evaluation sets every knowledge change is measured on before it is swapped in.
COPY --chown=simbot:simbot tests/data /srv/simbot/eval
RUN chown -R simbot:simbot /srv/simbot

USER simbot
VOLUME ["/srv/simbot/knowledge", "/srv/simbot/data"]
# Webhook mode listens here when WEBHOOK_URL is set; polling needs no port.
EXPOSE 8443
ENTRYPOINT ["python", "-m", "bot", "run"]
