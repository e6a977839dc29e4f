"""Messages of the chain-rule graph and the derivations (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "calculus.no_point": (
        "the graph has no point yet: call .at(point) first",
        "计算图还没有取值点：请先调用 .at(point)",
    ),
    "calculus.missing_value": ("no value given for {names}", "没有给出 {names} 的值"),
    "calculus.no_rule": (
        "derivcheck has no rule for {function}",
        "derivcheck 没有 {function} 的求导法则",
    ),
    "calculus.variable_parameter": (
        "the second argument of {function} must be a number",
        "{function} 的第二个参数必须是数字",
    ),
}
