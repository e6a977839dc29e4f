"""Messages of the command line (en, zh): what ``derivcheck`` itself prints.

The analysis' own sentences (parse errors, verdicts, reports) come from their areas;
these are the shell's words around them: error lines, the --at point, output files,
interrupts, and the titles of ``derivcheck net``.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the shell: every command
    "cli.error": (
        "derivcheck: error: {text}",
        "derivcheck：错误：{text}",
    ),
    "cli.usage_error": (
        "{prog}: error: {text}",
        "{prog}：错误：{text}",
    ),
    "cli.bad_argument": (
        "argument {argument}: {problem}",
        "参数 {argument}：{problem}",
    ),
    "cli.interrupted": (
        "derivcheck: interrupted",
        "derivcheck：已中断",
    ),
    "cli.internal_error": (
        "derivcheck: internal error: {kind}: {detail}\n"
        "  (this is a bug in derivcheck; run with DERIVCHECK_DEBUG=1 for details)",
        "derivcheck：内部错误：{kind}：{detail}\n"
        "  （这是 derivcheck 的缺陷；设置 DERIVCHECK_DEBUG=1 再运行可看到详细信息）",
    ),
    # -- values of options
    "cli.expected_integer": (
        "expected an integer, got {text!r}",
        "应为整数，实际为 {text!r}",
    ),
    "cli.expected_number": (
        "expected a number, got {text!r}",
        "应为数字，实际为 {text!r}",
    ),
    "cli.integer_range": (
        "must be between {low} and {high}, got {value}",
        "须在 {low} 到 {high} 之间，实际为 {value}",
    ),
    "cli.positive_number": (
        "must be a positive number, got {text}",
        "须为正数，实际为 {text}",
    ),
    "cli.at_least_one": (
        "{option} must be at least 1",
        "{option} 至少为 1",
    ),
    "cli.must_be_positive": (
        "{option} must be positive",
        "{option} 须为正数",
    ),
    # -- the point: --at
    "cli.missing_at": (
        "missing --at: give the point, e.g. --at 0.5 or --at x=0.5",
        "缺少 --at：请给出求导点，例如 --at 0.5 或 --at x=0.5",
    ),
    "cli.at_needs_names": (
        "several --at values need names: --at x=1 --at y=2",
        "多个 --at 值需要写明名称：--at x=1 --at y=2",
    ),
    "cli.at_mixed": (
        "mix of --at VALUE and --at name=VALUE: name every value",
        "--at VALUE 与 --at name=VALUE 混用：请为每个值写明名称",
    ),
    "cli.at_malformed": (
        "--at {item!r}: expected name=value",
        "--at {item!r}：应为 name=value",
    ),
    "cli.at_twice": (
        "--at gives '{name}' twice",
        "--at 两次给出了 '{name}'",
    ),
    "cli.several_variables": (
        "the expression has several variables ({names}): give each a value, e.g. {example}",
        "表达式有多个变量（{names}）：请为每个变量给出数值，例如 {example}",
    ),
    "cli.no_value": (
        "no value given for {names}: give every name a value, e.g. {example}",
        "没有给出 {names} 的值：请为每个名称给出数值，例如 {example}",
    ),
    # -- output files
    "cli.wrote": (
        "wrote {path}",
        "已写入 {path}",
    ),
    "cli.cannot_write": (
        "cannot write {path}: {reason}",
        "无法写入 {path}：{reason}",
    ),
    "cli.not_a_folder": (
        "{folder} is not a folder",
        "{folder} 不是文件夹",
    ),
    "cli.os.ENOENT": (
        "no such file or folder",
        "没有这个文件或文件夹",
    ),
    "cli.os.EACCES": (
        "permission denied",
        "没有权限",
    ),
    "cli.os.EPERM": (
        "operation not permitted",
        "不允许此操作",
    ),
    "cli.os.ENOSPC": (
        "no space left on the device",
        "设备上没有剩余空间",
    ),
    "cli.os.EISDIR": (
        "it is a folder",
        "这是一个文件夹",
    ),
    "cli.os.ENOTDIR": (
        "a part of the path is not a folder",
        "路径中有一部分不是文件夹",
    ),
    "cli.os.EEXIST": (
        "a file of that name is in the way",
        "已有同名文件挡住了路径",
    ),
    "cli.os.EROFS": (
        "the file system is read-only",
        "文件系统是只读的",
    ),
    "cli.unknown_extension": (
        "{option} {path}: the file name must end in {allowed}",
        "{option} {path}：文件名须以 {allowed} 结尾",
    ),
    "cli.or": (
        "{first} or {last}",
        "{first} 或 {last}",
    ),
    "cli.no_engine": (
        "{engine} not found: wrote {tex} instead of {pdf} (install {packages}, then run: {command})",
        "未找到 {engine}：已写入 {tex}，未生成 {pdf}（请安装 {packages}，然后运行：{command}）",
    ),
    "cli.compile_failed": (
        "{engine} could not compile the document (a bug in derivcheck): {reason}; the source is in {tex}",
        "{engine} 无法编译该文档（derivcheck 的缺陷）：{reason}；源文件见 {tex}",
    ),
    # -- derivcheck check
    "cli.resume_needs_out": (
        "--resume needs --out REPORT: the report of the interrupted run",
        "--resume 需要 --out REPORT：即被中断那次运行的报告",
    ),
    "cli.out_is_folder": (
        "--out {path} is a folder: give a file, e.g. report.json",
        "--out {path} 是文件夹：请给出文件，例如 report.json",
    ),
    "cli.cannot_journal": (
        "cannot write next to {path}: {reason}",
        "无法在 {path} 旁写入文件：{reason}",
    ),
    "cli.report_not_written": (
        "cannot write {path}: {reason}; the graded answers are kept in {journal} (--resume writes the report from them)",
        "无法写入 {path}：{reason}；已批改的答案保存在 {journal}（用 --resume 可由它写出报告）",
    ),
    "cli.interrupted_kept": (
        "derivcheck: interrupted; the answers graded so far are kept in {journal}. Continue with: {command}",
        "derivcheck：已中断；已批改的答案保存在 {journal}。继续批改：{command}",
    ),
    "cli.interrupted_after": (
        "derivcheck: interrupted after {done} of {total} answers (use --out REPORT to be able to --resume)",
        "derivcheck：共 {total} 个答案，批改 {done} 个后中断（使用 --out REPORT 才能 --resume 继续）",
    ),
    # -- derivcheck solutions: rows that cannot be solved
    "cli.row_no_function": (
        "the row has no function",
        "这一行没有函数",
    ),
    "cli.row_several_names": (
        "the function has several names ({names}): give the variable (var)",
        "函数里有多个名称（{names}）：请给出自变量（var）",
    ),
    "cli.row_name_every_value": (
        "the function has several names; give every value in 'at' (e.g. x=1, a=2)",
        "函数里有多个名称：请在 'at' 中给出每个名称的值（例如 x=1, a=2）",
    ),
    "cli.row_at_malformed": (
        "at={at!r}: expected name=value, each name once (x=1, a=2)",
        "at={at!r}：应为 name=value，每个名称只出现一次（x=1, a=2）",
    ),
    "cli.row_line": (
        " (line {line})",
        "（第 {line} 行）",
    ),
    # -- derivcheck net
    "cli.net_chapter_title": (
        "The chapter's network at section 2's point: {point}",
        "本章的网络，取第 2 节的点：{point}",
    ),
    "cli.net_training_title": (
        "Two-layer network, {units} ({activation}), on {samples} points of y = x^2 + noise and first parameters as in section 4 (seed {seed})",
        "两层神经网络，{units}（{activation}），数据为 y = x^2 + 噪声的 {samples} 个点，初始参数同第 4 节（种子 {seed}）",
    ),
    "cli.net_random_title": (
        "Two-layer network {inputs} -> {hidden} -> 1 ({activation}) on {samples} random points of y = |x|^2 + noise (seed {seed})",
        "两层神经网络 {inputs} -> {hidden} -> 1（{activation}），数据为 y = |x|^2 + 噪声的 {samples} 个随机点（种子 {seed}）",
    ),
    "cli.hidden_unit": (
        "{count} hidden unit",
        "{count} 个隐藏单元",
    ),
    "cli.hidden_units": (
        "{count} hidden units",
        "{count} 个隐藏单元",
    ),
    "cli.final_loss": (
        "final loss = {loss:.4f} after {epochs} epochs",
        "训练 {epochs} 轮后，最终损失 = {loss:.4f}",
    ),
    "cli.nothing_to_plot": (
        "no epochs, nothing to plot",
        "没有训练轮次，无图可画",
    ),
}

#: argparse's own sentences in Chinese, keyed by its gettext message ids (%-style, as
#: Python 3.11's argparse writes them): the command line's parser says them through this
#: table under --lang zh (:func:`derivcheck.cli.argparse_language`). An id not listed
#: stays English.
ARGPARSE_ZH: dict[str, str] = {
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多需要一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "expected %s argument": "需要 %s 个参数值",
    "expected %s arguments": "需要 %s 个参数值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可以是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ignored explicit argument %r": "忽略了显式给出的参数 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示帮助信息并退出",
}
