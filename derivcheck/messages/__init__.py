"""Words and sentences in English and Chinese, with the chapter's vocabulary.

>>> from derivcheck.messages import word
>>> word("chain_rule", "zh"), word("backward_pass", "en")
('链式法则', 'Backward pass')
"""

from __future__ import annotations

__all__ = [
    "LANGUAGES",
    "word",
    "rule_name",
    "check_language",
    "localize_error",
    "translate",
    "RULE_NAMES",
]

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
    "note": {"en": "note", "zh": "注"},
}

#: Every rule derivcheck names (graph steps and rule-by-rule derivations), en and zh.
RULE_NAMES: dict[str, dict[str, str]] = {
    "constant": {"en": "constant rule", "zh": "常数法则"},
    "variable": {"en": "derivative of the variable", "zh": "自变量的导数"},
    "identity": {"en": "identity", "zh": "恒等"},
    "general power": {
        "en": "general power rule (logarithmic differentiation)",
        "zh": "幂指函数（对数求导）",
    },
    "sum": {"en": "sum rule", "zh": "加法法则"},
    "constant multiple": {"en": "constant multiple rule", "zh": "常数倍法则"},
    "power": {"en": "power rule", "zh": "幂法则"},
    "product": {"en": "product rule", "zh": "乘法法则"},
    "quotient": {"en": "quotient rule", "zh": "除法法则"},
    "chain": {"en": "chain rule", "zh": "链式法则"},
    "logarithmic differentiation": {"en": "logarithmic differentiation", "zh": "对数求导法"},
    "max": {"en": "max rule", "zh": "max 法则"},
    "min": {"en": "min rule", "zh": "min 法则"},
    "exp": {"en": "exponential function rule", "zh": "指数函数法则"},
    "exponential": {"en": "exponential rule", "zh": "指数法则"},
    "log": {"en": "logarithm rule", "zh": "对数法则"},
    "sin": {"en": "sine rule", "zh": "正弦法则"},
    "cos": {"en": "cosine rule", "zh": "余弦法则"},
    "tan": {"en": "tangent rule", "zh": "正切法则"},
    "sec": {"en": "secant rule", "zh": "正割法则"},
    "csc": {"en": "cosecant rule", "zh": "余割法则"},
    "cot": {"en": "cotangent rule", "zh": "余切法则"},
    "arcsin": {"en": "arcsine rule", "zh": "反正弦法则"},
    "arccos": {"en": "arccosine rule", "zh": "反余弦法则"},
    "arctan": {"en": "arctangent rule", "zh": "反正切法则"},
    "arccot": {"en": "arccotangent rule", "zh": "反余切法则"},
    "sinh": {"en": "hyperbolic sine rule", "zh": "双曲正弦法则"},
    "cosh": {"en": "hyperbolic cosine rule", "zh": "双曲余弦法则"},
    "tanh": {"en": "hyperbolic tangent rule", "zh": "双曲正切法则"},
    "sech": {"en": "hyperbolic secant rule", "zh": "双曲正割法则"},
    "csch": {"en": "hyperbolic cosecant rule", "zh": "双曲余割法则"},
    "coth": {"en": "hyperbolic cotangent rule", "zh": "双曲余切法则"},
    "arsinh": {"en": "inverse hyperbolic sine rule", "zh": "反双曲正弦法则"},
    "arcosh": {"en": "inverse hyperbolic cosine rule", "zh": "反双曲余弦法则"},
    "artanh": {"en": "inverse hyperbolic tangent rule", "zh": "反双曲正切法则"},
    "abs": {"en": "absolute value rule", "zh": "绝对值法则"},
    "relu": {"en": "ReLU rule", "zh": "ReLU 法则"},
    "sigmoid": {"en": "sigmoid rule", "zh": "sigmoid 法则"},
}


def check_language(lang: str) -> str:
    """Return ``lang`` when supported, else raise :class:`~derivcheck.DerivcheckError`."""
    from derivcheck.errors import DerivcheckError

    if lang not in LANGUAGES:
        raise DerivcheckError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def translate(
    table: dict[str, dict[str, str]], key: str, lang: str = "en", **values: object
) -> str:
    """``table[key]`` in ``lang`` (English when missing), ``{placeholders}`` filled.

    Every module keeps its sentences in a table of this shape, next to where they are used.

    >>> translate({"hi": {"en": "hello {name}", "zh": "你好 {name}"}}, "hi", "zh", name="x")
    '你好 x'
    """
    entry = table[key]
    text = entry.get(lang, entry["en"])
    return text.format(**values) if values else text


def word(key: str, lang: str = "en", **values: object) -> str:
    """The phrase ``key`` of derivcheck's own vocabulary in ``lang``."""
    return translate(_WORDS, key, lang, **values)


def rule_name(rule: str, lang: str = "en") -> str:
    """'power' -> 'power rule' / '幂法则'; 'power (chain)' -> 'power rule (with chain rule)'."""
    base, _, extra = rule.partition(" (")
    text = translate(RULE_NAMES, base, lang) if base in RULE_NAMES else f"{base} rule"
    if extra:
        text += "（含链式法则）" if lang == "zh" else " (with chain rule)"
    return text


