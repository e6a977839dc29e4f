"""Messages of the renderers (text, LaTeX, Markdown, pictures): headings, sentences and the
punctuation that frames them, in English and Chinese.

Parameters written ``{derivative}``, ``{estimate}`` … are usually mathematics (a layout
piece), which each format typesets in its own way.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- punctuation around headings, asides and lists ----
    "render.heading": ("{title}:", "{title}："),
    "render.heading_inline": ("{title}: {row}", "{title}：{row}"),
    "render.aside": ("({text})", "（{text}）"),
    "render.separator": (", ", "，"),
    "render.undefined": ("undefined", "无定义"),
    "render.sentences": ("{first} {then}", "{first}{then}"),
    # ---- the chain-rule derivation ----
    "render.backward_heading": (
        "Backward pass (from {output} back to every variable, one chain-rule step at a time)",
        "反向传播（从 {output} 开始，逐层往回用链式法则算梯度）",
    ),
    "render.numeric_heading": (
        "Numeric check ({method}, h = {step}, {evaluations} evaluations)",
        "数值验证（{method}，h = {step}，{evaluations} 次求值）",
    ),
    "render.estimate": (
        "estimate {estimate}, error estimate {error}",
        "估计值 {estimate}，误差估计 {error}",
    ),
    "render.within_budget": (
        "|exact − numeric| = {difference} ≤ budget {budget} (ratio {ratio}) → agrees",
        "|精确 − 数值| = {difference} ≤ 误差预算 {budget}（比值 {ratio}）→ 一致",
    ),
    "render.over_budget": (
        "|exact − numeric| = {difference} > budget {budget} (ratio {ratio}) → DISAGREES",
        "|精确 − 数值| = {difference} > 误差预算 {budget}（比值 {ratio}）→ 不一致",
    ),
    "render.gradient_heading": ("Gradient — Numeric check", "梯度——数值验证"),
    "render.numeric_estimate": ("numeric {estimate}", "数值 {estimate}"),
    "render.one_sided": (
        "{side} {derivative}: exact {exact}, numeric {numeric} → {status}",
        "{side} {derivative}：精确 {exact}，数值 {numeric} → {status}",
    ),
    "render.one_sided_numeric": (
        "{side} {derivative}: SymPy found no exact one-sided limit; one-sided differences give {numeric} (an estimate, not checked)",
        "{side} {derivative}：SymPy 求不出精确的单侧极限；单侧差分给出 {numeric}（估计值，未经验证）",
    ),
    "render.note": ("note: {note}", "注：{note}"),
    # ---- rule by rule ----
    "render.rule_by_rule": ("Rule by rule", "逐条法则求导"),
    "render.rules_used": ("Rules used", "用到的法则"),
    "render.result": ("Result", "结果"),
    "render.rule_with": ("{rule}, with {substitution}", "{rule}，其中 {substitution}"),
    "render.rule_log": ("{rule}: {equation}", "{rule}：{equation}"),
    "render.checked_exact": (
        "Every step above was checked against sympy.diff before it was printed.",
        "以上每一步在输出前都已用 sympy.diff 验证。",
    ),
    "render.checked_numeric": (
        "SymPy could not simplify the difference for {count} of them; "
        "those agree with sympy.diff to 25 digits at several points instead.",
        "其中 {count} 步 SymPy 无法化简差值，改为在多个点上与 sympy.diff 比较，25 位有效数字一致。",
    ),
    # ---- Markdown pages and solution sheets ----
    "render.computational_graph": ("Computational graph", "计算图"),
    "render.graph_caption": (
        "Nodes show forward values; edges show local derivatives.",
        "节点上是前向传播的值，边上是局部导数。",
    ),
    "render.graph_caption_adjoint": (
        "Nodes show forward values and the gradient of {output} (backward pass); "
        "edges show local derivatives.",
        "节点上是前向传播的值和 {output} 的梯度（反向传播），边上是局部导数。",
    ),
    "render.solutions": ("Solutions", "参考答案"),
    "render.exercise": ("Exercise", "练习"),
    "render.row_problem": ("could not be solved: {reason}", "无法求解：{reason}"),
    # ---- pictures (render/plots.py) ----
    "render.plot.tangent": ("tangent at {point}: slope {slope}", "{point} 处的切线：斜率 {slope}"),
    "render.plot.left_tangent": (
        "left tangent at {point}: slope {slope}",
        "{point} 处的左切线：斜率 {slope}",
    ),
    "render.plot.right_tangent": (
        "right tangent at {point}: slope {slope}",
        "{point} 处的右切线：斜率 {slope}",
    ),
    "render.plot.function_title": ("the function and its tangent line", "函数及其切线"),
    "render.plot.exact": ("f' exact (SymPy)", "f' 精确值（SymPy）"),
    "render.plot.numeric_curve": (
        "f' numeric ({method}, {points} points at once)",
        "f' 数值（{method}，一次算 {points} 个点）",
    ),
    "render.plot.numeric_at": (
        "numeric at {point}: {estimate} ± {error}",
        "{point} 处的数值：{estimate} ± {error}",
    ),
    "render.plot.derivative_title": ("the derivative: exact and numeric", "导数：精确值与数值"),
    "render.plot.rounding": (
        "rounding ≈ eps·|f| / h  (slope −1)",
        "舍入误差 ≈ eps·|f| / h（斜率 −1）",
    ),
    "render.plot.truncation": (
        "truncation ∝ {power}  (slope {slope})",
        "截断误差 ∝ {power}（斜率 {slope}）",
    ),
    "render.plot.chosen_step": ("derivcheck's step h = {step}", "derivcheck 的步长 h = {step}"),
    "render.plot.complex_step": (
        "derivcheck's own estimate used h = {step} (complex step: no subtraction, "
        "so no rounding growth)",
        "derivcheck 自己的估计用的是 h = {step}（复步长法：没有相减，所以舍入误差不会增长）",
    ),
    "render.plot.textbook_step": ("textbook h = {step}", "教科书的步长 h = {step}"),
    "render.plot.step": ("step h", "步长 h"),
    "render.plot.error": ("|numeric − exact|", "|数值 − 精确|"),
    "render.plot.error_title": (
        "error against step at x0 = {x0} (exact derivative {exact})",
        "误差随步长的变化：x0 = {x0}（精确导数 {exact}）",
    ),
    # ---- errors ----
    "render.unknown_style": (
        "unknown style {style}: choose 'chain' or 'rules'",
        "未知的样式 {style}：请选择 'chain' 或 'rules'",
    ),
    "render.no_engine": (
        "{engine} not found: cannot compile the document",
        "未找到 {engine}：无法编译该文档",
    ),
    "render.engine_timeout": (
        "{engine} took longer than {seconds} s",
        "{engine} 用时超过 {seconds} 秒",
    ),
    "render.engine_failed": ("{engine} failed: {reason}", "{engine} 编译失败：{reason}"),
    "render.see_the_log": ("see the log", "见日志"),
}
