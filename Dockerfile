# The dashboard as a container: `docker build -t casualty-figures .` then
# `docker run --rm -p 8501:8501 casualty-figures` and open http://localhost:8501.
# Runtime dependencies: requirements.txt, exported from uv.lock with hashes (`make lock`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them.
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.txt

# The app is run from its source tree (paths are resolved from the code), not pip-installed.
COPY app.py pyproject.toml README.md ./
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY figures ./figures
COPY data ./data

# An unprivileged user; the code and data stay owned by root, so the app cannot change them.
RUN useradd --create-home --uid 10001 --user-group app
USER app

EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"]

# Production settings come from .streamlit/config.toml; the file watcher is off in a container.
# figures.ui.serve warms the process (imports, data, first views) and then runs `streamlit run app.py`
# with these options: the health check passes once a visitor is served at warm speed.
CMD ["python", "-m", "figures.ui.serve", "--server.port=8501", "--server.address=0.0.0.0", "--server.fileWatcherType=none"]
