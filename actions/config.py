"""Action server configuration from the environment (set by `bot serve` or the deployment)."""
import os

APP_URL = os.environ.get("APP_URL", "http://127.0.0.1:8000").rstrip("/")
SERVICE_TOKEN = os.environ.get("SERVICE_TOKEN", "")
APP_TIMEOUT_S = float(os.environ.get("APP_TIMEOUT_S", "5"))
# The intake system: "bundled" = the app's /intake/api (at INTAKE_URL, by default the app itself).
INTAKE_BACKEND = os.environ.get("INTAKE_BACKEND", "bundled")
INTAKE_URL = os.environ.get("INTAKE_URL", APP_URL).rstrip("/")
