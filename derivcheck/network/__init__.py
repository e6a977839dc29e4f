"""The chapter's two-layer network and ``gradcheck`` (see :mod:`derivcheck.network.model`
and :mod:`derivcheck.network.gradcheck`)."""

from derivcheck.network.model import (
    ACTIVATIONS,
    CHAPTER_SECTION2,
    MAX_SYMBOLIC_WEIGHTS,
    Backward,
    Forward,
    GradientTable,
    NetworkLoss,
    TrainingResult,
    TrainingSetup,
    TwoLayerNetwork,
    as_program,
    chapter_example,
    chapter_training_setup,
    random_setup,
    train,
)

__all__ = [
    "ACTIVATIONS",
    "TwoLayerNetwork",
    "Forward",
    "Backward",
    "NetworkLoss",
    "GradientTable",
    "TrainingSetup",
    "TrainingResult",
    "as_program",
    "chapter_example",
    "chapter_training_setup",
    "random_setup",
    "train",
    "CHAPTER_SECTION2",
    "MAX_SYMBOLIC_WEIGHTS",
]
