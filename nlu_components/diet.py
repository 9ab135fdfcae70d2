"""DIETClassifier that loads in seconds instead of half a minute.

Rasa builds a loaded model's weights by fitting one example (RasaModel.load). In graph mode that
traces the whole training step, ~25 s on this 2-core machine, before the engine can answer. Building
the weights eagerly gives the same weights in a fraction of the time; prediction is then switched
back to graph mode and traced once, so per-message latency is unchanged. Training is untouched.
"""
from __future__ import annotations

import copy
from typing import Any, Optional, Text, Type

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class FastLoadDIET(DIET):
    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode:
            return super().load(model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
        config = copy.deepcopy(kwargs.get("config", {}))
        kwargs["config"] = {**config, RUN_EAGERLY: True}
        model = super().load(model_file_name, model_data_example, None, finetune_mode, *args, **kwargs)
        model.config[RUN_EAGERLY] = config.get(RUN_EAGERLY, False)
        model.run_eagerly = model.config[RUN_EAGERLY]
        if predict_data_example:
            model.run_inference(predict_data_example)  # trace the prediction graph once, now
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class FastLoadDIETClassifier(DIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return FastLoadDIET
