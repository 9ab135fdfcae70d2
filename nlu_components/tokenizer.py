"""JiebaTokenizer without blank tokens, reading traditional characters as simplified.

jieba yields space tokens for mixed Chinese/English text ("用 wechat 申请"), and rasa 3.6.21 keeps
them (RasaHQ/rasa#7910): they become features of nothing and shift entity boundaries.
A phone set to 繁體 types "進度查一下": jieba and the featurizers know only the simplified words. The
conversion is one character for one, so the tokens' offsets still point into the message as typed.
"""
from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from bot.text.normalize import simplified


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CleanJiebaTokenizer(JiebaTokenizer):
    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        typed = message.get(attribute)
        simple = simplified(typed) if isinstance(typed, str) else typed
        if simple != typed:
            message.set(attribute, simple)
        try:
            return [t for t in super().tokenize(message, attribute) if t.text.strip()]
        finally:
            if simple != typed:
                message.set(attribute, typed)