# English error sentences (parser, explain, CLI) -> Chinese. Patterns match the start of a reason.
_ERRORS_ZH: tuple[tuple[str, str], ...] = (
    (r"unexpected end of input: expected a number, a name or '\('",
     "输入意外结束：这里应是数字、名称或 '('"),
    (r"unknown function '(.+?)' \(did you mean (.+?)\?\)", r"未知函数 '\1'（是不是 \2？）"),
    (r"unknown function '(.+?)'", r"未知函数 '\1'"),
    (r"unexpected character (.+)", r"无法识别的字符 \1"),
    (r"missing operator before this number", "这个数字前缺少运算符"),
    (r"'(.)' is never closed: expected '(.)'", r"'\1' 没有闭合：缺少 '\2'"),
    (r"'(.)' does not match '(.)'; expected '(.)'", r"'\1' 与 '\2' 不匹配，应为 '\3'"),
    (r"unexpected '(.)': nothing to close here", r"多余的 '\1'：这里没有需要闭合的括号"),
    (r"function '(.+?)' needs an argument, e\.g\. (.+)", r"函数 '\1' 缺少自变量，例如 \2"),
    (r"missing argument in brackets", "括号里缺少自变量"),
    (r"empty brackets", "空括号"),
    (r"division by zero.*", "除以零"),
    (r"this is not a real number", "这不是实数"),
    (r"the square root of a negative number is not real", "负数的平方根不是实数"),
    (r"number too large.*", "数字太大（derivcheck 保持精确数值，位数有上限）"),
    (r"number too long.*", "数字位数太多"),
    (r"nested too deeply \(more than (\d+) levels\)", r"嵌套太深（超过 \1 层）"),
    (r"input too long: (.+) characters \(at most (.+)\)", r"输入太长：\1 个字符（最多 \2）"),
    (r"empty input: expected a formula", "输入为空：请给出一个公式"),
    (r"strings are not allowed in a formula", "公式里不能有字符串"),
    (r"'\.' \(attribute access\) is not allowed in a formula", "公式里不允许用 '.' 访问属性"),
    (r"';' separates assignments \(name = expression\)", "';' 只用于分隔赋值语句（名称 = 表达式）"),
    (r"unexpected line break: a formula is one line", "意外换行：公式只能写一行"),
    (r"'(.+?)' needs something before it", r"'\1' 前面缺少内容"),
    (r"expected '\|' to close the absolute value", "绝对值缺少闭合的 '|'"),
    (r"unsupported LaTeX command (.+)", r"不支持的 LaTeX 命令 \1"),
    (r"(.+?)\(\) takes (.+?) argument\(s\), got (\d+)", r"\1() 需要 \2 个参数，实际给了 \3 个"),
    (r"'(.+?)' is assigned twice; use a new name", r"'\1' 被赋值了两次，请换一个名字"),
    (r"'(.+?)' is used before it is assigned", r"'\1' 在赋值之前就被使用了"),
    (r"cannot assign to '(.+?)': it is a built-in name", r"不能给 '\1' 赋值：它是内置名称"),
    (r"no value given for (.+?): .*", r"没有给出 \1 的值：请为每个名称给出数值"),
    (r"no value given for (.+)", r"没有给出 \1 的值"),
    (r"the expression has several variables \((.+?)\): .*",
     r"表达式有多个变量（\1）：请为每个变量给出数值"),
    (r"missing --at: .*", "缺少 --at：请给出求导点，例如 --at 0.5 或 --at x=0.5"),
    (r"(.+?) names '(.+?)', which the expression does not use \(it uses: (.+)\)",
     r"\1 中的 '\2' 在表达式中没有出现（表达式用到：\3）"),
)  # fmt: skip


_NOTES_ZH: tuple[tuple[str, str], ...] = (
    (r"a kink lies within (.+?) of (.+?): steps kept on one side of it",
     r"距 \2 仅 \1 处有折点：差分步长只取一侧"),
    (r"a pole or an edge of the domain lies within (.+?) of (.+?): steps kept on one side of it",
     r"距 \2 仅 \1 处有极点或定义域边界：差分步长只取一侧"),
)  # fmt: skip


def _translated(sentence: str, table: tuple[tuple[str, str], ...]) -> str:
    import re

    for pattern, chinese in table:
        if re.fullmatch(pattern, sentence):
            return re.sub(pattern, chinese, sentence)
    return sentence


def localize_note(note: str, lang: str = "en") -> str:
    """A numeric note in ``lang`` (unknown sentences stay as they are).

    >>> localize_note("a kink lies within 9.3e-10 of x = 0.3: steps kept on one side of it", "zh")
    '距 x = 0.3 仅 9.3e-10 处有折点：差分步长只取一侧'
    """
    return _translated(note, _NOTES_ZH) if lang == "zh" else note


def localize_error(message: str, lang: str = "en") -> str:
    """An error message in ``lang``: the first line's sentence and its position are translated.

    >>> localize_error("unknown function 'foo' (column 1)\\n  foo(x)\\n  ^", "zh").splitlines()[0]
    "未知函数 'foo'（第 1 列）"
    """
    import re

    if lang != "zh":
        return message
    first, newline, rest = message.partition("\n")
    position = ""
    where = re.search(r" \((?:line (\d+), )?column (\d+)\)$", first)
    if where:
        first = first[: where.start()]
        line, column = where.groups()
        position = f"（第 {line} 行，第 {column} 列）" if line else f"（第 {column} 列）"
    return _translated(first, _ERRORS_ZH) + position + newline + rest
