"""Messages of batch grading (en, zh): report words, summaries, journals, answer files."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the report table ----
    "batch.column.id": ("id", "题号"),
    "batch.column.student": ("student", "学生"),
    "batch.column.verdict": ("verdict", "结果"),
    "batch.column.diagnosis": ("mistake", "错误类型"),
    "batch.column.message": ("message", "说明"),
    "batch.verdict.correct": ("correct", "正确"),
    "batch.verdict.incorrect": ("incorrect", "错误"),
    "batch.verdict.unparseable": ("unparseable", "无法识别"),
    "batch.verdict.error": ("error", "无法评分"),
    # ---- the summary ----
    "batch.summary": (
        "Summary: {answers} answers: {counts}",
        "汇总：共 {answers} 份答案：{counts}",
    ),
    "batch.summary_one": ("Summary: 1 answer: {counts}", "汇总：共 1 份答案：{counts}"),
    "batch.count": ("{count} {what}", "{what} {count}"),
    "batch.separator": (", ", "，"),
    "batch.mistake_count": ("{name} {count}", "{name} {count}"),
    "batch.mistakes": ("Mistakes: {mistakes}", "错误类型统计：{mistakes}"),
    "batch.none": ("none", "无"),
    "batch.by_exercise": ("By exercise:", "按题目："),
    "batch.duplicates": (
        "Warning: {count} rows repeat an id already used by the same student ({ids})",
        "注意：有 {count} 行的题号与同一学生的另一行重复（{ids}）",
    ),
    "batch.duplicates_one": (
        "Warning: 1 row repeats an id already used by the same student ({ids})",
        "注意：有 1 行的题号与同一学生的另一行重复（{ids}）",
    ),
    "batch.progress": (
        "{done}/{total} answers  {rate}/s  {percent}",
        "{done}/{total} 份答案  {rate}/秒  {percent}",
    ),
    # ---- rows ----
    "batch.bad_row": ("This row cannot be used: {problem}", "这一行无法使用：{problem}"),
    "batch.not_a_row": (
        "row {row}: expected a mapping with function and answer, got {type}",
        "第 {row} 行：应是含 function 和 answer 的映射，实际是 {type}",
    ),
    # ---- running a batch ----
    "batch.unknown_format": (
        "unknown report format {format} (one of table, json, csv)",
        "未知的报告格式 {format}（可选 table、json、csv）",
    ),
    "batch.workbook_report": (
        "{path}: derivcheck writes .json, .csv or a text table, not a workbook; "
        "write report.csv and open that in the spreadsheet",
        "{path}：derivcheck 只能写 .json、.csv 或文本表格，不能写电子表格文件；"
        "请写成 report.csv，再用电子表格软件打开",
    ),
    "batch.no_answer_column": (
        "no 'answer' column: `derivcheck check` grades answers "
        "(columns id, function, answer; optionally var, at, student)",
        "没有 'answer' 列：`derivcheck check` 评阅的是答案"
        "（列为 id、function、answer，可选 var、at、student）",
    ),
    # ---- the journal and the report file ----
    "batch.not_a_journal": (
        "{path} is not a derivcheck journal; delete it to start again",
        "{path} 不是 derivcheck 的评阅记录；删除它即可重新开始",
    ),
    "batch.old_journal": (
        "{path} was written by another version of derivcheck; delete it to start again",
        "{path} 由另一版本的 derivcheck 写成；删除它即可重新开始",
    ),
    "batch.file_changed": (
        "the answer file changed since the interrupted run ({path}); "
        "run without --resume to grade it from the start",
        "自上次中断以来答案文件已经改变（{path}）；请不带 --resume 重新评阅",
    ),
    "batch.locked": (
        "another derivcheck is writing {path} (lock {lock}); wait for it to finish, "
        "or choose another --out",
        "另一个 derivcheck 正在写 {path}（锁文件 {lock}）；请等它结束，或换一个 --out",
    ),
    "batch.not_regular": (
        "{path} exists and is not a regular file (a link, a device or a folder); "
        "derivcheck writes only regular files: choose another --out",
        "{path} 已存在，但不是普通文件（是链接、设备或文件夹）；derivcheck 只写普通文件："
        "请换一个 --out",
    ),
    "batch.journal_failed": (
        "cannot write {path}: {reason}; the answers graded so far are kept in it "
        "(after freeing space, --resume continues)",
        "无法写入 {path}：{reason}；已评阅的答案仍保存在其中（腾出空间后用 --resume 继续）",
    ),
    "batch.journal_closed": ("the journal is closed", "评阅记录已关闭"),
    "batch.cannot_write_next_to": (
        "cannot write next to {out}: {reason}",
        "无法在 {out} 旁边写文件：{reason}",
    ),
    # ---- answer files ----
    "batch.file.where": ("{where}: {reason}", "{where}：{reason}"),
    "batch.file.line": ("{path}, line {line}", "{path}，第 {line} 行"),
    "batch.file.line_only": ("line {line}", "第 {line} 行"),
    "batch.file.too_large": (
        "file too large ({size} bytes; at most {limit})",
        "文件太大（{size} 字节；最多 {limit}）",
    ),
    "batch.file.directory": ("is a directory, not a file", "是文件夹，不是文件"),
    "batch.file.missing": ("no such file", "文件不存在"),
    "batch.file.unreadable": ("cannot read the file: {reason}", "无法读取文件：{reason}"),
    "batch.file.unknown_format": (
        "unknown format {format} (one of {formats})",
        "未知格式 {format}（可选 {formats}）",
    ),
    "batch.file.unknown_encoding": ("unknown encoding {encoding}", "未知编码 {encoding}"),
    "batch.file.not_utf8_nor_gbk": (
        "the file is neither UTF-8 nor GBK/GB18030 (byte 0x{byte}); "
        "give its encoding, e.g. --encoding big5 or --encoding cp1252",
        "文件既不是 UTF-8 也不是 GBK/GB18030（字节 0x{byte}）；"
        "请指定编码，例如 --encoding big5 或 --encoding cp1252",
    ),
    "batch.file.mixed_encodings": (
        "the file mixes encodings: line {utf8} is UTF-8 but this line is not (GBK?); "
        "save the whole file in one encoding, preferably UTF-8",
        "文件混用了多种编码：第 {utf8} 行是 UTF-8，而这一行不是（GBK？）；"
        "请把整个文件保存为同一种编码，最好是 UTF-8",
    ),
    "batch.file.cannot_decode": (
        "cannot be read as {encoding}: {reason}",
        "无法按 {encoding} 读取：{reason}",
    ),
    "batch.file.try_encoding": (
        "cannot be read as {encoding}: {reason}; try another --encoding",
        "无法按 {encoding} 读取：{reason}；请换一个 --encoding",
    ),
    "batch.file.workbook": (
        "this is an Excel workbook; save it as CSV (UTF-8) and check that file",
        "这是 Excel 工作簿；请另存为 CSV（UTF-8）再评阅那个文件",
    ),
    "batch.file.empty": ("the file is empty: expected a header line", "文件为空：缺少表头行"),
    "batch.file.unreadable_csv": ("unreadable CSV: {reason}", "无法读取的 CSV：{reason}"),
    "batch.file.two_columns": (
        "two columns mean {column}: {first} and {second}",
        "有两列都表示 {column}：{first} 和 {second}",
    ),
    "batch.file.no_function_column": (
        "no 'function' column (the header has {header}); "
        "expected columns id, function, answer and optionally var, at, student",
        "没有 'function' 列（表头是 {header}）；"
        "应有 id、function、answer 列，可选 var、at、student",
    ),
    "batch.file.nothing": ("nothing", "空"),
    "batch.file.invalid_json": ("invalid JSON: {reason}", "无效的 JSON：{reason}"),
    "batch.file.json_too_deep": ("invalid JSON: nested too deeply", "无效的 JSON：嵌套太深"),
    "batch.file.json_not_a_list": (
        "expected a list of objects with id, function, answer",
        "应是含 id、function、answer 的对象列表",
    ),
    "batch.file.invalid_yaml": ("invalid YAML: {reason}", "无效的 YAML：{reason}"),
    "batch.file.yaml_not_a_list": (
        "expected a list of mappings with id, function, answer",
        "应是含 id、function、answer 的映射列表",
    ),
    "batch.file.needs_pyyaml": (
        "reading YAML needs PyYAML: `pip install pyyaml` (or save the file as CSV or JSON)",
        "读取 YAML 需要 PyYAML：`pip install pyyaml`（或把文件另存为 CSV 或 JSON）",
    ),
    # ---- problems of one row (the other rows are still graded) ----
    "batch.row.too_many_fields": (
        "{fields} fields but the header has {width}; "
        "put formulas that contain the separator in double quotes",
        "有 {fields} 个字段，而表头只有 {width} 个；含分隔符的公式请用双引号括起来",
    ),
    "batch.row.no_function": ("the 'function' cell is empty", "'function' 单元格为空"),
    "batch.row.not_an_object": (
        "expected an object with id, function, answer",
        "应是含 id、function、answer 的对象",
    ),
    "batch.row.nested_value": (
        "{key} must be text or a number, not a {kind}",
        "{key} 必须是文本或数字，而不是{kind}",
    ),
    "batch.row.nested_value_yaml": (
        "{key} must be text or a number, not a {kind}; put formulas with {{ }} [ ] or | in quotes",
        "{key} 必须是文本或数字，而不是{kind}；含 {{ }}、[ ] 或 | 的公式请加引号",
    ),
    "batch.row.kind_list": ("list", "列表"),
    "batch.row.kind_mapping": ("mapping", "映射"),
    "batch.row.cell_too_long": (
        "a cell of {length} characters (at most {limit})",
        "单元格有 {length} 个字符（最多 {limit} 个）",
    ),
    "batch.row.truncated": (
        'the file ends inside a quoted cell (a closing " is missing): this row may be cut off',
        '文件在一个带引号的单元格中结束（缺少结尾的 "）：这一行可能不完整',
    ),
}
