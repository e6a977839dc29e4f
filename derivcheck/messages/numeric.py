"""Messages of the numeric engine (en, zh): domain problems, kinks, poles, steps, errors.

Parameters: ``where`` is a point as ``x = 0.5``; ``side`` a ``numeric.side.*`` message;
numbers are formatted by the templates.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- pieces ----
    "numeric.side.left": ("left", "左"),
    "numeric.side.right": ("right", "右"),
    "numeric.what.derivative": ("derivative", "导数"),
    "numeric.what.left": ("left derivative", "左导数"),
    "numeric.what.right": ("right derivative", "右导数"),
    "numeric.parts": ("{parts}", "{parts}"),
    "numeric.either": ("{first} or {second}", "{first} 或 {second}"),
    "numeric.slopes": (
        "left derivative {left:.12g}, right derivative {right:.12g}",
        "左导数 {left:.12g}，右导数 {right:.12g}",
    ),
    # ---- f not defined at x0 ----
    "numeric.infinite_value": (
        "f is infinite at {where} (a pole, or a value too large for a float)",
        "f 在 {where} 处为无穷大（极点，或数值超出浮点数的范围）",
    ),
    "numeric.undefined": (
        "f is not defined (or not real) at {where}",
        "f 在 {where} 处没有定义（或不是实数）",
    ),
    "numeric.needs": (
        "{node} needs {condition}, but {argument} = {value:.6g} at {where}",
        "{node} 要求 {condition}，但在 {where} 处 {argument} = {value:.6g}",
    ),
    "numeric.pole_of": (
        "{node} has a pole: {pole} = 0 at {where}",
        "{node} 有极点：在 {where} 处 {pole} = 0",
    ),
    "numeric.node_infinite": (
        "{node} is infinite at {where} (too large for a float)",
        "{node} 在 {where} 处为无穷大（超出浮点数的范围）",
    ),
    "numeric.node_undefined": (
        "{node} is not defined (or not real) at {where}",
        "{node} 在 {where} 处没有定义（或不是实数）",
    ),
    # ---- stencils and the edge of the domain ----
    "numeric.stencil_outside": (
        "f is defined at {where} but not at every point of the {method} stencil "
        "(step {step:.3g}): x0 is at the edge of the domain; try method='auto'",
        "f 在 {where} 处有定义，但 {method} 差分的点（步长 {step:.3g}）不全在定义域内："
        "x0 位于定义域边界；请试 method='auto'",
    ),
    "numeric.steps_from": (
        "f is not finite at every point of the stencil: steps from {step:.3g} down used",
        "f 在差分的部分点上不是有限值：只用了 {step:.3g} 及更小的步长",
    ),
    "numeric.undefined_side": (
        "f is not defined {side} of {where}",
        "f 在 {where} 的{side}侧没有定义",
    ),
    "numeric.isolated_point": (
        "f is only defined at {where} itself, not around it",
        "f 只在 {where} 这一点有定义，其附近没有定义",
    ),
    "numeric.domain_edge": (
        "{where} is on the edge of the domain: f is not defined {other} of it ({then})",
        "{where} 位于定义域边界：f 在它的{other}侧没有定义（{then}）",
    ),
    "numeric.edge_infinite": (
        "its {side} derivative is infinite",
        "其{side}导数为无穷大",
    ),
    "numeric.edge_one_sided": (
        "one_sided() gives the {side} derivative",
        "one_sided() 可给出{side}导数",
    ),
    "numeric.infinite_derivative": (
        "the difference quotients at {where} keep growing as the step shrinks to {step:.2g}: "
        "the {what} is infinite there (a vertical tangent), or a pole or a jump of f lies "
        "that close to it",
        "在 {where} 处步长缩小到 {step:.2g} 时差商仍在不断增大：该处{what}为无穷大（竖直切线），"
        "或者 f 的极点或跳跃离它这么近",
    ),
    "numeric.resolution": (
        "a pole or an edge of the domain of f lies within {distance:.2g} of {where}: closer "
        "than floating-point steps can resolve",
        "f 的极点或定义域边界距 {where} 仅 {distance:.2g}：浮点数的步长分辨不了这么近的距离",
    ),
    "numeric.rounding_lost": (
        "f loses its digits to rounding near {where}: when its operations round differently, "
        "its value changes by {change:.2g}",
        "在 {where} 附近 f 的有效数字因舍入而丢失：运算的舍入稍有不同，其值就会变化 {change:.2g}",
    ),
    # ---- kinks ----
    "numeric.on_kink": (
        "{where} is on a kink ({argument} = 0): the derivative does not exist; {slopes}",
        "{where} 恰在折点上（{argument} = 0）：导数不存在；{slopes}",
    ),
    "numeric.on_tie": (
        "{where} is on a kink (a tie in {argument}): the derivative does not exist; {slopes}",
        "{where} 恰在折点上（{argument} 的自变量相等）：导数不存在；{slopes}",
    ),
    "numeric.slopes_differ": (
        "the left and right derivatives at {where} differ ({slopes}): f has a kink at x0 or "
        "within {reach:.3g} of it",
        "在 {where} 处左右导数不同（{slopes}）：f 在 x0 处或距它 {reach:.3g} 以内有折点",
    ),
    "numeric.jumps": (
        "f jumps: {side} limit {limit:.12g}, f(x0) = {value:.12g}",
        "f 有跳跃：{side}极限 {limit:.12g}，f(x0) = {value:.12g}",
    ),
    "numeric.jumps_at_x0": (
        "f jumps at x0: {side} limit {limit:.12g}, f(x0) = {value:.12g}",
        "f 在 x0 处跳跃：{side}极限 {limit:.12g}，f(x0) = {value:.12g}",
    ),
    "numeric.kink_agrees": (
        "{argument} = 0 at {where}, but the left and right derivatives agree",
        "在 {where} 处 {argument} = 0，但左右导数相同",
    ),
    "numeric.near_kink": (
        "a kink lies within {distance:.3g} of {where}: steps kept on one side of it",
        "距 {where} 仅 {distance:.3g} 处有折点：差分步长只取一侧",
    ),
    "numeric.near_edge": (
        "a pole or an edge of the domain lies within {distance:.3g} of {where}: steps kept "
        "on one side of it",
        "距 {where} 仅 {distance:.3g} 处有极点或定义域边界：差分步长只取一侧",
    ),
    "numeric.kink_at": (
        "kink at x = {location:.16g}: {slopes}",
        "x = {location:.16g} 处有折点：{slopes}",
    ),
    "numeric.kink_at_where": (
        "kink at x = {location:.16g} where {argument} = 0: {slopes}",
        "x = {location:.16g} 处（{argument} = 0）有折点：{slopes}",
    ),
    "numeric.kink_jumps": ("{kink} (f jumps there)", "{kink}（f 在该处跳跃）"),
    # ---- verdicts ----
    "numeric.nothing_to_compare": ("no finite value to compare", "没有可比较的有限值"),
    "numeric.no_error_estimate": (
        "the numeric result has no finite error estimate",
        "数值结果没有有限的误差估计",
    ),
    # ---- the complex step ----
    "numeric.complex.no_input": (
        "f does not accept complex input",
        "f 不接受复数输入",
    ),
    "numeric.complex.not_real": (
        "f is not real and finite at x0 for complex input",
        "复数输入时 f 在 x0 处不是有限实数",
    ),
    "numeric.complex.not_finite": (
        "f is not finite at complex points",
        "f 在复数点上不是有限值",
    ),
    "numeric.complex.real_only": (
        "f returned a real-only result for complex input",
        "复数输入时 f 只返回了实数",
    ),
    "numeric.complex.not_real_near": (
        "f is not real-valued near x0",
        "f 在 x0 附近不是实值函数",
    ),
    "numeric.complex.disagrees": (
        "the complex step disagrees with a central difference (not analytic)",
        "复步长法与中心差分不一致（函数不解析）",
    ),
    "numeric.complex.spread": (
        "the complex-step estimates spread too much",
        "复步长法的几个估计值相差太大",
    ),
    # ---- errors: requests that cannot be honoured ----
    "numeric.error.not_analytic": (
        "the complex step needs an analytic function; {expr} is not (it uses {functions})",
        "复步长法要求函数解析；{expr} 不解析（它用到了 {functions}）",
    ),
    "numeric.error.complex_impossible": (
        "the complex step is impossible: {reason}",
        "无法使用复步长法：{reason}",
    ),
    "numeric.error.complex_curve": (
        "the complex step is impossible for this function",
        "这个函数无法使用复步长法",
    ),
    "numeric.error.unknown_method": (
        "unknown method {method!r}; use one of {methods}",
        "未知方法 {method!r}；请用 {methods} 之一",
    ),
    "numeric.error.curve_methods": (
        "derivative_curve supports {methods}",
        "derivative_curve 支持的方法：{methods}",
    ),
    "numeric.error.index": (
        "index {index} is out of range for a point of {size} values",
        "下标 {index} 超出范围：该点只有 {size} 个坐标",
    ),
    "numeric.error.point": (
        "the point must be a finite number, not {value!r}",
        "求导点必须是有限的数，而不是 {value!r}",
    ),
    "numeric.error.step": (
        "the step must be a positive number, not {value!r}",
        "步长必须是正数，而不是 {value!r}",
    ),
    "numeric.error.arity": (
        "the function takes {arity} variable(s) ({names}) but {given} value(s) were given; "
        "use partial(f, point, index) or gradient(f, point)",
        "函数有 {arity} 个变量（{names}），但给出了 {given} 个值；"
        "请用 partial(f, point, index) 或 gradient(f, point)",
    ),
    "numeric.error.not_a_number": (
        "the function returned {value!r}, not a number",
        "函数返回了 {value!r}，不是数",
    ),
    "numeric.extended": (
        "floating point cannot hold the values here: checked by differences at {digits} digits",
        "此处的值超出浮点数范围：改用 {digits} 位精度的差分验证",
    ),
    "numeric.straddles_jumps": (
        "{name} jumps within the step here (its argument is {size}), so the differences cannot check the derivative",
        "{name} 在步长之内就有跳跃（其自变量为 {size}），差分无法验证导数",
    ),
    "numeric.side_unresolved": (
        "one-sided differences tell this slope only to ±{error:.2g}, and it is {value}",
        "单侧差分只能把这个斜率确定到 ±{error:.2g}，而它等于 {value}",
    ),
    "numeric.float_unresolved": (
        "floating point tells this derivative only to ±{error:.2g}, and it is {value}; extended precision could not resolve it either",
        "浮点数只能把导数确定到 ±{error:.2g}，而它等于 {value}；扩展精度也无法分辨",
    ),
    "numeric.extended_unresolved": (
        "floating point could only tell the derivative to ±{error:.2g}: checked by differences at {digits} digits",
        "浮点数只能把导数确定到 ±{error:.2g}：改用 {digits} 位精度的差分验证",
    ),
    "numeric.float_point": (
        "the point is not a float: the numeric check works at the nearest floats, where f′ is {value:.15g} (it differs by {shift:.2g}), and the budget allows for that",
        "该点不是浮点数：数值验证在最近的浮点数处进行，那里 f′ = {value:.15g}（相差 {shift:.2g}），误差预算已计入这一差别",
    ),
    "numeric.extended_no_float": (
        "floating point could not check the derivative here: checked by differences at {digits} digits",
        "浮点数无法在此处验证导数：改用 {digits} 位精度的差分验证",
    ),
    "numeric.extended_second": (
        "differences in floating point disagreed with the exact value: checked again by differences at {digits} digits, with steps far below the float step",
        "浮点差分与精确值不符：改用 {digits} 位精度、远小于浮点步长的差分再次验证",
    ),
    "numeric.steps_disagree": (
        "differences at {digits} digits with steps far below the float step give {other}, outside this estimate's error: f varies faster than the float steps can follow here, so they cannot check the derivative",
        "用 {digits} 位精度、远小于浮点步长的差分得到 {other}，超出此估计的误差范围：此处 f 的变化快于浮点步长所能分辨的程度，因此无法验证导数",
    ),
    "numeric.extended_undefined": (
        "the function is not a real number near the point: no extended-precision check",
        "函数在该点附近不是实数：无法进行扩展精度验证",
    ),
    "numeric.error.no_value": ("no value given for {names}", "没有给出 {names} 的值"),
    "numeric.error.cannot_evaluate": (
        "derivcheck cannot evaluate {name} numerically",
        "derivcheck 无法对 {name} 做数值计算",
    ),
    "numeric.error.arguments": (
        "{name} takes {counts} argument(s), not {given}",
        "{name} 需要 {counts} 个参数，而不是 {given} 个",
    ),
}
