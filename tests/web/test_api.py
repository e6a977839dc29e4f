"""Every endpoint of the JSON API through Starlette's TestClient, with the real worker pool:
valid requests (values checked against mathematics and the chapter's printed numbers),
invalid ones (each error names its field and says what the command line says), hostile
ones (code, markup, a time bomb) and oversized ones."""

from __future__ import annotations

import json
import math

import pytest

from tests.web.conftest import REPO, SECONDS, TIME_BOMB

CHAPTER = "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2"
SECTION_2 = {"x": 2, "target": 1, "w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2}


def explain(client, **fields):
    return client.post("/api/explain", json=fields)


# ---- the page and its description ----


def test_the_page_is_served_with_a_policy_that_runs_only_its_own_scripts(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'none'" in policy
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<title>derivcheck: explain and check derivatives</title>" in page.text
    chinese = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh-CN">' in chinese.text and "讲解并验证导数" in chinese.text
    for asset in ("/static/js/main.js", "/static/vendor/katex/katex.min.js",
                  "/static/vendor/mermaid/mermaid.min.js", "/static/css/page.css"):  # fmt: skip
        assert client.get(asset).status_code == 200, asset


def test_health_and_openapi_describe_every_endpoint(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok"
    assert health["lanes"]["quick"]["alive"] == 2 and health["lanes"]["long"]["alive"] == 1
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"] == "3.1.0"
    from derivcheck.web.api import ENDPOINTS

    for endpoint in ENDPOINTS.values():
        assert endpoint.method.lower() in spec["paths"][endpoint.path], endpoint.path
    explain_body = spec["paths"]["/api/explain"]["post"]["requestBody"]["content"]
    fields = explain_body["application/json"]["schema"]["properties"]
    assert {"expr", "at", "wrt", "order", "lang"} <= set(fields)


def test_words_come_in_both_languages_for_every_key(client):
    words = client.get("/api/words").json()["words"]
    assert set(words["en"]) == set(words["zh"]) and "web.tab.explain" in words["en"]
    assert words["zh"]["web.tab.explain"] == "讲解"


# ---- explain ----


def test_explain_gives_the_chapters_section_1_4_with_its_three_steps(client, run_cli):
    response = explain(client, expr="sin(exp(x^2))", at="0.5")
    assert response.status_code == 200
    data = response.json()
    x = 0.5
    truth = 2 * x * math.exp(x * x) * math.cos(math.exp(x * x))
    assert data["value"] == "0.363194914801726"
    assert data["explanation"]["value"] == pytest.approx(truth, rel=1e-15)
    assert [s["name"] for s in data["explanation"]["steps"]] == ["u1", "u2", "y"]
    assert [s["kind"] for s in data["sections"]] == ["forward", "local", "chain", "exact",
                                                     "numeric"]  # fmt: skip
    chain = data["sections"][2]["blocks"][0]["rows"][0]
    assert chain["rhs"].endswith("= 0.363194914801726")
    assert data["latex"].startswith("\\begin{align*}")
    assert data["mermaid"].startswith("flowchart LR")
    assert data["text"] == run_cli("explain", "sin(exp(x^2))", "--at", "0.5").stdout
    assert data["explanation"]["agrees"] is True


def test_explain_the_chapters_network_gives_its_gradient_and_update(client):
    data = explain(client, expr=CHAPTER, at=SECTION_2, wrt="w1,b1,w2,b2", lr="0.1").json()
    assert data["explanation"]["gradient"] == {"w1": 1.356, "b1": 0.678, "w2": -2.486,
                                               "b2": -2.26}  # fmt: skip
    assert data["gradient"]["w1"] == "1.356"
    assert data["update"]["after"] == {"w1": 0.3644, "b1": 0.0322, "w2": -0.0514, "b2": 0.426}
    nodes = {n["name"]: n for n in data["graph"]["nodes"]}
    assert nodes["w1"]["adjoint"] == 1.356 and nodes["L"]["adjoint"] == 1.0
    assert nodes["w1"]["adjoint_text"] == "∂L/∂w1 = 1.356"
    backward = [s for s in data["sections"] if s["kind"] == "backward"][0]
    assert len(backward["blocks"][0]["rows"]) == 7  # dL/dy, w2, b2, h, z1, w1, b1
    # the point may also be typed as text, as on the page
    typed = explain(client, expr=CHAPTER, at="x=2, target=1, w1=0.5, b1=0.1, w2=-0.3, b2=0.2",
                    wrt=["w1", "b1", "w2", "b2"], lr=0.1).json()  # fmt: skip
    assert typed["explanation"]["gradient"] == data["explanation"]["gradient"]


def test_explain_in_chinese_says_everything_in_chinese(client):
    from tests.english import english_runs

    data = explain(client, expr="sin(exp(x^2))", at=0.5, lang="zh").json()
    assert "处的导数" in "".join(p.get("text", "") for p in data["title"])
    assert english_runs(data["text"]) == [], data["text"]


def test_the_same_input_gives_the_same_output_as_computing_it_here(client):
    from derivcheck.web.api import read_request
    from derivcheck.web.jobs import explain_job

    request = {"expr": "x*sin(x)/(1+x^2)", "at": "2", "lang": "en"}
    first = explain(client, **request).content
    assert explain(client, **request).content == first
    here = explain_job(read_request("explain", request))
    assert json.loads(first) == json.loads(json.dumps(here))


def test_without_a_point_the_symbolic_derivation(client, run_cli):
    import sympy

    from derivcheck.reading.parser import symbol

    x = symbol("x")
    response = explain(client, expr="x^x")
    assert response.status_code == 200, response.text
    data = response.json()
    e = data["explanation"]
    assert data["value"] is None and e["value"] is None and e["point"] is None
    truth = sympy.diff(x**x, x)  # checked against SymPy's derivative, not derivcheck's
    shown = sympy.sympify(e["orders"][0]["derivative"], locals={"x": x})
    assert sympy.simplify(shown - truth) == 0
    assert "x^{x}" in data["derivative"]
    assert e["agrees"] is True and len(e["samples"]) == 3
    assert all(s["agrees"] for s in e["samples"])
    kinds = [s["kind"] for s in data["sections"]]
    assert kinds[:3] == ["forward", "local", "order1"] and kinds[-2:] == ["samples", "summary"]
    assert data["latex"].startswith("\\begin{align*}")
    assert data["text"] == run_cli("explain", "x^x").stdout
    assert data["mermaid"].startswith("flowchart LR") and data["graph"] is None
    assert data["symbols"] == {"x": "\\frac{dy}{dx}"}


@pytest.mark.parametrize("order", [2, 3, 4])
def test_order_n_at_a_point_gives_every_order_with_its_check(client, order):
    import sympy

    from derivcheck.reading.parser import symbol

    x = symbol("x")
    data = explain(client, expr="e^(-x^2)", at="1", order=order).json()
    e = data["explanation"]
    truths = [sympy.diff(sympy.exp(-(x**2)), x, k).subs(x, 1) for k in range(1, order + 1)]
    assert [o["value"] for o in e["orders"]] == pytest.approx([float(t) for t in truths])
    assert e["value"] == pytest.approx(float(truths[-1]), rel=1e-14)
    assert all(o["verdict"]["agrees"] for o in e["orders"])
    assert [o["order"] for o in e["orders"]] == list(range(1, order + 1))
    assert data["order"] == order and float(data["value"]) == pytest.approx(float(truths[-1]))
    assert [s["kind"] for s in data["sections"]][:order] == [
        f"order{k}" for k in range(1, 1 + order)
    ]
    assert data["symbols"]["x"] == f"\\frac{{d^{{{order}}}y}}{{dx^{{{order}}}}}"


def test_order_n_without_a_point_and_the_hessian(client):
    import sympy

    from derivcheck.reading.parser import symbol

    x, y = symbol("x"), symbol("y")
    data = explain(client, expr="1/(1+x^2)", order=3).json()
    shown = sympy.sympify(data["explanation"]["orders"][-1]["derivative"], locals={"x": x})
    assert sympy.simplify(shown - sympy.diff(1 / (1 + x**2), x, 3)) == 0
    assert data["value"] is None and data["explanation"]["agrees"] is True
    f = x**2 * y**3 + sympy.sin(x * y)
    hessian = explain(client, expr="x^2 y^3 + sin(x y)", at={"x": 1, "y": 2}, order=2).json()
    assert not hessian["single"]
    for a in (x, y):
        for b in (x, y):
            truth = float(sympy.diff(f, a, b).subs({x: 1, y: 2}))
            assert hessian["hessian"][a.name][b.name] == pytest.approx(truth, rel=1e-13)
    assert hessian["gradient"]["x"] and hessian["explanation"]["agrees"] is True


def test_order_n_in_chinese(client):
    from tests.english import english_runs

    data = explain(client, expr="sin(exp(x^2))", at="0.5", order=3, lang="zh").json()
    assert english_runs(data["text"]) == [], data["text"]
    title = "".join(p.get("text", "") for p in data["title"])
    assert "高阶导数" in title


@pytest.mark.parametrize(
    ("fields", "key", "field"),
    [
        ({"expr": "x^3", "at": 1, "order": 0}, "orders.bad_order", "order"),
        ({"expr": "x^3", "at": 1, "order": "2"}, "web.field_type", None),
        ({"expr": "x^3", "order": 2, "lr": "0.1"}, "web.lr_needs_point", "lr"),
    ],
)
def test_bad_orders(client, fields, key, field):
    response = explain(client, **fields)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["key"] == key and error["field"] == field


def test_check_grades_a_higher_order(client):
    response = client.post(
        "/api/check", json={"function": "sin(x^2)", "answer": "2x cos(x^2)", "order": 2}
    )
    data = response.json()
    assert data["verdict"] == "incorrect" and data["diagnosis"] == "not-differentiated"
    assert data["order"] == 2 and data["asked"] == "f″"
    right = client.post(
        "/api/check",
        json={"function": "sin(x^2)", "answer": "2cos(x^2) - 4x^2 sin(x^2)", "order": 2},
    ).json()
    assert right["verdict"] == "correct"


@pytest.mark.parametrize(
    ("fields", "key", "field"),
    [
        ({"at": 1}, "web.missing_field", None),
        ({"expr": "x", "at": 1, "exp": 2}, "web.unknown_field", None),
        ({"expr": 5, "at": 1}, "web.field_type", None),
        ({"expr": "x", "at": [1]}, "web.field_type", None),
        ({"expr": "x", "at": 1, "lang": "fr"}, "web.field_type", None),
        ({"expr": "z = x^2; y = z + 1"}, "orders.program", "expr"),
        ({"expr": "x*y", "at": 1}, "web.several_variables", "at"),
        ({"expr": "x*y", "at": "x=1"}, "web.no_value", "at"),
        ({"expr": "x^2", "at": "1/"}, "explain.point_parse", "at"),
        ({"expr": "x^2", "at": "x=1, x=2"}, "parse.point_twice", "at"),
        ({"expr": "x^2", "at": {"x": 1}, "wrt": "q"}, "explain.unknown_name", "wrt"),
        ({"expr": "foo(x)", "at": 1}, "parse.unknown_function", "expr"),
    ],
)
def test_each_bad_request_names_its_problem_and_field(client, fields, key, field):
    response = explain(client, **fields)
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["key"] == key and error["field"] == field
    assert error["message"]


def test_a_parse_error_says_what_the_command_line_says_with_its_caret(client, run_cli):
    for lang in ("en", "zh"):
        response = explain(client, expr="6（2x+1）²）", at=1, lang=lang)
        error = response.json()["error"]
        cli = run_cli("explain", "6（2x+1）²）", "--at", "1", "--lang", lang)
        assert cli.returncode == 2
        prefix = "derivcheck: error: " if lang == "en" else "derivcheck：错误："
        assert cli.stderr == prefix + error["message"] + "\n"
        assert error["message"].splitlines()[-1].strip() == "^" and error["position"] == 8


def test_a_body_that_is_not_a_json_object_is_refused(client):
    for body, key in ((b"{not json", "web.not_json"), (b"[1, 2]", "web.not_object"),
                      (b"\xff\xfe", "web.not_json"), (b"[" * 100000, "web.not_json")):  # fmt: skip
        response = client.post("/api/explain", content=body)
        assert response.status_code == 400 and response.json()["error"]["key"] == key


# ---- hostile input ----


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('echo pwned')", "<img src=x onerror=alert(1)>",
     "x'); alert(1); ('", "\\href{javascript:alert(1)}{x}", "lambda: 1", "x.__class__"],
)  # fmt: skip
def test_code_and_markup_are_read_as_formulas_and_refused_as_such(client, text):
    response = explain(client, expr=text, at=1)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["key"].startswith("parse.") and error["field"] == "expr"
    assert error["text"] == text  # reported as text, for the page to show as text


def test_a_computation_past_the_limit_stops_with_a_clear_error_and_the_server_goes_on(client):
    before = client.get("/api/health").json()["lanes"]["long"]
    response = explain(client, **TIME_BOMB)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["key"] == "limits.took_too_long"
    assert error["message"] == f"the computation took longer than {SECONDS:g} s and was stopped"
    after = client.get("/api/health").json()["lanes"]["long"]
    assert after["limit"] == before["limit"] + 1 and after["killed"] == before["killed"] + 1
    assert explain(client, expr="(3x+2)^2", at=1).json()["value"] == "30"


def test_an_oversized_request_is_refused_before_it_is_read(client):
    huge = json.dumps({"expr": "x+" * 200_000 + "x", "at": 1})
    response = client.post("/api/explain", content=huge,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    assert response.json()["error"]["key"] == "web.too_large"

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b"x" * 10_000

    streamed = client.post("/api/explain", content=chunks(),
                           headers={"Accept-Language": "zh"})  # fmt: skip
    assert streamed.status_code == 413 and "字节" in streamed.json()["error"]["message"]
    long_text = explain(client, expr="x+" * 10_001, at=1)
    assert long_text.status_code == 400 and long_text.json()["error"]["key"] == "web.too_long"


def test_a_full_server_says_when_to_come_back(client, monkeypatch):
    from derivcheck.web.pool import Busy

    async def busy(job, payload):
        raise Busy("quick", 1)

    monkeypatch.setattr(client.app.state.server.pool, "call", busy)
    response = explain(client, expr="x^5", at=7, lang="zh")
    assert response.status_code == 429 and response.headers["retry-after"] == "1"
    assert response.json()["error"]["message"] == "服务器繁忙：请在 1 秒后重试"


def test_unknown_paths_and_methods_get_json_errors(client):
    missing = client.get("/api/nothing")
    assert missing.status_code == 404 and missing.json()["error"]["key"] == "web.not_found"
    wrong = client.get("/api/explain")
    assert wrong.status_code == 405 and "POST" in wrong.json()["error"]["message"]


# ---- parse, derive, plot ----


def test_parse_reads_as_explain_does_for_the_live_preview(client):
    import sympy

    from derivcheck import parse
    from derivcheck.render.printing import show

    formula = client.post("/api/parse", json={"expr": "sin x^2 + √(1+x²)"}).json()
    x = sympy.Symbol("x", real=True)
    assert parse("sin x^2 + √(1+x²)") == sympy.sin(x**2) + sympy.sqrt(1 + x**2)
    assert formula["kind"] == "formula" and formula["text"] == [show(parse("sin x^2 + √(1+x²)"))]
    program = client.post("/api/parse", json={"expr": CHAPTER}).json()
    assert program["kind"] == "program" and program["output"] == "L"
    assert program["latex"][0] == "z_{1} = b_{1} + w_{1} x"
    bad = client.post("/api/parse", json={"expr": "sin(x", "lang": "zh"})
    assert bad.status_code == 400 and bad.json()["error"]["position"] == 3


def test_derive_gives_the_rule_by_rule_derivation(client):
    data = client.post("/api/derive", json={"expr": "x^x"}).json()
    assert [s["kind"] for s in data["sections"]] == ["rules", "rules_used", "result"]
    import sympy

    from derivcheck.render.latex import latex_expr

    x = sympy.Symbol("x", real=True)
    truth = x**x * (sympy.log(x) + 1)
    assert sympy.simplify(truth - sympy.diff(x**x, x)) == 0
    assert data["derivative"] == latex_expr(truth) and data["variable"] == "x"


def test_plot_is_the_picture_explain_draws(client):
    png = client.get("/api/plot.png", params={"expr": "x^3", "at": "1"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    several = client.get("/api/plot.png", params={"expr": "x*y", "at": "x=1, y=2"})
    assert several.status_code == 400 and several.headers["content-type"] == "application/json"


# ---- check and grade ----


def test_check_names_the_mistake_and_gives_the_derivative(client):
    data = client.post("/api/check", json={"function": "(2x+1)^3", "answer": "3(2x+1)^2"}).json()
    assert (data["verdict"], data["diagnosis"]) == ("incorrect", "missing-inner-derivative")
    assert data["expected_latex"] == "6 \\left(2 x + 1\\right)^{2}"
    chinese = client.post("/api/check", json={"function": "x^3", "answer": "3x^3",
                                               "lang": "zh"}).json()  # fmt: skip
    assert chinese["message"] == "幂函数求导：(uⁿ)′ = n·uⁿ⁻¹，x 的指数要减 1（从 3 变为 2）。"
    value = client.post("/api/check", json={"function": "(2x+1)^3", "answer": "54",
                                             "at": "1"}).json()  # fmt: skip
    assert value["verdict"] == "correct" and value["expected_value"] == "54"
    hostile = client.post("/api/check", json={"function": "x^2",
                                               "answer": "__import__('os')"}).json()  # fmt: skip
    assert hostile["verdict"] == "unparseable" and hostile["parse_error"]["position"] == 0


ANSWERS = REPO / "examples" / "answers.csv"


def _lines(response) -> list[dict]:
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def test_grade_streams_the_report_derivcheck_check_writes(client, run_cli):
    from derivcheck.grading.batch import check_answers

    data = ANSWERS.read_bytes()
    response = client.post("/api/grade", params={"name": "answers.csv"}, content=data)
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = _lines(response)
    assert lines[0] == {"type": "start", "answers": 22, "file": "answers.csv",
                        "format": "csv", "encoding": "utf-8"}  # fmt: skip
    results = [line["result"] for line in lines if line["type"] == "result"]
    report = check_answers(ANSWERS)
    assert results == [r.to_dict() for r in report.results]
    assert lines[-1] == {"type": "summary", "summary": json.loads(json.dumps(report.summary))}
    for format in ("csv", "json"):
        download = client.post("/api/grade", params={"name": "answers.csv", "format": format},
                               content=data)  # fmt: skip
        cli = run_cli("check", ANSWERS, "--format", format)
        assert download.text == ("\ufeff" if format == "csv" else "") + cli.stdout
        assert download.headers["content-disposition"] == f'attachment; filename="report.{format}"'


def test_grade_takes_a_form_upload_and_refuses_unusable_files(client):
    form = client.post("/api/grade", files={"file": ("answers.csv", ANSWERS.read_bytes())})
    assert sum(1 for line in _lines(form) if line["type"] == "result") == 22
    no_file = client.post("/api/grade", content=b"")
    assert no_file.status_code == 400 and no_file.json()["error"]["key"] == "web.no_file"
    sheet = client.post("/api/grade", params={"name": "sheet.csv"}, content=b"id,f\n1,x^2\n")
    assert sheet.status_code == 400 and "function" in sheet.json()["error"]["message"]
    rows = "id,function,answer\n" + "".join(f"{k},x^2,2x\n" for k in range(5001))
    many = client.post("/api/grade", params={"name": "big.csv"}, content=rows.encode())
    assert many.status_code == 400 and many.json()["error"]["key"] == "web.too_many_rows"
    large = client.post("/api/grade", content=b"x" * (1024 * 1024 + 1))
    assert large.status_code == 413
