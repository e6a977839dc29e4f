"""Messages of the chain-rule graph and the derivations (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "calculus.cannot_evaluate": (
        "SymPy cannot evaluate this {function} of a constant ({problem}); write it differently",
        "SymPy 无法计算这个常数的 {function}（{problem}）；请换一种写法",
    ),
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
    "smoothness.edge": (
        "x = {point} is at the edge of the domain: the function has no real values {side}, so there is no two-sided derivative",
        "x = {point} 在定义域的边界上：函数在{side}没有实数值，所以没有双侧导数",
    ),
    "smoothness.side_left": ("to its left", "其左侧"),
    "smoothness.side_right": ("to its right", "其右侧"),
    "smoothness.side_both": ("on either side", "其两侧"),
    "smoothness.kink_at_resolution": (
        "{functions} has a kink within float resolution of x = {point} (the float cannot hold the exact point): taken as on the kink, so there is no derivative",
        "{functions} 的折点与 x = {point} 的距离小于浮点数的分辨率（浮点数表示不了精确的点）：视为正好在折点上，所以这里没有导数",
    ),
    "smoothness.pole_at_resolution": (
        "{node} has a pole ({pole} = 0) within float resolution of x = {point} (the float cannot hold the exact point): taken as at the pole, so there is no derivative",
        "{node} 的极点（{pole} = 0）与 x = {point} 的距离小于浮点数的分辨率（浮点数表示不了精确的点）：视为正好在极点上，所以这里没有导数",
    ),
    "smoothness.edge_at_resolution": (
        "{node} needs {argument} on one side of {edge}, and {argument} = {edge} within float resolution of x = {point} (the float cannot hold the exact point): taken as at the edge of the domain, so there is no derivative",
        "{node} 要求 {argument} 在 {edge} 的一侧，而 {argument} = {edge} 的点与 x = {point} 的距离小于浮点数的分辨率（浮点数表示不了精确的点）：视为正好在定义域的边界上，所以这里没有导数",
    ),
    "smoothness.tangent_at_resolution": (
        "{node} has a vertical tangent ({base} = 0) within float resolution of x = {point} (the float cannot hold the exact point): taken as at it, so there is no derivative",
        "{node} 的竖直切线（{base} = 0）与 x = {point} 的距离小于浮点数的分辨率（浮点数表示不了精确的点）：视为正好在该点上，所以这里没有导数",
    ),
    "smoothness.jump_at_resolution": (
        "{functions} jumps within float resolution of x = {point} (the float cannot hold the exact point): taken as on the jump, so there is no derivative",
        "{functions} 的跳跃点与 x = {point} 的距离小于浮点数的分辨率（浮点数表示不了精确的点）：视为正好在跳跃点上，所以这里没有导数",
    ),
    "smoothness.smooth_at_break": (
        "{functions} is at its kink or jump here, but the whole function's left and right derivatives are both {slope}: it is differentiable",
        "{functions} 在此处正好处于折点或跳跃点，但整个函数的左右导数都等于 {slope}：仍然可导",
    ),
    "explain.rules_one_variable": (
        "style='rules' derives one variable at a time: pass one name with wrt (this explanation has {count}: {names})",
        "style='rules' 一次只对一个变量推导：请用 wrt 指定一个变量（此处有 {count} 个：{names}）",
    ),
    "explain.needs_one_variable": (
        "{what}() needs one variable; this explanation has {count}",
        "{what}() 只能用于一个变量；此处有 {count} 个",
    ),
    "explain.not_a_number": (
        "{name} must be a number, not {value}",
        "{name} 必须是数字，而不是 {value}",
    ),
    "explain.not_finite": (
        "{name} must be a finite number, not {value}",
        "{name} 必须是有限数，而不是 {value}",
    ),
    "explain.point_parse": ("{name}: {reason}", "{name}：{reason}"),
    "explain.number_type": (
        "{name} must be a number, got {kind}",
        "{name} 必须是数字，实际是 {kind}",
    ),
    "explain.not_real_number": (
        "{name} must be a finite real number, got {value}",
        "{name} 必须是有限实数，实际是 {value}",
    ),
    "explain.what_point": ("the point", "取值点"),
    "explain.what_wrt": ("wrt", "wrt"),
    "explain.unknown_name": (
        "{what} names '{name}', which the expression does not use (it uses: {known})",
        "{what}中的 '{name}' 在表达式中没有出现（表达式用到：{known}）",
    ),
    "explain.missing_values": (
        "no value given for {names}: give a value for every name",
        "没有给出 {names} 的值：请为每个名称给出数值",
    ),
    "explain.no_point": (
        "no point given: pass x0 (a number, or name -> number)",
        "没有给出求导点：请传入 x0（一个数，或 名称 -> 数值）",
    ),
    "explain.several_variables": (
        "the expression has several variables ({names}): give a value for each",
        "表达式有多个变量（{names}）：请为每个变量给出数值",
    ),
    "explain.empty_wrt": (
        "wrt is empty: name at least one variable",
        "wrt 为空：请至少给出一个变量",
    ),
    "limits.derivative_size": (
        "the derivative would have about {size:,} terms and factors (at most {limit:,}): too large to build or to read, so derivcheck stops before trying",
        "导数大约会有 {size:,} 个项和因子（最多 {limit:,}）：太大，无法构造也无法阅读，derivcheck 在计算之前就停止",
    ),
    "limits.magnitude": (
        "a value here ({value}) is beyond 10^(±10^{limit}): too large (or too small) to compute, so derivcheck stops before trying",
        "此处有一个值（{value}）超出 10^(±10^{limit})：太大（或太小），无法计算，derivcheck 在计算之前就停止",
    ),
    "limits.took_too_long": (
        "{what} took longer than {seconds} s and was stopped",
        "{what}超过 {seconds} 秒，已停止",
    ),
    "limits.what.computation": ("the computation", "计算"),
    "limits.what.explain": ("explain()", "explain()"),
    "limits.what.derivation": ("the rule-by-rule derivation", "逐条法则的推导"),
    "limits.what.parsing": ("parsing", "解析"),
    "limits.what.render": ("writing out the derivation", "输出推导过程"),
    "limits.what.prepare": ("preparing the exercise", "准备题目"),
    "limits.what.grade": ("grading the answer", "批改答案"),
}
