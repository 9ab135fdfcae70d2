"""JiebaTokenizer without blank tokens.

jieba yields space tokens for mixed Chinese/English text ("用 wechat 申请"), and rasa 3.6.21 keeps
them (RasaHQ/rasa#7910): they become features of nothing and shift entity boundaries.
"""
from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CleanJiebaTokenizer(JiebaTokenizer):
    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        return [t for t in super().tokenize(message, attribute) if t.text.strip()]
