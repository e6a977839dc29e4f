"""Messages of gradcheck (en, zh): its report, table, diagnoses, notes and errors."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ summary line
    "gradcheck.passed": (
        "gradcheck passed: all {count} {what} agree{kinks} ({cost})",
        "gradcheck 通过：全部 {count} 个{what}一致{kinks}（{cost}）",
    ),
    "gradcheck.failed": (
        "gradcheck FAILED: {bad} of {count} {what} disagree{kinks}{jumps} ({cost})",
        "gradcheck 未通过：{count} 个{what}中有 {bad} 个不一致{kinks}{jumps}（{cost}）",
    ),
    "gradcheck.passed_where_checkable": (
        "gradcheck passed where it can check: {agree} of {count} {what} agree{kinks}; "
        "{jumps} ({cost})",
        "gradcheck 在能验证之处通过：{count} 个{what}中有 {agree} 个一致{kinks}；{jumps}（{cost}）",
    ),
    "gradcheck.jumps_unchecked": (
        "{count} across a jump of f, where f has no derivative: not checkable there",
        "{count} 个跨过 f 的跳跃间断点，f 在那里没有导数，无法验证",
    ),
    "gradcheck.jumps_also": ("; {jumps}", "；{jumps}"),
    "gradcheck.failed_structure": (
        "gradcheck FAILED: the gradient does not match the parameters ({cost})",
        "gradcheck 未通过：梯度与参数的结构不符（{cost}）",
    ),
    "gradcheck.kinks_accepted": (
        "; {count} at a kink, accepted",
        "；其中 {count} 个在折点处，予以接受",
    ),
    "gradcheck.cost": (
        "{mode} mode, {evaluations} evaluations of f, {seconds:.3g} s",
        "{mode}模式，f 求值 {evaluations} 次，用时 {seconds:.3g} 秒",
    ),
    "gradcheck.what.entries": ("entries", "分量"),
    "gradcheck.what.directions": ("directions", "方向"),
    "gradcheck.mode.full": ("full", "逐元素"),
    "gradcheck.mode.directional": ("directional", "随机方向"),
    "gradcheck.mode.directional_then_full": ("directional, then full", "先随机方向、再逐元素"),
    # ------------------------------------------------------------------ the worst-first table
    "gradcheck.col.parameter": ("parameter", "参数"),
    "gradcheck.col.analytic": ("analytic", "解析值"),
    "gradcheck.col.numeric": ("numeric", "数值"),
    "gradcheck.col.abs_error": ("abs error", "绝对误差"),
    "gradcheck.col.rel_error": ("rel error", "相对误差"),
    "gradcheck.col.tolerance": ("tolerance", "容差"),
    "gradcheck.col.status": ("status", "状态"),
    "gradcheck.status.ok": ("ok", "一致"),
    "gradcheck.status.mismatch": ("mismatch", "不一致"),
    "gradcheck.status.kink": ("kink", "折点"),
    "gradcheck.status.jump": ("jump", "跳跃间断点"),
    "gradcheck.slopes": (
        "{status} (left slope {left:.6g}, right slope {right:.6g})",
        "{status}（左导数 {left:.6g}，右导数 {right:.6g}）",
    ),
    "gradcheck.jump_slopes": (
        "{status} of {jump:.6g} (limits f(p) {below:+.6g} on the left, f(p) {above:+.6g} on the "
        "right; slopes {left:.6g} and {right:.6g})",
        "{status}，跳变 {jump:.6g}（左极限 f(p) {below:+.6g}，右极限 f(p) {above:+.6g}；"
        "左侧斜率 {left:.6g}，右侧斜率 {right:.6g}）",
    ),
    "gradcheck.with_note": ("{status} — {note}", "{status}——{note}"),
    "gradcheck.more": (
        "... {count} more entries ({summary})",
        "……另有 {count} 个分量（{summary}）",
    ),
    "gradcheck.status_count": ("{count} {status}", "{status} {count} 个"),
    "gradcheck.separator": (", ", "，"),
    # ------------------------------------------------------------------ notes on entries
    "gradcheck.note.smaller_step": ("agrees at step h/8", "步长取 h/8 时一致"),
    "gradcheck.note.outside_slopes": (
        "kink in the stencil; analytic is outside the one-sided slopes",
        "差分点跨过折点；解析值不在左右导数之间",
    ),
    "gradcheck.note.jump": (
        "f changes within one step by more than its slopes explain: no derivative here (or "
        "a feature narrower than the step), and the central difference is not one; not checkable",
        "f 在一步之内的变化超出其斜率所能解释：这里没有导数（或者有比步长还窄的变化），"
        "中心差分也不是导数；无法验证",
    ),
    "gradcheck.note.no_analytic": ("no analytic value (see above)", "没有解析值（见上）"),
    "gradcheck.note.not_finite": (
        "f is not finite at the perturbed parameters",
        "f 在扰动后的参数处不是有限值",
    ),
    # ------------------------------------------------------------------ structural problems
    "gradcheck.problem.missing": (
        "{name}: grad(params) has no entry for this parameter",
        "{name}：grad(params) 没有给出这个参数的梯度",
    ),
    "gradcheck.problem.not_real": (
        "{name}: the gradient is not real numbers ({what})",
        "{name}：梯度不是实数（{what}）",
    ),
    "gradcheck.problem.shape": (
        "{name}: the gradient has shape {given} but the parameter has shape {shape}{hint}",
        "{name}：梯度的形状是 {given}，参数的形状却是 {shape}{hint}",
    ),
    "gradcheck.type_of": ("{type}, dtype {dtype}", "{type}，dtype 为 {dtype}"),
    "gradcheck.hint.wrong_axis": (
        " (a sum over the wrong axis?)",
        "（是不是沿错误的轴求和？）",
    ),
    "gradcheck.hint.batch_sum": (
        " (a sum over the batch is missing?)",
        "（是不是漏了对批次求和？）",
    ),
    "gradcheck.problem.extra": (
        "{name}: grad(params) returned it, but it is not a parameter",
        "{name}：grad(params) 返回了它，但它不是参数",
    ),
    "gradcheck.problem.loss_not_finite": (
        "f(params) = {value:g}: the loss is not finite at these parameters",
        "f(params) = {value:g}：损失在这组参数处不是有限值",
    ),
    # ------------------------------------------------------------------ diagnoses
    "gradcheck.diagnosis.ratio": (
        "{name}: {words} — analytic = {ratio:.6g} × numeric{where}",
        "{name}：{words}——解析值 = {ratio:.6g} × 数值{where}",
    ),
    "gradcheck.in_all": (" in all {count} {what}", "（全部 {count} 个{what}）"),
    "gradcheck.ratio.zero": (
        "the analytic gradient is 0 where the numeric one is not (a missing term?)",
        "解析梯度为 0，数值梯度却不为 0（漏了一项？）",
    ),
    "gradcheck.ratio.sign": ("sign error", "符号错误"),
    "gradcheck.ratio.sign_and": ("sign error and {factor}", "符号错误，且{factor}"),
    "gradcheck.ratio.too_large": (
        "off by a factor of {k} ({k} times too large)",
        "差了 {k} 倍（大了 {k} 倍）",
    ),
    "gradcheck.ratio.half": ("off by a factor of 2 (half)", "差了 2 倍（只有一半）"),
    "gradcheck.ratio.fraction": (
        "off by a factor of {k} (1/{k})",
        "差了 {k} 倍（只有 1/{k}）",
    ),
    "gradcheck.ratio.constant": (
        "a constant factor {factor:.6g}",
        "差一个常数因子 {factor:.6g}",
    ),
    "gradcheck.diagnosis.transposed_weight": (
        "{name}: the gradient has shape {given}, the parameter {shape}; its transpose matches "
        "the numeric gradient: a transposed weight (e.g. x.T @ delta where delta.T @ x belongs)",
        "{name}：梯度的形状是 {given}，参数的形状是 {shape}；它的转置与数值梯度一致："
        "权重的梯度被转置了（例如该写 delta.T @ x 的地方写成了 x.T @ delta）",
    ),
    "gradcheck.diagnosis.transposed": (
        "{name}: the gradient is transposed: its transpose matches the numeric gradient",
        "{name}：梯度被转置了：它的转置与数值梯度一致",
    ),
    "gradcheck.diagnosis.missing_mask": (
        "{name}: the analytic gradient is non-zero in {count} {what} where the numeric one is 0 "
        "(a missing mask, such as relu'(z) = 0 for z < 0?)",
        "{name}：有 {count} 个{what}的数值梯度为 0，解析梯度却不为 0"
        "（是不是漏了掩码，例如 z < 0 时 relu'(z) = 0？）",
    ),
    "gradcheck.diagnosis.shared_factor": (
        "every mismatching parameter ({names}) is off by the same factor {factor:.6g}: "
        "look at a term they share, such as dL/dy",
        "所有不一致的参数（{names}）都差同一个因子 {factor:.6g}：检查它们共用的一项，例如 dL/dy",
    ),
    "gradcheck.diagnosis.directional_transposed": (
        "{name}: the gradient looks transposed: <gradᵀ, v> matches the numeric directional "
        "derivative",
        "{name}：梯度像是被转置了：<gradᵀ, v> 与数值方向导数一致",
    ),
    "gradcheck.diagnosis.located": (
        "{name}: random directions disagreed, so its {count} elements were checked one by one",
        "{name}：随机方向上不一致，因此逐个检查了它的 {count} 个元素",
    ),
    "gradcheck.diagnosis.located_jump": (
        "{name}: random directions crossed a jump of f, so its {count} elements were checked "
        "one by one",
        "{name}：随机方向跨过了 f 的跳跃间断点，因此逐个检查了它的 {count} 个元素",
    ),
    # ------------------------------------------------------------------ warnings and errors
    "gradcheck.precision": (
        "gradcheck: {params} in low precision; finite differences in that precision are too "
        "coarse to check a gradient, so the numeric reference is computed in float64 (the "
        "analytic gradient is judged with its own precision)",
        "gradcheck：{params} 精度偏低；这种精度下的有限差分太粗，无法验证梯度，"
        "所以数值参考值按 float64 计算（解析梯度按它自身的精度评判）",
    ),
    "gradcheck.error.perturbed_shape": (
        "f.perturbed returned shape {got}, expected {expected}",
        "f.perturbed 返回的形状是 {got}，应为 {expected}",
    ),
    "gradcheck.error.not_a_number": (
        "f(params) must return one number, not {type} of shape {shape}",
        "f(params) 必须返回一个数，而不是形状为 {shape} 的 {type}",
    ),
    "gradcheck.error.mode": (
        "mode must be 'auto', 'full' or 'directional', not {mode}",
        "mode 必须是 'auto'、'full' 或 'directional'，而不是 {mode}",
    ),
    "gradcheck.error.tolerance": (
        "{label} must be a non-negative number, not {value}",
        "{label} 必须是非负数，而不是 {value}",
    ),
    "gradcheck.error.params": (
        "params must be a non-empty mapping of names to floats or arrays",
        "params 必须是非空的映射：参数名 → 浮点数或数组",
    ),
    "gradcheck.error.bool": (
        "parameter {name} is a bool, not a number",
        "参数 {name} 是布尔值，不是数",
    ),
    "gradcheck.error.dtype": (
        "parameter {name} must be a float or a real array, not {dtype}",
        "参数 {name} 必须是浮点数或实数数组，而不是 {dtype}",
    ),
    "gradcheck.error.not_finite": (
        "parameter {name} contains inf or nan",
        "参数 {name} 含有 inf 或 nan",
    ),
    "gradcheck.error.grad_mapping": (
        "grad(params) must return a mapping like params, not {type}",
        "grad(params) 必须像 params 一样返回映射，而不是 {type}",
    ),
}
