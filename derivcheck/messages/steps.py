"""Messages of worked solutions checked line by line (en, zh).

Formulas (``before``, ``after``, ``term``, ``definition`` …) are text in derivcheck's
display syntax, the same in both languages; ``reason`` and ``message`` hold other messages.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- what is wrong with a line ----
    "steps.algebra": (
        "Algebra mistake: this is not equal to the expression before it (at {point} that "
        "one gives {before}, this one {after}).",
        "代数错误：这一步与上一个式子不相等（在 {point} 处，上一个式子等于 {before}，这一个等于 {after}）。",
    ),
    "steps.dropped_term": (
        "Algebra mistake: the term {term} of the expression before was dropped.",
        "代数错误：上一个式子中的 {term} 这一项丢掉了。",
    ),
    "steps.term_sign": (
        "Algebra mistake: the sign of the term {term} changed.",
        "代数错误：{term} 这一项的符号变了。",
    ),
    "steps.arithmetic": (
        "Arithmetic mistake: {before} is not {after}.",
        "计算错误：{before} 不等于 {after}。",
    ),
    "steps.derivative_step": (
        "Differentiation mistake in this step: {derivatives} (at {point} this side gives "
        "{after}, but it should be {before}).",
        "求导错误：这一步应有 {derivatives}（在 {point} 处，这一边等于 {after}，应为 {before}）。",
    ),
    "steps.derivative_of": ("{operand}′ = {derivative}", "{operand}′ = {derivative}"),
    "steps.list": ("{first}, {rest}", "{first}，{rest}"),
    "steps.wrong_value": (
        "Not the value of the derivative at {point}: {got} instead of {want}.",
        "这不是导数在 {point} 处的值：应为 {want}，而不是 {got}。",
    ),
    "steps.local_wrong": (
        "Local derivative: from {name} = {definition}, d{name}/d{wrt} = {expected}, not {got}.",
        "局部导数：由 {name} = {definition} 得 d{name}/d{wrt} = {expected}，而不是 {got}。",
    ),
    "steps.local_rule": (
        "Local derivative d{name}/d{wrt} (from {name} = {definition}): {reason}",
        "局部导数 d{name}/d{wrt}（由 {name} = {definition}）：{reason}",
    ),
    "steps.not_a_part": (
        "{name} = {definition} is not a part of the function {function}: an intermediate "
        "variable stands for a piece of it.",
        "{name} = {definition} 不是函数 {function} 的一部分：中间变量应代表函数中的某一部分。",
    ),
    "steps.not_the_function": (
        "{name} = {definition} is not the function {function} (with your substitutions it "
        "is {expanded}).",
        "{name} = {definition} 不是原函数 {function}（代入你的中间变量后是 {expanded}）。",
    ),
    "steps.carried": (
        "Follows from line {line}, which is wrong (the mistake is carried forward).",
        "由第 {line} 行得出，而第 {line} 行是错的（错误被带了下来）。",
    ),
    "steps.unreadable": (
        "Could not read this line: {reason} (at character {column}).",
        "无法识别这一行：{reason}（第 {column} 个字符处）。",
    ),
    "steps.unknown_names": (
        "This line uses {names}, which are neither in the function nor defined in an earlier line.",
        "这一行用到了 {names}，但它们既不在原函数中，也没有在前面定义过。",
    ),
    "steps.unknown_derivative": (
        "d{name}/d{wrt}: {name} is not defined in terms of {wrt}.",
        "d{name}/d{wrt}：{name} 没有用 {wrt} 来定义。",
    ),
    "steps.redefines_variable": (
        "{name} is the variable; it cannot be an intermediate variable.",
        "{name} 是自变量，不能再作为中间变量。",
    ),
    "steps.point_unreadable": (
        "Could not read the point {point}: {reason}",
        "无法识别求值点 {point}：{reason}",
    ),
    "steps.not_number": ("not a number", "不是一个数"),
    "steps.failed": (
        "This line could not be checked: {reason}",
        "这一行无法检查：{reason}",
    ),
    "steps.line_timeout": (
        "Checking this line took longer than {seconds} s and was stopped.",
        "检查这一行超过了 {seconds} 秒，已停止。",
    ),
    "steps.out_of_time": (
        "Not checked: the solution took longer than {seconds} s in all.",
        "未检查：整份解答的检查时间超过了 {seconds} 秒。",
    ),
    "steps.line_too_long": (
        "This line is too long to check: {size} characters (at most {limit}).",
        "这一行太长，无法检查：共 {size} 个字符（最多 {limit} 个）。",
    ),
    "steps.too_many_lines": (
        "Lines {first} to {last} were not checked: a solution may have at most {limit} lines.",
        "第 {first} 行到第 {last} 行未检查：一份解答最多 {limit} 行。",
    ),
    "steps.too_long": (
        "The solution is too long to check: {size} characters (at most {limit}).",
        "这份解答太长，无法检查：共 {size} 个字符（最多 {limit} 个）。",
    ),
    # ---- the final answer ----
    "steps.no_answer": (
        "No line gives the derivative of the function.",
        "没有哪一行给出了函数的导数。",
    ),
    "steps.no_value": (
        "The exercise asks for the value of the derivative at {point}; no line gives it.",
        "题目要求导数在 {point} 处的值，但没有哪一行给出这个值。",
    ),
    "steps.final_unreadable": (
        "The last line cannot be read: {reason}",
        "最后一行无法识别：{reason}",
    ),
    "steps.first_error": ("Line {line}: {comment}", "第 {line} 行：{comment}"),
    # ---- the solution shown to a student ----
    "steps.title": (
        "Worked solution: the derivative of {function}",
        "解答过程：求 {function} 的导数",
    ),
    "steps.title_at": (
        "Worked solution: the derivative of {function} at {point}",
        "解答过程：求 {function} 在 {point} 处的导数",
    ),
    "steps.final": ("Final answer: {verdict}. {comment}", "最终答案：{verdict}。{comment}"),
    "steps.first_wrong": ("First wrong line: {line}.", "第一处错误：第 {line} 行。"),
    "steps.all_right": ("Every line is right.", "每一行都正确。"),
    "steps.line_column": ("line", "行"),
    "steps.work_column": ("working", "解答"),
    "steps.check_column": ("check", "检查"),
    "steps.comment_column": ("comment", "批注"),
    # ---- kinds of line and their verdicts ----
    "steps.kind.equality": ("equality", "等式"),
    "steps.kind.substitution": ("substitution", "换元"),
    "steps.kind.local-derivative": ("local derivative", "局部导数"),
    "steps.kind.value": ("value", "求值"),
    "steps.kind.prose": ("words", "文字说明"),
    "steps.verdict.correct": ("correct", "正确"),
    "steps.verdict.incorrect": ("incorrect", "错误"),
    "steps.verdict.carried": ("carried forward", "错误延续"),
    "steps.verdict.unparseable": ("unreadable", "无法识别"),
    "steps.verdict.error": ("not checked", "未检查"),
    "steps.verdict.skipped": ("skipped", "跳过"),
    # ---- names of the mistakes steps add to the grader's ----
    "grading.diagnosis.algebra": ("algebra", "代数错误"),
    "grading.diagnosis.arithmetic": ("arithmetic", "计算错误"),
    "grading.diagnosis.differentiation": ("differentiation", "求导错误"),
    "grading.diagnosis.local-derivative": ("local-derivative", "局部导数错误"),
    "grading.diagnosis.not-a-part": ("not-a-part", "中间变量有误"),
    "grading.diagnosis.not-the-function": ("not-the-function", "不是原函数"),
    "grading.diagnosis.carried": ("carried", "错误延续"),
    "grading.diagnosis.rounding": ("rounding", "舍入错误"),
    "grading.diagnosis.unknown": ("unknown-name", "未定义的名称"),
}
