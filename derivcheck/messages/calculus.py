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
    "calculus.not_a_formula": (
        "expected a formula, a program or a SymPy expression, got {kind}",
        "应为公式、程序或 SymPy 表达式，实际是 {kind}",
    ),
    "calculus.several_variables": (
        "several variables ({names}): say which one to differentiate by",
        "有多个变量（{names}）：请说明对哪一个求导",
    ),
    "calculus.extremum_of_two": (
        "rule-by-rule derivations handle {function} of two arguments; nest them: {function}(a, {function}(b, c))",
        "逐条法则的推导只处理两个参数的 {function}；请嵌套书写：{function}(a, {function}(b, c))",
    ),
    "calculus.no_derivation_rule": (
        "no rule-by-rule derivation for {function} (use style='chain')",
        "{function} 没有逐条法则的推导（请用 style='chain'）",
    ),
    "smoothness.kink": (
        "{functions} is at a kink here: the left and right derivatives differ, so there is no derivative",
        "{functions} 在此处正好处于折点：左右导数不相等，所以这里没有导数",
    ),
    "smoothness.jump": (
        "{functions} jumps here (a jump, not a kink): the function is not continuous, so it has no derivative",
        "{functions} 在此处跳跃（是跳跃间断，不是折点）：函数不连续，所以没有导数",
    ),
    "smoothness.smooth_at_break": (
        "{functions} is at its kink or jump here, but the whole function's left and right derivatives are both {slope}: it is differentiable",
        "{functions} 在此处正好处于折点或跳跃点，但整个函数的左右导数都等于 {slope}：仍然可导",
    ),
}
