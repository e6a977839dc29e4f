"""Messages of grading (en, zh): verdicts, diagnoses, hints and why an exercise cannot be graded.

Parameters named ``reason`` hold another message (a parse error, a preparation problem);
formulas (``inner``, ``factor``, ``point`` …) are text in derivcheck's display syntax and
are the same in both languages.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- correct ----
    "grading.correct": ("Correct.", "正确。"),
    "grading.correct_rounded": (
        "Correct (to the {places} decimal places given).",
        "正确（精确到所给的 {places} 位小数）。",
    ),
    "grading.correct_rounded_one": (
        "Correct (to the {places} decimal place given).",
        "正确（精确到所给的 {places} 位小数）。",
    ),
    "grading.correct_rounded_whole": (
        "Correct (rounded to a whole number).",
        "正确（舍入到整数）。",
    ),
    "grading.correct_within": (
        "Correct (within the tolerance {tolerance}).",
        "正确（在允许误差 {tolerance} 以内）。",
    ),
    # ---- incorrect, no typical mistake recognised ----
    "grading.incorrect": (
        "Not the derivative: at {point} your answer gives {got}, but the derivative is {want}.",
        "不正确：在 {point} 处，你的答案等于 {got}，而导数等于 {want}。",
    ),
    "grading.incorrect_asked": (
        "Not {asked}: at {point} your answer gives {got}, but {asked} is {want}.",
        "不正确：在 {point} 处，你的答案等于 {got}，而 {asked} 等于 {want}。",
    ),
    "grading.incorrect_value_asked": (
        "Not the value of {asked} at {point}.",
        "这不是 {asked} 在 {point} 处的值。",
    ),
    "grading.incorrect_undefined": (
        "Not the derivative: your answer is undefined at {point}, where the derivative is {want}.",
        "不正确：你的答案在 {point} 处没有定义，而导数在该处等于 {want}。",
    ),
    "grading.incorrect_huge": (
        "Not the derivative: at {point} your answer is beyond 10^308, but the derivative is "
        "{want}.",
        "不正确：在 {point} 处，你的答案超过 10^308，而导数等于 {want}。",
    ),
    "grading.incorrect_value": (
        "Not the value of the derivative at {point}.",
        "这不是导数在 {point} 处的值。",
    ),
    "grading.exactly_different": (
        "Not the derivative: your answer differs from it by {difference}, too little for "
        "floating point to show but not zero.",
        "不正确：你的答案与导数相差 {difference}，这个差小到浮点数看不出来，但不是零。",
    ),
    "grading.formula_not_value": (
        "The exercise asks for the value of the derivative at {point}, a number, "
        "not a formula in {var}.",
        "题目要求的是导数在 {point} 处的值（一个数），而不是含 {var} 的表达式。",
    ),
    "grading.foreign_names": (
        "Your answer uses {names}, which the function does not contain.",
        "你的答案中出现了 {names}，而原函数中没有。",
    ),
    "grading.operator_left": (
        "Your answer still contains d/d{var} or d{var}: write the derivative itself, "
        "not the operator.",
        "你的答案中还有 d/d{var} 或 d{var}：请写出求导的结果，而不是求导符号。",
    ),
    # ---- precision of a number ----
    "grading.too_few_digits": (
        "Your answer {answer} is the value rounded to {given}; the exercise wants {wanted}.",
        "你的答案 {answer} 是该值舍入到{given}的结果；题目要求{wanted}。",
    ),
    "grading.wrong_rounding": (
        "Not the value rounded to {places}: that is {rounded}, not {answer} (round the last "
        "digit, do not cut it off).",
        "这不是该值舍入到{places}的结果：应为 {rounded}，而不是 {answer}（最后一位要四舍五入，"
        "不能直接截断）。",
    ),
    "grading.places": ("{count} decimal places", " {count} 位小数"),
    "grading.places_one": ("{count} decimal place", " {count} 位小数"),
    "grading.whole_number": ("a whole number", "整数"),
    "grading.significant": (
        "at least {count} significant digits",
        "至少 {count} 位有效数字",
    ),
    "grading.bad_digits": (
        "The exercise's digits {digits} must be a number of decimal places from 0 to 30.",
        "题目的位数 {digits} 必须是 0 到 30 之间的小数位数。",
    ),
    "grading.bad_tolerance": (
        "The exercise's tolerance {tolerance} must be a positive number.",
        "题目的允许误差 {tolerance} 必须是正数。",
    ),
    # ---- diagnoses: which rule went wrong ----
    "grading.missing_inner": (
        "Chain rule: the derivative of the inner function {inner} is missing; "
        "multiply by ({inner})′ = {factor}.",
        "链式法则：漏乘了内层函数 {inner} 的导数，应再乘以 ({inner})′ = {factor}。",
    ),
    "grading.missing_inner_layer": (
        "Chain rule: the factor {factor} is missing (the derivative of {layer} with "
        "respect to its inside {inner}).",
        "链式法则：漏乘了因子 {factor}（即 {layer} 对其内层 {inner} 的导数）。",
    ),
    "grading.missing_inner_all": (
        "Chain rule: the inner derivatives are missing; each layer's derivative must "
        "be multiplied in.",
        "链式法则：漏乘了内层函数的导数，每一层的导数都要乘上。",
    ),
    "grading.sign_negative": (
        "Sign error: your answer is the negative of the derivative.",
        "符号错误：你的答案是导数的相反数。",
    ),
    "grading.sign_part": (
        "Sign error in the derivative of {part}.",
        "符号错误：{part} 的导数符号弄反了。",
    ),
    "grading.sign_rule": (
        "Sign error in the derivative of {part}: d/d{u} {definition} = {local}.",
        "符号错误：{part} 的导数符号弄反了，d/d{u} {definition} = {local}。",
    ),
    "grading.constant_factor": (
        "Off by a constant factor: your answer is {factor} times the derivative.",
        "差一个常数因子：你的答案是导数的 {factor} 倍。",
    ),
    "grading.column.asked": ("derivative", "所求导数"),
    "grading.order_short": (
        "This is {have}, one order short: {want} is its derivative (differentiate once more).",
        "这是 {have}，少求了一阶：{want} 是它的导数（还要再求一次导）。",
    ),
    "grading.bad_order": (
        "The exercise's order {order} must be a whole number from 1 to {largest}.",
        "题目的阶数 {order} 必须是 1 到 {largest} 之间的整数。",
    ),
    "grading.not_differentiated": (
        "This is the function itself, not its derivative.",
        "这是原函数本身，还没有求导。",
    ),
    "grading.power_not_reduced": (
        "Power rule: (uⁿ)′ = n·uⁿ⁻¹; the exponent of {base} must drop by one "
        "(from {n} to {n_minus_1}).",
        "幂函数求导：(uⁿ)′ = n·uⁿ⁻¹，{base} 的指数要减 1（从 {n} 变为 {n_minus_1}）。",
    ),
    "grading.power_not_reduced_all": (
        "Power rule: (xⁿ)′ = n·xⁿ⁻¹; every exponent must drop by one.",
        "幂函数求导：(xⁿ)′ = n·xⁿ⁻¹，每一项的指数都要减 1。",
    ),
    "grading.power_coefficient": (
        "Power rule: (uⁿ)′ = n·uⁿ⁻¹; the coefficient is the old exponent {n}, not the new "
        "one {n_minus_1} (here u = {base}).",
        "幂函数求导：(uⁿ)′ = n·uⁿ⁻¹，系数是原来的指数 {n}，而不是减 1 后的 {n_minus_1}"
        "（这里 u = {base}）。",
    ),
    "grading.power_rule_exponential": (
        "The power rule (uⁿ)′ = n·uⁿ⁻¹ needs a constant exponent, but in {power} the exponent "
        "{exponent} varies: (aᵘ)′ = aᵘ·ln a·u′.",
        "幂函数求导法则 (uⁿ)′ = n·uⁿ⁻¹ 只适用于常数指数，而 {power} 的指数 {exponent} 是变量："
        "(aᵘ)′ = aᵘ·ln a·u′。",
    ),
    "grading.power_rule_variable_power": (
        "The power rule (uⁿ)′ = n·uⁿ⁻¹ needs a constant exponent, but in {power} the exponent "
        "{exponent} varies: write it as e^(v·ln u) and use the chain rule "
        "(logarithmic differentiation).",
        "幂函数求导法则 (uⁿ)′ = n·uⁿ⁻¹ 只适用于常数指数，而 {power} 的指数 {exponent} 是变量："
        "应写成 e^(v·ln u) 再用链式法则（对数求导法）。",
    ),
    "grading.product_rule": (
        "Product rule: (uv)′ = u′v + uv′, not u′v′ (here the factors are {factors}).",
        "乘积法则：(uv)′ = u′v + uv′，而不是 u′v′（这里的因子是 {factors}）。",
    ),
    "grading.product_rule_term": (
        "Product rule: (uv)′ = u′v + uv′; the term with the derivative of {factor} is missing.",
        "乘积法则：(uv)′ = u′v + uv′，漏掉了含 {factor} 的导数的那一项。",
    ),
    "grading.quotient_swapped": (
        "Quotient rule: (u/v)′ = (u′v − uv′)/v²; the two terms of the numerator are in "
        "the wrong order (here u = {numerator}, v = {denominator}).",
        "商的求导法则：(u/v)′ = (u′v − uv′)/v²，分子两项的顺序颠倒了"
        "（这里 u = {numerator}，v = {denominator}）。",
    ),
    "grading.quotient_plus": (
        "Quotient rule: (u/v)′ = (u′v − uv′)/v²; the numerator needs a minus sign, "
        "not a plus (here u = {numerator}, v = {denominator}).",
        "商的求导法则：(u/v)′ = (u′v − uv′)/v²，分子中间应是减号而不是加号"
        "（这里 u = {numerator}，v = {denominator}）。",
    ),
    "grading.quotient_of_derivatives": (
        "Quotient rule: (u/v)′ = (u′v − uv′)/v², not u′/v′ (here u = {numerator}, "
        "v = {denominator}).",
        "商的求导法则：(u/v)′ = (u′v − uv′)/v²，而不是 u′/v′"
        "（这里 u = {numerator}，v = {denominator}）。",
    ),
    "grading.sum_term_missing": (
        "Sum rule: differentiate every term; the derivative of the term {term} is missing.",
        "和的求导法则：每一项都要求导，漏掉了 {term} 这一项的导数。",
    ),
    "grading.sum_term_kept": (
        "Sum rule: the term {term} was copied, not differentiated (its derivative is "
        "{derivative}).",
        "和的求导法则：{term} 这一项照抄了，没有求导（它的导数是 {derivative}）。",
    ),
    # ---- the answer cannot be read or graded ----
    "grading.empty": ("The answer is empty.", "答案为空。"),
    "grading.empty_reason": ("the answer is empty", "答案为空"),
    "grading.unparseable": (
        "Could not read the answer: {reason} (at character {column}).",
        "无法识别答案：{reason}（第 {column} 个字符处）。",
    ),
    "grading.lost_character": (
        "Could not read the answer: it contains '?' (at character {column}), most likely a "
        "character such as ², − or ˣ that the file's encoding (GBK, for one) cannot hold; "
        "save the file as UTF-8.",
        "无法识别答案：其中有 '?'（第 {column} 个字符处），多半是文件的编码（例如 GBK）"
        "无法保存的字符，如 ²、− 或 ˣ；请把文件另存为 UTF-8。",
    ),
    "grading.timeout": (
        "Grading this answer took longer than {seconds} s and was stopped.",
        "评阅这个答案超过了 {seconds} 秒，已停止。",
    ),
    "grading.failed": (
        "This answer could not be graded: {reason}",
        "这个答案无法评分：{reason}",
    ),
    "grading.worker_died": (
        "the process grading it died twice (out of memory?)",
        "评阅它的进程两次意外终止（内存不足？）",
    ),
    "grading.too_deep": ("the answer is nested too deeply", "答案嵌套太深"),
    "grading.internal": (
        "derivcheck could not compute with it ({error})",
        "derivcheck 无法对它进行计算（{error}）",
    ),
    # ---- the exercise cannot be graded ----
    "grading.bad_function": (
        "The exercise cannot be graded: {reason}",
        "这道题无法评分：{reason}",
    ),
    "grading.function_unreadable": (
        "the function cannot be read: {reason} (at character {column})",
        "无法识别函数：{reason}（第 {column} 个字符处）",
    ),
    "grading.function_unreadable_nowhere": (
        "the function cannot be read: {reason}",
        "无法识别函数：{reason}",
    ),
    "grading.variable_not_a_name": (
        "the variable {var} is not a name",
        "变量 {var} 不是一个名称",
    ),
    "grading.several_names": (
        "the function has several names ({names}): say which is the variable (var)",
        "函数中有多个名称（{names}）：请指明哪个是变量（var）",
    ),
    "grading.lacks_variable": (
        "the function does not contain {var} (its names are {names}); write a*x for a "
        "product, or give the variable",
        "函数中没有 {var}（其中的名称是 {names}）；乘积请写成 a*x，或者指明变量",
    ),
    "grading.point_unreadable": (
        "the point at={at} cannot be read: {reason}",
        "求值点 at={at} 无法识别：{reason}",
    ),
    "grading.point_not_real": (
        "the point at={at} must be a real number",
        "求值点 at={at} 必须是实数",
    ),
    "grading.point_too_far": (
        "the point at={at} is beyond 10^308, too far to evaluate",
        "求值点 at={at} 超过 10^308，无法计算",
    ),
    "grading.not_differentiable_at": (
        "{function} is not differentiable at {point} (outside its domain or on a kink)",
        "{function} 在 {point} 处不可导（在定义域之外或在折点上）",
    ),
    "grading.not_differentiable_break": (
        "{function} is not differentiable at {point}: {reason}",
        "{function} 在 {point} 处不可导：{reason}",
    ),
    "grading.no_points": (
        "could not find points where {function} is defined and differentiable, with values"
        " a float can hold",
        "找不到 {function} 有定义、可导且其值在浮点数范围内的点",
    ),
    "grading.text": ("{text}", "{text}"),  # a message kept as text (reports of older versions)
    # ---- names of the mistakes, as the report table shows them ----
    "grading.diagnosis.missing-inner-derivative": ("missing-inner-derivative", "漏乘内层导数"),
    "grading.diagnosis.sign-error": ("sign-error", "符号错误"),
    "grading.diagnosis.constant-factor": ("constant-factor", "常数因子错误"),
    "grading.diagnosis.not-differentiated": ("not-differentiated", "没有求导"),
    "grading.diagnosis.power-not-reduced": ("power-not-reduced", "指数没有减一"),
    "grading.diagnosis.power-coefficient": ("power-coefficient", "幂的系数错误"),
    "grading.diagnosis.power-rule-misapplied": ("power-rule-misapplied", "误用幂函数法则"),
    "grading.diagnosis.product-rule": ("product-rule", "乘积法则错误"),
    "grading.diagnosis.quotient-rule-sign": ("quotient-rule-sign", "商的法则符号错误"),
    "grading.diagnosis.quotient-rule": ("quotient-rule", "商的法则错误"),
    "grading.diagnosis.sum-rule": ("sum-rule", "和的法则错误"),
}
