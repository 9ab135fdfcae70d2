"""The engine's endpoints.yml, written from settings: stores, broker and the action server's token."""
from dataclasses import replace

import pytest
import yaml

from bot.runtime.endpoints import MASKING_STORE, event_broker, tracker_store, write_endpoints
from bot.settings import get_settings


def test_the_file_names_the_actions_token_never_its_value(tmp_path):
    settings = replace(get_settings(), actions_port=5999, event_broker_url="amqp://guest:guest@127.0.0.1:5672/")
    path = write_endpoints(settings, tmp_path / "endpoints.yml")
    text = path.read_text()
    assert settings.actions_token not in text
    config = yaml.safe_load(text)
    assert config["action_endpoint"] == {"url": "http://127.0.0.1:5999/webhook",
                                         "headers": {"Authorization": "Bearer ${ACTIONS_TOKEN}"}}
    assert config["tracker_store"]["type"] == MASKING_STORE
    assert config["event_broker"]["type"] == "pika" and config["event_broker"]["queues"] == ["jiuzhu_events"]
    assert path.stat().st_mode & 0o077 == 0


def test_stores_and_brokers_by_url():
    assert tracker_store("sqlite:////tmp/t.db") == {"type": MASKING_STORE, "dialect": "sqlite", "db": "/tmp/t.db"}
    pg = tracker_store("postgresql://bot:pw@db.local:6543/rasa")
    assert (pg["url"], pg["port"], pg["db"], pg["username"], pg["password"]) == ("db.local", 6543, "rasa", "bot", "pw")
    assert event_broker("") is None
    assert event_broker("sqlite:////tmp/e.db") == {"type": "SQL", "dialect": "sqlite", "db": "/tmp/e.db"}
    assert event_broker("postgresql://postgres@127.0.0.1/events")["dialect"] == "postgresql"
    rabbit = event_broker("amqp://u:p@mq.local:5673/")
    assert (rabbit["url"], rabbit["port"], rabbit["username"], rabbit["password"]) == ("mq.local", 5673, "u", "p")
    with pytest.raises(ValueError):
        event_broker("kafka://x")
