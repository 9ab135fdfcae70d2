"""Development tools that are no part of the product: never shipped with the `bot` package (pyproject
packages only `bot*`), mounted by the app only outside production (bot/devtools.py).

    dev/wechat/   the WeChat simulator (plays WeChat's servers) and the stand-in for WeChat's HTTP API
"""
