"""会话审阅 — conversation review: the engine's events (Rasa's event broker, masked at publish) folded into
conversations and turns in the app's database, where reviewers list, read, correct, tag and export them.

- `events`: a pure fold of Rasa event dicts into conversation and turn rows (no database).
- `source`: the SQL broker's `events` table read-only on EVENT_BROKER_URL, in id order after a cursor.
- `store`: the repository (`ReviewStore`): what any source (the SQL broker's cursor, the RabbitMQ consumer's
  deliveries, each event once by its key) hands it lands in the same tables; the listing, a conversation,
  corrections, tags.
- `messages`, `consumer`: `bot review consume`, the engine's RabbitMQ queue (EVENT_BROKER_URL amqp://…) into the
  store: batches committed before they are acknowledged, poison set aside, one active consumer, reconnects.
- `export`: corrected turns, and the 12345 agents' corrected wrap-ups (bot/staff/wrapups.py), → Rasa 3 NLU YAML
  under nlu_data/review/.
"""
