"""Messages of implicit and parametric differentiation (隐函数求导, 参数方程): headings,
sentences and errors of :mod:`derivcheck.curves`."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- titles and headings ----
    "curves.implicit_title": (
        "Implicit differentiation of {equation} at {point} ({y} as a function of {x})",
        "{equation} 在 {point} 处的隐函数求导（把 {y} 看作 {x} 的函数）",
    ),
    "curves.parametric_title": (
        "Parametric curve {x}, {y} at {point}",
        "参数方程 {x}，{y} 在 {point} 处的导数",
    ),
    "curves.on_curve": (
        "{function} = 0 at {point}: the point lies on the curve.",
        "在 {point} 处 {function} = 0：该点在曲线上。",
    ),
    "curves.on_curve_rounding": (
        "{function} = {residual} at {point}, zero to rounding (tolerance {tolerance}): "
        "the point lies on the curve.",
        "在 {point} 处 {function} = {residual}，在舍入误差内为零（容差 {tolerance}）：该点在曲线上。",
    ),
    "curves.both_sides": (
        "Differentiate both sides with respect to {x}; {y} is a function of {x}, so by the "
        "chain rule a term g({y}) gives g′({y})·{derivative}",
        "两边同时对 {x} 求导；{y} 是 {x} 的函数，由链式法则，含 {y} 的项 g({y}) 的导数为 "
        "g′({y})·{derivative}",
    ),
    "curves.solve": (
        "Collect the terms with {derivative} and solve",
        "合并含 {derivative} 的项并解出",
    ),
    "curves.formula_note": (
        "This is {formula} for {function}.",
        "即 {formula}，其中 {function}。",
    ),
    "curves.again_implicit": (
        "Differentiate again: {derivative}, with {y} = {y}({x}), then substitute {first}",
        "再对 {x} 求导得 {derivative}（{y} = {y}({x})），再代入 {first}",
    ),
    "curves.rules_implicit": (
        "The partial derivatives, rule by rule (∂/∂{x} holds {y} fixed, ∂/∂{y} holds {x} fixed)",
        "偏导数，逐条法则求导（对 {x} 求偏导时 {y} 视为常数，对 {y} 求偏导时 {x} 视为常数）",
    ),
    "curves.rules_parametric": (
        "The derivatives with respect to {t}, rule by rule",
        "对 {t} 的导数，逐条法则求导",
    ),
    "curves.the_point": (
        "The point of the curve",
        "曲线上的点",
    ),
    "curves.by_parameter": (
        "Differentiate with respect to the parameter {t}",
        "对参数 {t} 求导",
    ),
    "curves.quotient": (
        "Divide: {derivative}",
        "相除得 {derivative}",
    ),
    "curves.again_parametric": (
        "Differentiate {previous} with respect to {t} and divide by {dxdt}: {derivative}",
        "{previous} 对 {t} 求导，再除以 {dxdt}：{derivative}",
    ),
    "curves.at_point": (
        "At {point} (exact, SymPy)",
        "在 {point} 处（精确值，SymPy）",
    ),
    "curves.numeric_heading": (
        "Numeric check of {derivative} ({how}; {method}, h = {step}, {evaluations} evaluations)",
        "{derivative} 的数值验证（{how}；{method}，h = {step}，{evaluations} 次求值）",
    ),
    "curves.numeric_heading_none": (
        "Numeric check ({how})",
        "数值验证（{how}）",
    ),
    "curves.how_implicit": (
        "{y} solved from the equation near the point by a bracketed Newton iteration, "
        "as a function of {x}",
        "在该点附近用带区间保护的牛顿迭代从方程解出 {y}，作为 {x} 的函数",
    ),
    "curves.how_parametric": (
        "{t} solved from {x}({t}) = {x} near the point by a bracketed Newton iteration, "
        "then {y}({t}) as a function of {x}",
        "在该点附近用带区间保护的牛顿迭代从 {x}({t}) = {x} 解出 {t}，再把 {y}({t}) 作为 {x} 的函数",
    ),
    # ---- points where dy/dx does not exist ----
    "curves.vertical_tangent": (
        "∂F/∂{y} = 0 and ∂F/∂{x} = {fx} here: the tangent is vertical (d{x}/d{y} = 0), so "
        "{y} is not a differentiable function of {x} at this point and d{y}/d{x} does not exist.",
        "此处 ∂F/∂{y} = 0 而 ∂F/∂{x} = {fx}：切线竖直（d{x}/d{y} = 0），{y} 在该点不是 {x} 的可导函数，"
        "d{y}/d{x} 不存在。",
    ),
    "curves.singular_point": (
        "∂F/∂{x} = ∂F/∂{y} = 0 here: a singular point of the curve (it may cross itself or "
        "have a cusp), where −F_{x}/F_{y} is 0/0 and the equation does not define {y} as one "
        "differentiable function of {x}.",
        "此处 ∂F/∂{x} = ∂F/∂{y} = 0：这是曲线的奇点（曲线可能在此自交或有尖点），−F_{x}/F_{y} 为 0/0，"
        "方程在此不能把 {y} 确定为 {x} 的单一可导函数。",
    ),
    "curves.parametric_vertical": (
        "d{x}/d{t} = 0 and d{y}/d{t} = {dy} here: the tangent is vertical, so d{y}/d{x} "
        "does not exist at this point.",
        "此处 d{x}/d{t} = 0 而 d{y}/d{t} = {dy}：切线竖直，d{y}/d{x} 在该点不存在。",
    ),
    "curves.parametric_singular": (
        "d{x}/d{t} = d{y}/d{t} = 0 here: the point moves with speed 0 (a cusp, as the "
        "cycloid's at t = 0, or a stop of the parametrisation), (d{y}/d{t})/(d{x}/d{t}) is "
        "0/0 and does not give d{y}/d{x}.",
        "此处 d{x}/d{t} = d{y}/d{t} = 0：该点的速度为 0（如摆线在 t = 0 处的尖点，或参数化在此停顿），"
        "(d{y}/d{t})/(d{x}/d{t}) 为 0/0，不能给出 d{y}/d{x}。",
    ),
    "curves.no_derivative_here": (
        "the derivative does not exist here (see above)",
        "此处导数不存在（见上文）",
    ),
    "curves.using_equation": (
        "on the curve: {equation}",
        "在曲线上：{equation}",
    ),
    "curves.no_branch": (
        "no neighbourhood of the point was found where the curve is one function of the variable",
        "在该点附近找不到使曲线成为自变量单一函数的邻域",
    ),
    "curves.numeric_failed": (
        "the differences of the solved curve did not converge",
        "解出的曲线的差分没有收敛",
    ),
    # ---- errors ----
    "curves.two_equals": (
        "an equation has one '=': this is a second one",
        "方程只能有一个 '='：这是第二个",
    ),
    "curves.empty_side": (
        "nothing on one side of '=': an equation needs two sides",
        "'=' 的一侧为空：方程需要两边",
    ),
    "curves.one_name": (
        "an equation of a curve needs two names (x and y), this one has {count}",
        "曲线方程需要两个变量（x 和 y），这里只有 {count} 个",
    ),
    "curves.which_dependent": (
        "the equation has the names {names}: say which is a function of the variable with "
        'dependent= (for example dependent="{name}"); the others are constants',
        '方程含变量 {names}：请用 dependent= 指明哪个是自变量的函数（例如 dependent="{name}"），'
        "其余视为常数",
    ),
    "curves.unknown_name": (
        "{what}: no name {name} in the curve (its names: {known})",
        "{what}：曲线中没有变量 {name}（曲线的变量：{known}）",
    ),
    "curves.what.wrt": ("wrt", "wrt"),
    "curves.what.dependent": ("dependent", "dependent"),
    "curves.what.point": ("the point", "该点"),
    "curves.one_wrt": (
        "a curve's dy/dx is with respect to one name, not {names}",
        "曲线的 dy/dx 只对一个变量求导，而不是 {names}",
    ),
    "curves.same_names": (
        "{name} cannot be both the variable and the dependent variable",
        "{name} 不能既是自变量又是因变量",
    ),
    "curves.no_point": (
        "the point is missing: give a value for each of {names}",
        "缺少点：请给出 {names} 每个的值",
    ),
    "curves.point_mapping": (
        "a point of this curve has several coordinates ({names}): give them by name, {{{example}}}",
        "该曲线上的点有多个坐标（{names}）：请按名称给出，{{{example}}}",
    ),
    "curves.missing_values": (
        "the point has no value for {names}",
        "该点缺少 {names} 的值",
    ),
    "curves.bad_order": (
        "order must be a whole number from 1 to {most}, not {order}",
        "阶数必须是 1 到 {most} 之间的整数，而不是 {order}",
    ),
    "curves.not_on_curve": (
        "the point {point} does not lie on the curve {equation}: lhs − rhs = {residual:.3g} "
        "there; {hint}",
        "点 {point} 不在曲线 {equation} 上：该处 左边 − 右边 = {residual:.3g}；{hint}",
    ),
    "curves.nearest": (
        "on the curve, {y} = {value:.15g} at this x",
        "在此 x 处曲线上的 {y} = {value:.15g}",
    ),
    "curves.no_nearest": (
        "no point of the curve was found near it",
        "在其附近找不到曲线上的点",
    ),
    "curves.not_for_curves": (
        "{what} is not available for a curve (implicit or parametric)",
        "{what} 不适用于曲线（隐函数或参数方程）",
    ),
    "curves.not_a_curve": (
        "{option} is for curves (an equation, or x = …; y = …), and this is not one",
        "{option} 只用于曲线（方程，或 x = …; y = …），而这里不是曲线",
    ),
}
