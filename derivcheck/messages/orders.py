"""Messages of higher derivatives, partial derivatives, Hessians, symbolic derivations and
tangent lines (:mod:`derivcheck.higher`, :mod:`derivcheck.numeric.higher`)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- errors ----
    "orders.bad_order": (
        "the order must be a whole number from 1 to {largest}, not {order!r}",
        "阶数必须是 1 到 {largest} 之间的整数，而不是 {order!r}",
    ),
    "orders.numeric_method": (
        "unknown numeric method {method!r} for a higher derivative; use one of: {methods}",
        "高阶导数没有数值方法 {method!r}；可用：{methods}",
    ),
    "orders.not_analytic": (
        "the complex step needs an analytic function, and {expr} is not",
        "复步长法要求函数解析，而 {expr} 不是",
    ),
    "orders.complex_impossible": (
        "no circle around {where} gives a complex-step estimate",
        "在 {where} 周围找不到可用复步长估计的圆",
    ),
    "orders.several_orders": (
        "with several variables ({names}) derivcheck gives the first partial derivatives "
        "(order 1) and the Hessian (order 2), not order {order}",
        "多个变量（{names}）时只给出一阶偏导数（order 1）和黑塞矩阵（order 2），不支持 {order} 阶",
    ),
    "orders.format_unavailable": (
        "{what} is not available for a {kind}: it needs a first derivative at a point",
        "{kind} 不提供 {what}：它需要在某一点处的一阶导数",
    ),
    "orders.graph_caption": (
        "Nodes are the intermediate variables; edges show their local derivatives.",
        "节点是中间变量，边上是局部导数。",
    ),
    "orders.graph_caption_values": (
        "Nodes show the intermediate variables and their values; edges show local derivatives.",
        "节点上是中间变量及其值，边上是局部导数。",
    ),
    "orders.style": (
        "higher derivatives are shown rule by rule (style 'rules'), not in style {style}",
        "高阶导数只按逐条法则展示（style 为 'rules'），不支持 style {style}",
    ),
    "orders.program": (
        "higher derivatives and derivations without a point need a single formula, not a program",
        "高阶导数和不带点的推导需要单个公式，而不是程序",
    ),
    "orders.no_variable": (
        "{expr} has no variable: its derivative is 0",
        "{expr} 不含变量：导数为 0",
    ),
    # ---- numeric notes ----
    "orders.numeric_on_kink": (
        "{where} is on a kink: no difference stencil of order {order} fits on one piece",
        "{where} 在折点上：{order} 阶差分模板无法只取一侧",
    ),
    "orders.numeric_no_stencil": (
        "no stencil of order {order} around {where} stays where f is defined",
        "{where} 周围没有 {order} 阶差分模板能留在定义域内",
    ),
    # ---- headings and sentences ----
    "orders.title": (
        "Derivatives of {output} = {function} up to order {order} at {point}",
        "{output} = {function} 的高阶导数（1 至 {order} 阶），{point}",
    ),
    "orders.title_symbolic": (
        "Derivative of {output} = {function}",
        "{output} = {function} 的导数",
    ),
    "orders.title_symbolic_order": (
        "Derivatives of {output} = {function} up to order {order}",
        "{output} = {function} 的高阶导数（1 至 {order} 阶）",
    ),
    "orders.title_partials": (
        "Partial derivatives of {output} = {function}",
        "{output} = {function} 的偏导数",
    ),
    "orders.title_partials_at": (
        "Partial derivatives of {output} = {function} at {point}",
        "{output} = {function} 的偏导数，{point}",
    ),
    "orders.title_hessian": (
        "Hessian of {output} = {function}",
        "{output} = {function} 的黑塞矩阵（二阶偏导数）",
    ),
    "orders.title_hessian_at": (
        "Hessian of {output} = {function} at {point}",
        "{output} = {function} 的黑塞矩阵（二阶偏导数），{point}",
    ),
    "orders.order_heading": (
        "Order {order}: {symbol}, the derivative of {previous}",
        "第 {order} 阶：{symbol}，即 {previous} 的导数",
    ),
    "orders.first_heading": ("Order 1: {symbol}", "第 1 阶：{symbol}"),
    "orders.partial_heading": (
        "{symbol}: differentiate by {variable}, the other names held constant",
        "{symbol}：对 {variable} 求偏导数，其余变量视为常数",
    ),
    "orders.second_heading": (
        "{symbol}: the partial derivative of {previous} by {variable}",
        "{symbol}：{previous} 对 {variable} 的偏导数",
    ),
    "orders.steps_too_long": (
        "the rules applied to {previous} give {raw} (too long to show step by step)",
        "对 {previous} 逐条应用求导法则得到 {raw}（太长，不逐步列出）",
    ),
    "orders.checked_exact": (
        "checked: equal to sympy.diff of the function, {times} time(s) (exact)",
        "已验证：与函数的 sympy.diff（求 {times} 次）完全相等",
    ),
    "orders.checked_numeric": (
        "checked: equal to sympy.diff of the function, {times} time(s), to 25 digits at "
        "several points",
        "已验证：与函数的 sympy.diff（求 {times} 次）在多个点上 25 位有效数字一致",
    ),
    "orders.symmetric": (
        "symmetric: {first} = {second} (the mixed partials agree, {how})",
        "对称：{first} = {second}（混合偏导数一致，{how}）",
    ),
    "orders.how_exact": ("proved exactly", "精确证明"),
    "orders.how_numeric": ("equal to 25 digits at several points", "多个点上 25 位有效数字一致"),
    "orders.exact_value": ("Exact value (SymPy)", "精确值（SymPy）"),
    "orders.numeric_check": (
        "numeric check ({method}, {evaluations} evaluations): {estimate} ± {error}",
        "数值验证（{method}，{evaluations} 次求值）：{estimate} ± {error}",
    ),
    "orders.budget_why_complex": (
        "the error estimate of order {order} is n!/rⁿ = {factor} times the rounding and "
        "truncation of the coefficients on a circle of radius r = {radius}: it grows with the order",
        "{order} 阶的误差估计是半径 r = {radius} 的圆上系数的舍入与截断误差乘以 n!/rⁿ = {factor}："
        "阶数越高，误差预算越大",
    ),
    "orders.budget_why_richardson": (
        "the error estimate of order {order} includes rounding 2ⁿ·eps/hⁿ (h = {step}): "
        "it grows with the order",
        "{order} 阶的误差估计包含舍入误差 2ⁿ·eps/hⁿ（h = {step}）：阶数越高，误差预算越大",
    ),
    "orders.no_numeric": ("no numeric check: {reason}", "无法数值验证：{reason}"),
    "orders.undefined_here": (
        "{symbol} is not defined at {point}",
        "{symbol} 在 {point} 处无定义",
    ),
    "orders.samples_heading": (
        "Checks at points inside the domain",
        "在定义域内若干点的验证",
    ),
    "orders.samples_none": (
        "no points inside the domain were found for a numeric check",
        "在定义域内找不到可做数值验证的点",
    ),
    "orders.sample_row": (
        "exact {exact}, numeric {estimate} ± {error} → {status}",
        "精确 {exact}，数值 {estimate} ± {error} → {status}",
    ),
    "orders.chain_heading": ("Chain rule", "链式法则"),
    "orders.intermediate": ("Intermediate variables", "中间变量"),
    "orders.local": ("Local derivatives", "局部导数"),
    "orders.simplified_heading": ("The derivative, simplified", "化简后的导数"),
    "orders.hessian_heading": ("Hessian matrix", "黑塞矩阵"),
    "orders.hessian_row": ("{row}", "{row}"),
    "orders.hessian_of": ("rows and columns: {names}", "行与列：{names}"),
    "orders.gradient_heading": ("First partial derivatives", "一阶偏导数"),
    "orders.tangent_heading": ("Tangent line at {point}", "{point} 处的切线"),
    "orders.tangent_line": ("{line}", "{line}"),
    "orders.tangent_vertical": (
        "the tangent at {point} is vertical: x = {x0}",
        "{point} 处的切线是竖直的：x = {x0}",
    ),
    "orders.summary_agrees": (
        "all {count} numeric checks agree with the exact values",
        "全部 {count} 项数值验证与精确值一致",
    ),
    "orders.summary_disagrees": (
        "{bad} of {count} numeric checks DISAGREE with the exact values",
        "{count} 项数值验证中有 {bad} 项与精确值不一致",
    ),
    "orders.status_agrees": ("agrees", "一致"),
    "orders.status_disagrees": ("DISAGREES", "不一致"),
    "orders.status_none": ("not checked", "未验证"),
}
