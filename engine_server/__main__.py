"""`python -m engine_server run …` = `rasa run …` with the API token read from the environment
(ENGINE_TOKEN), so it is not on the command line where `ps` shows it to every local user."""
from __future__ import annotations

import os
import sys


def main() -> int:
    token = os.environ.get("ENGINE_TOKEN", "")
    if not token:
        print("engine_server: ENGINE_TOKEN is not set", file=sys.stderr)
        return 2
    os.umask(0o077)  # the tracker database and anything else the engine writes: owner only
    # sys.argv is this process's own copy: /proc/<pid>/cmdline keeps what the parent executed
    sys.argv = ["rasa", *sys.argv[1:], f"--auth-token={token}"]
    from rasa.__main__ import main as rasa_main

    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
