"""Messages of reading (the parser, programs, derivative notation, points), in English and Chinese.

Every :class:`~derivcheck.errors.ParseError` the reader raises is one of these keys with its
parameters; the parameters are text the user typed, numbers, or names, never sentences,
so the Chinese sentence holds no English.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the text itself ----
    "parse.not_text": ("expected text, got {type}", "需要文本，得到的是 {type}"),
    "parse.too_long": (
        "input too long: {length:,} characters (at most {limit:,})",
        "输入太长：{length:,} 个字符（最多 {limit:,} 个）",
    ),
    "parse.empty": ("empty input: expected a formula", "输入为空：请给出一个公式"),
    "parse.empty_program": (
        "empty program: expected name = expression",
        "程序为空：请写成“名称 = 表达式”",
    ),
    # ---- characters ----
    "parse.unexpected_character": (
        "unexpected character {character}",
        "无法识别的字符 {character}",
    ),
    "parse.string": ("strings are not allowed in a formula", "公式里不能有字符串"),
    "parse.attribute": (
        "'.' (attribute access) is not allowed in a formula",
        "公式里不允许用 '.' 访问属性",
    ),
    "parse.comparison": (
        "'==' is a comparison; write name = expression",
        "'==' 是比较运算；赋值请写成“名称 = 表达式”",
    ),
    "parse.hex": (
        "{literal} looks like a hexadecimal number; derivcheck reads decimal numbers only "
        "(write 0·x explicitly if you mean a product)",
        "{literal} 像是十六进制数；derivcheck 只读十进制数（如果是乘积，请明确写出 0·x）",
    ),
    # ---- numbers and names ----
    "parse.exponent_too_large": (
        "exponent too large in {number} (at most 10^±{limit})",
        "{number} 的指数太大（最多 10^±{limit}）",
    ),
    "parse.number_too_long": (
        "number too long: more than {limit} digits",
        "数字位数太多：超过 {limit} 位",
    ),
    "parse.number_too_large": (
        "number too large (more than {limit} digits)",
        "数字太大（超过 {limit} 位）",
    ),
    "parse.power_too_large": (
        "number too large: about {digits} digits (at most {limit}); derivcheck keeps numbers exact",
        "数字太大：约 {digits} 位（最多 {limit} 位）；derivcheck 保持精确数值",
    ),
    "parse.name_too_long": (
        "name too long (more than {limit} characters)",
        "名称太长（超过 {limit} 个字符）",
    ),
    "parse.subscript_unclosed": ("'_{{' is not closed by '}}'", "'_{{' 缺少闭合的 '}}'"),
    "parse.subscript_name": (
        "a subscript may hold only letters and digits",
        "下标只能包含字母和数字",
    ),
    # ---- LaTeX ----
    "parse.latex_unsupported": (
        "unsupported LaTeX command {command}",
        "不支持的 LaTeX 命令 {command}",
    ),
    "parse.latex_brace": ("expected '{{' after the command", "命令后面应是 '{{'"),
    "parse.latex_name": (
        "expected a name in braces, such as \\operatorname{{relu}}",
        "花括号里应是一个名称，例如 \\operatorname{{relu}}",
    ),
    "parse.latex_group": (
        "expected '{{...}}' after the LaTeX command",
        "LaTeX 命令后面应是 '{{...}}'",
    ),
    "parse.sqrt_degree": (
        "\\sqrt[n]{{...}} needs a whole number n from 2 to 100",
        "\\sqrt[n]{{...}} 中的 n 应是 2 到 100 之间的整数",
    ),
    # ---- structure ----
    "parse.end": (
        "unexpected end of input: expected a number, a name or '('",
        "输入意外结束：这里应是数字、名称或 '('",
    ),
    "parse.trailing": ("unexpected text after the formula", "公式后面有多余的内容"),
    "parse.trailing_assignment": (
        "unexpected text after the expression",
        "表达式后面有多余的内容",
    ),
    "parse.missing_operator": ("missing operator before this number", "这个数字前缺少运算符"),
    "parse.needs_left": ("'{operator}' needs something before it", "'{operator}' 前面缺少内容"),
    "parse.superscript_base": (
        "a superscript needs something before it",
        "上标前面缺少底数",
    ),
    "parse.superscript": ("cannot read this superscript", "无法读取这个上标"),
    "parse.too_deep": (
        "nested too deeply (more than {limit} levels)",
        "嵌套太深（超过 {limit} 层）",
    ),
    "parse.semicolon": (
        "';' separates assignments (name = expression)",
        "';' 只用于分隔赋值语句（名称 = 表达式）",
    ),
    "parse.line_break": (
        "unexpected line break: a formula is one line",
        "意外换行：公式只能写一行",
    ),
    "parse.comma": (
        "unexpected ',': commas separate function arguments",
        "多余的 ','：逗号只用于分隔函数的参数",
    ),
    "parse.equals": (
        "'=' must follow a name at the start of an assignment",
        "'=' 只能出现在赋值语句开头的名称之后",
    ),
    "parse.unexpected_symbol": ("unexpected symbol", "无法识别的符号"),
    # ---- brackets and bars ----
    "parse.empty_brackets": ("empty brackets", "空括号"),
    "parse.nothing_to_close": (
        "unexpected '{bracket}': nothing to close here",
        "多余的 '{bracket}'：这里没有需要闭合的括号",
    ),
    "parse.mismatched": (
        "'{found}' does not match '{opening}'; expected '{expected}'",
        "'{found}' 与 '{opening}' 不匹配，应为 '{expected}'",
    ),
    "parse.unclosed": (
        "'{opening}' is never closed: expected '{expected}'",
        "'{opening}' 没有闭合：缺少 '{expected}'",
    ),
    "parse.expected_close": ("expected '{expected}'", "这里应是 '{expected}'"),
    "parse.abs_unclosed": (
        "expected '|' to close the absolute value",
        "绝对值缺少闭合的 '|'",
    ),
    "parse.unexpected_bar": ("unexpected '|'", "多余的 '|'"),
    # ---- functions ----
    "parse.unknown_function": ("unknown function '{name}'", "未知函数 '{name}'"),
    "parse.unknown_function_suggest": (
        "unknown function '{name}' (did you mean {suggestion}?)",
        "未知函数 '{name}'（是不是 {suggestion}？）",
    ),
    "parse.needs_argument": (
        "function '{name}' needs an argument, e.g. {name}(x)",
        "函数 '{name}' 缺少自变量，例如 {name}(x)",
    ),
    "parse.missing_argument": ("missing argument in brackets", "括号里缺少自变量"),
    "parse.function_power": ("expected a number after '^'", "'^' 后面应是一个数字"),
    "parse.arguments_exactly": (
        "{name}() takes {expected} argument(s), got {got}",
        "{name}() 需要 {expected} 个参数，实际给了 {got} 个",
    ),
    "parse.arguments_either": (
        "{name}() takes {low} or {high} arguments, got {got}",
        "{name}() 需要 {low} 或 {high} 个参数，实际给了 {got} 个",
    ),
    "parse.arguments_range": (
        "{name}() takes from {low} to {high} arguments, got {got}",
        "{name}() 需要 {low} 到 {high} 个参数，实际给了 {got} 个",
    ),
    "parse.parameter": (
        "the parameter {parameter} of {name}() must be a constant number, e.g. {name}(x, {default})",
        "{name}() 的参数 {parameter} 必须是常数，例如 {name}(x, {default})",
    ),
    "parse.inverse_ambiguous": (
        "{name}^-1 is ambiguous: write 1/{name}(...) or the inverse",
        "{name}^-1 有歧义：请写成 1/{name}(...) 或写出反函数",
    ),
    "parse.log_base": (
        "the base of a logarithm must be positive and not 1, not {base}",
        "对数的底必须是不等于 1 的正数，而这里是 {base}",
    ),
    # ---- values ----
    "parse.division_by_zero": ("division by zero", "除以零"),
    "parse.zero_negative_power": (
        "division by zero (0 to a negative power)",
        "除以零（0 的负数次幂）",
    ),
    "parse.undefined": (
        "this is undefined (division by zero or infinite value)",
        "这里没有定义（除以零或无穷大）",
    ),
    "parse.not_real": ("this is not a real number", "这不是实数"),
    "parse.negative_sqrt": (
        "the square root of a negative number is not real",
        "负数的平方根不是实数",
    ),
    "parse.negative_even_root": (
        "an even root of a negative number is not real",
        "负数的偶次方根不是实数",
    ),
    # ---- derivative notation ----
    "parse.derivative_operator": (
        "{operator} asks for a derivative: give the function itself, derivcheck differentiates it",
        "{operator} 表示求导：请直接给出函数本身，由 derivcheck 求导",
    ),
    "parse.derivative_operand": (
        "nothing to differentiate after {operator}",
        "{operator} 后面缺少要求导的函数",
    ),
    "parse.derivative_scope": (
        "{operator} applies to the bracket only, but more follows: "
        "put the whole function in brackets, {operator}(...)",
        "{operator} 只作用于这对括号，而后面还有内容：请把整个函数放进括号，写成 {operator}(...)",
    ),
    "parse.partial": (
        "'∂' is read only as ∂/∂x before a function",
        "'∂' 只能以 ∂/∂x 的形式写在函数前面",
    ),
    "parse.prime": (
        "the prime {mark} marks a derivative: give the function itself, derivcheck differentiates it",
        "撇号 {mark} 是求导记号：请直接给出函数本身，derivcheck 会对它求导",
    ),
    "parse.prime_label": (
        "expected a name with primes before '=', as in y' = ... or f'(x) = ...",
        "'=' 前面应是带撇号的名称，例如 y' = ... 或 f'(x) = ...",
    ),
    # ---- programs ----
    "parse.assignment_expected": (
        "expected an assignment: name = expression",
        "这里应是赋值语句：名称 = 表达式",
    ),
    "parse.program_line": (
        "every line of a program must be an assignment: name = expression",
        "程序的每一行都必须是赋值语句：名称 = 表达式",
    ),
    "parse.assignment_target": (
        "the left side of '=' must be a single name",
        "'=' 左边必须是单个名称",
    ),
    "parse.builtin_name": (
        "cannot assign to '{name}': it is a built-in name",
        "不能给 '{name}' 赋值：它是内置名称",
    ),
    "parse.assigned_twice": (
        "'{name}' is assigned twice; use a new name",
        "'{name}' 被赋值了两次，请换一个名字",
    ),
    "parse.used_before": (
        "'{name}' is used before it is assigned",
        "'{name}' 在赋值之前就被使用了",
    ),
    "parse.missing_expression": ("missing expression after '='", "'=' 后面缺少表达式"),
    "parse.one_equals": ("only one '=' per assignment", "每个赋值语句只能有一个 '='"),
    # ---- points: x=1,y=2 ----
    "parse.point_empty": (
        "no values given: write name=value, e.g. x=1,y=2",
        "没有给出数值：请写成 名称=数值，例如 x=1,y=2",
    ),
    "parse.point_equals": (
        "expected name=value, e.g. x=1",
        "这里应是 名称=数值，例如 x=1",
    ),
    "parse.point_name": ("expected a name before '='", "'=' 前面应是一个名称"),
    "parse.point_value": ("missing value after '{name}='", "'{name}=' 后面缺少数值"),
    "parse.point_twice": ("'{name}' is given twice", "'{name}' 给出了两次"),
}
