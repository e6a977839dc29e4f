"""Words and sentences in English and Chinese, with the chapter's vocabulary.

>>> from derivcheck.i18n import word
>>> word("chain_rule", "zh"), word("backward_pass", "en")
('链式法则', 'Backward pass')
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "word", "rule_name", "check_language"]

LANGUAGES = ("en", "zh")

_WORDS: dict[str, dict[str, str]] = {
    "derivative_of": {"en": "Derivative of {expr} at {point}", "zh": "{expr} 在 {point} 处的导数"},
    "gradient_of": {"en": "Gradient of {output} at {point}", "zh": "{output} 在 {point} 处的梯度"},
    "intermediate_variables": {
        "en": "Intermediate variables (forward pass)",
        "zh": "中间变量（前向传播）",
    },
    "local_derivatives": {"en": "Local derivatives", "zh": "局部导数"},
    "chain_rule": {"en": "Chain rule", "zh": "链式法则"},
    "forward_accumulation": {
        "en": "Chain rule, forward accumulation",
        "zh": "链式法则（前向累积）",
    },
    "forward_pass": {"en": "Forward pass", "zh": "前向传播"},
    "backward_pass": {"en": "Backward pass", "zh": "反向传播"},
    "backward_intro": {
        "en": "from {output} back to every variable, one chain-rule step at a time",
        "zh": "从 {output} 开始，逐层往回用链式法则算梯度",
    },
    "exact_derivative": {"en": "Exact derivative (SymPy)", "zh": "精确导数（SymPy）"},
    "numeric_check": {"en": "Numeric check", "zh": "数值验证"},
    "gradient": {"en": "Gradient", "zh": "梯度"},
    "rule": {"en": "rule", "zh": "法则"},
    "agrees": {"en": "agrees", "zh": "一致"},
    "disagrees": {"en": "DISAGREES", "zh": "不一致"},
    "estimate": {"en": "estimate", "zh": "估计值"},
    "error_estimate": {"en": "error estimate", "zh": "误差估计"},
    "difference": {"en": "|exact − numeric|", "zh": "|精确 − 数值|"},
    "budget": {"en": "budget", "zh": "误差预算"},
    "ratio": {"en": "ratio", "zh": "比值"},
    "evaluations": {"en": "evaluations", "zh": "次求值"},
    "not_differentiable": {"en": "Not differentiable here", "zh": "此处不可导"},
    "kink_sentence": {
        "en": "{function} has a kink where {argument} = 0, and the point sits on it: "
        "the left and right derivatives differ, so there is no derivative here.",
        "zh": "{function} 在 {argument} = 0 处有折点，而该点正好落在折点上："
        "左右导数不相等，所以这里没有导数。",
    },
    "convention_pytorch": {
        "en": "The value shown uses {function}'(0) = 0, as PyTorch does.",
        "zh": "所示数值按 PyTorch 的约定取 {function}'(0) = 0。",
    },
    "convention_half": {
        "en": "The value shown takes the step function as 1/2 at the tie, the mean of both sides.",
        "zh": "所示数值在相等处取阶跃函数为 1/2，即两侧的平均。",
    },
    "left_derivative": {"en": "left derivative", "zh": "左导数"},
    "right_derivative": {"en": "right derivative", "zh": "右导数"},
    "symbolic": {"en": "exact", "zh": "精确"},
    "numeric": {"en": "numeric", "zh": "数值"},
    "domain_sentence": {"en": "Undefined here: {reason}", "zh": "此处无定义：{reason}"},
    "domain_log": {
        "en": "ln needs a positive argument, but {where}",
        "zh": "ln 的自变量必须为正，但 {where}",
    },
    "domain_unit": {
        "en": "{function} needs an argument between -1 and 1, but {where}",
        "zh": "{function} 的自变量必须在 -1 与 1 之间，但 {where}",
    },
    "domain_unit_open": {
        "en": "{function} needs an argument strictly between -1 and 1, but {where}",
        "zh": "{function} 的自变量必须严格在 -1 与 1 之间，但 {where}",
    },
    "domain_acosh": {
        "en": "{function} needs an argument ≥ 1, but {where}",
        "zh": "{function} 的自变量必须 ≥ 1，但 {where}",
    },
    "domain_pole": {
        "en": "division by zero: {where} (a pole)",
        "zh": "除以零：{where}（极点）",
    },
    "domain_root": {
        "en": "a square root or fractional power needs a base ≥ 0, but {where}",
        "zh": "平方根或分数次幂的底数必须 ≥ 0，但 {where}",
    },
    "domain_trig_pole": {
        "en": "{function} has a pole where {where}",
        "zh": "{function} 在 {where} 处有极点",
    },
    "domain_not_real": {
        "en": "{step} is not a real number here",
        "zh": "{step} 在此处不是实数",
    },
    "domain_overflow": {
        "en": "{step} is about 10^{size}, beyond floating point (at most about 1.8·10^308), "
        "so it cannot be checked numerically",
        "zh": "{step} 约为 10^{size}，超出浮点数范围（最大约 1.8·10^308），无法数值验证",
    },
    "parameter_update": {"en": "Parameter update (lr = {lr})", "zh": "参数更新（lr = {lr}）"},
    "loss_change": {
        "en": "{output}: {before} → {after} ({trend})",
        "zh": "{output}：{before} → {after}（{trend}）",
    },
    "decreased": {"en": "decreased", "zh": "减小了"},
    "increased": {"en": "increased", "zh": "增大了"},
    "unchanged": {"en": "unchanged", "zh": "不变"},
    "near_kink": {
        "en": "the point is {distance} from a kink of {function}; "
        "the numeric steps stay on one side",
        "zh": "该点距 {function} 的折点仅 {distance}，数值差分的步长只取一侧",
    },
    "method_complex": {"en": "complex step", "zh": "复步长法"},
    "method_richardson": {"en": "Richardson extrapolation", "zh": "Richardson 外推"},
    "method_central": {"en": "central difference", "zh": "中心差分"},
    "method_forward": {"en": "forward difference", "zh": "前向差分"},
    "method_backward": {"en": "backward difference", "zh": "后向差分"},
    "no_numeric": {"en": "no numeric check: {reason}", "zh": "无法数值验证：{reason}"},
}

_RULES_ZH = {
    "sum": "加法法则", "constant multiple": "常数倍法则", "product": "乘法法则",
    "quotient": "除法法则", "power": "幂法则", "exponential": "指数法则",
    "general power": "幂指函数（对数求导）", "exp": "指数函数法则", "log": "对数法则",
    "sin": "正弦法则", "cos": "余弦法则", "tan": "正切法则", "relu": "ReLU 法则",
    "sigmoid": "sigmoid 法则", "abs": "绝对值法则", "max": "max 法则", "min": "min 法则",
    "identity": "恒等", "constant": "常数",
}  # fmt: skip


def check_language(lang: str) -> str:
    """Return ``lang`` when supported, else raise :class:`~derivcheck.DerivcheckError`."""
    from .errors import DerivcheckError

    if lang not in LANGUAGES:
        raise DerivcheckError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def word(key: str, lang: str = "en", **values: object) -> str:
    """The phrase ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    entry = _WORDS[key]
    text = entry.get(lang, entry["en"])
    return text.format(**values) if values else text


def rule_name(rule: str, lang: str = "en") -> str:
    """'power' -> 'power rule' / '幂法则'; 'power (chain)' -> 'power rule (chain)'."""
    base, _, extra = rule.partition(" (")
    if lang == "zh":
        text = _RULES_ZH.get(base, f"{base} 法则")
        return text + ("（含链式法则）" if extra else "")
    text = base if base in ("identity", "constant") else f"{base} rule"
    return text + (" (with chain rule)" if extra else "")
