"""The township gazetteer of 双辽: townships and streets (乡镇/街道), their villages and communities and the
other names people use, as policies/shuangliao-divisions.yml lists them; and which of them a resident means.

Its own module, beside the conversation and the intake system: the forms, the WeChat gateway, alerts and the
agent assist read it (bot/services.py loads it once from the app's settings), and the intake system seeds its
township offices from it (bot/intake/seed.py). Nobody reads the intake system's tables to match a place.

    divisions.py  Division, Gazetteer, load(file), office_name
    matching.py   match_places(text, divisions) → PlaceMatch, best first
"""
