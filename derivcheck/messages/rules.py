"""Names of the structural rules (sum, product, chain, …) in English and Chinese.

The rules of single functions (sine rule, ReLU rule, …) are part of each function's
record in :mod:`derivcheck.calculus.catalogue`.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "rule.constant": ("constant rule", "常数法则"),
    "rule.variable": ("derivative of the variable", "自变量的导数"),
    "rule.identity": ("identity", "恒等"),
    "rule.general power": (
        "general power rule (logarithmic differentiation)",
        "幂指函数（对数求导）",
    ),
    "rule.sum": ("sum rule", "加法法则"),
    "rule.constant multiple": ("constant multiple rule", "常数倍法则"),
    "rule.power": ("power rule", "幂法则"),
    "rule.product": ("product rule", "乘法法则"),
    "rule.quotient": ("quotient rule", "除法法则"),
    "rule.chain": ("chain rule", "链式法则"),
    "rule.logarithmic differentiation": ("logarithmic differentiation", "对数求导法"),
    "rule.exponential": ("exponential rule", "指数法则"),
    "rule.with_chain": ("{rule} (with chain rule)", "{rule}（含链式法则）"),
    "rule.unnamed": ("{name} rule", "{name} 法则"),
    "rule.of": ("{function} rule", "{function} 法则"),  # shown from the record's own names
}
