"""Section 2: the same questionnaire on ctoready and on oTree, driven by the same client.

oTree (PyPI ``otree``) is installed into its own venv under var/bench/otree-venv, and its
project is generated here from benchmarks/bench-instrument.yaml into var/bench/otree:
nothing of oTree is committed. oTree serves as its documentation says, ``otree
prodserver`` (one uvicorn process, its default SQLite database); ctoready as ``ctoready
serve``. Both ask the same 50 Likert items on 10 pages and 6 one-scenario pages, then
show a results page.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import journey
import load
import yaml
from servers import BENCH_VAR, Server, Site, start

OTREE_VERSION = "6.0.15"
VENV = BENCH_VAR / "otree-venv"
PROJECT = BENCH_VAR / "otree"
INSTRUMENT = Path(__file__).resolve().parent / "bench-instrument.yaml"


class OtreeUnavailableError(Exception):
    pass


def install() -> Path:
    otree = VENV / "bin" / "otree"
    if otree.exists():
        return otree
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", f"otree=={OTREE_VERSION}"],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(VENV, ignore_errors=True)
        detail = (exc.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise OtreeUnavailableError(f"pip install otree failed: {detail[0]}") from exc
    return otree


def _name(item_id: str) -> str:
    return item_id.replace("-", "_")


def generate() -> None:
    """Write the oTree project: settings, one app with one page class per page."""
    data = yaml.safe_load(INSTRUMENT.read_text())
    items = {item["id"]: item for item in data["items"]}
    points = data["response_scales"]["frequency"]["points"]
    choices = [[p["value"], p["label"]] for p in points]
    fields, pages = [], []
    for number, page in enumerate(data["pages"], start=1):
        names = []
        for ref in page["items"]:
            item = items[ref]
            if item["type"] == "likert":
                label = json.dumps(item["text"])
                fields.append(
                    f"    {_name(ref)} = models.IntegerField(label={label}, "
                    f"choices={choices!r}, widget=widgets.RadioSelect)"
                )
                names.append(_name(ref))
            else:
                options = [[o["id"], o["text"]] for o in item["options"]]
                for end in ("best", "worst"):
                    label = json.dumps(f"{item['text'].strip()} — {end} option")
                    fields.append(
                        f"    {_name(ref)}_{end} = models.StringField(label={label}, "
                        f"choices={options!r}, widget=widgets.RadioSelect)"
                    )
                    names.append(f"{_name(ref)}_{end}")
        pages.append(
            f"class Page{number}(Page):\n    form_model = 'player'\n"
            f"    form_fields = {names!r}\n    template_name = 'bench/Page.html'\n"
        )
    scales: dict[str, list[tuple[str, bool]]] = {}
    for item in data["items"]:
        if item["type"] == "likert":
            scales.setdefault(item["scale"], []).append((_name(item["id"]), item.get("reverse")))
    app = PROJECT / "bench"
    app.mkdir(parents=True, exist_ok=True)
    (app / "__init__.py").write_text(
        "from otree.api import *\n\n\n"
        "class C(BaseConstants):\n    NAME_IN_URL = 'bench'\n"
        "    PLAYERS_PER_GROUP = None\n    NUM_ROUNDS = 1\n\n\n"
        "class Subsession(BaseSubsession):\n    pass\n\n\n"
        "class Group(BaseGroup):\n    pass\n\n\n"
        "class Player(BasePlayer):\n" + "\n".join(fields) + "\n\n\n"
        f"SCALES = {scales!r}\n\n\n" + "\n\n".join(pages) + "\n\n"
        "class Results(Page):\n"
        "    @staticmethod\n"
        "    def vars_for_template(player):\n"
        "        rows = []\n"
        "        for scale, refs in SCALES.items():\n"
        "            values = [6 - getattr(player, r) if rev else getattr(player, r)"
        " for r, rev in refs]\n"
        "            rows.append((scale, round(100 * (sum(values) / len(values) - 1) / 4)))\n"
        "        return dict(rows=rows)\n\n\n"
        f"page_sequence = [{', '.join(f'Page{n}' for n in range(1, len(pages) + 1))}, Results]\n"
    )
    (app / "Page.html").write_text(
        "{{ block title }}Questions{{ endblock }}\n"
        "{{ block content }}{{ formfields }}{{ next_button }}{{ endblock }}\n"
    )
    (app / "Results.html").write_text(
        "{{ block title }}Results{{ endblock }}\n{{ block content }}<table>"
        "{{ for row in rows }}<tr><th>{{ row.0 }}</th><td>{{ row.1 }}</td></tr>{{ endfor }}"
        "</table>{{ endblock }}\n"
    )
    (PROJECT / "settings.py").write_text(
        "SESSION_CONFIGS = [dict(name='bench', app_sequence=['bench'], "
        "num_demo_participants=1)]\n"
        "SESSION_CONFIG_DEFAULTS = dict(real_world_currency_per_point=1.00, "
        "participation_fee=0.00, doc='')\n"
        "PARTICIPANT_FIELDS = []\nSESSION_FIELDS = []\nLANGUAGE_CODE = 'en'\n"
        "REAL_WORLD_CURRENCY_CODE = 'USD'\nUSE_POINTS = True\nROOMS = []\n"
        "ADMIN_USERNAME = 'admin'\nADMIN_PASSWORD = 'bench-only'\n"
        "DEMO_PAGE_INTRO_HTML = ''\n"
        f"SECRET_KEY = {secrets.token_urlsafe(30)!r}\nINSTALLED_APPS = ['otree']\n"
    )
    (PROJECT / "_static").mkdir(exist_ok=True)
    (PROJECT / "__init__.py").write_text("")


def otree_env() -> dict[str, str]:
    return {
        "PATH": f"{VENV / 'bin'}:/usr/bin:/bin",
        "OTREE_PRODUCTION": "1",
        "OTREE_AUTH_LEVEL": "",
        "HOME": str(BENCH_VAR),
    }


def create_participants(otree: Path, count: int) -> list[str]:
    (PROJECT / "db.sqlite3").unlink(missing_ok=True)
    subprocess.run(
        [str(otree), "create_session", "bench", str(count)],
        cwd=PROJECT,
        env=otree_env(),
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    with sqlite3.connect(PROJECT / "db.sqlite3") as conn:
        rows = conn.execute("SELECT code FROM otree_participant ORDER BY id").fetchall()
    return [code for (code,) in rows]


def serve_otree(otree: Path) -> Server:
    return start([str(otree), "prodserver", "127.0.0.1:{port}"], otree_env(), "otree", PROJECT)


def section(site: Site, people: int, seconds: float, warmup: float) -> dict[str, object]:
    print("\n== A peer side by side: the same questionnaire on ctoready and oTree ==")
    q = load.questionnaire()
    site.prepare()
    server = journey.serve_ctoready(site)
    out: dict[str, object] = {}
    try:
        ours = journey.drive(server, load.Ctoready(q), people, seconds, warmup)
        journey.show(f"ctoready, with autosave, {people} candidates", ours, "journeys")
        plain = journey.drive(server, load.Ctoready(q, autosave=False), people, seconds, warmup)
        journey.show(f"ctoready, pages only (as oTree), {people} candidates", plain, "journeys")
    finally:
        server.stop()
    out["ctoready"], out["ctoready_pages_only"] = ours.summary(), plain.summary()
    try:
        otree = install()
        generate()
        codes = create_participants(otree, int(max(300, 40 * (seconds + warmup + 60))))
        server = serve_otree(otree)
    except (OtreeUnavailableError, subprocess.CalledProcessError, RuntimeError) as exc:
        reason = getattr(exc, "stderr", None) or str(exc)
        print(f"  oTree could not be run here: {str(reason).strip()[-500:]}")
        out["otree_error"] = str(reason)[-500:]
        return out
    try:
        theirs = journey.drive(server, load.Otree(q, codes), people, seconds, warmup)
        journey.show(f"oTree {OTREE_VERSION}, {people} participants", theirs, "journeys")
    finally:
        server.stop()
    out["otree"] = theirs.summary()
    for label, stats in (("with autosave", ours), ("pages only", plain)):
        cpu = theirs.cpu_ms_per_journey / stats.cpu_ms_per_journey
        out[f"cpu_ratio_{label.replace(' ', '_')}"] = round(cpu, 2)
        print(
            f"  server CPU per journey: ctoready ({label}) {stats.cpu_ms_per_journey:.0f} ms, "
            f"oTree {theirs.cpu_ms_per_journey:.0f} ms: oTree / ctoready {cpu:.2f}x "
            "(oTree runs one process, so it can use one core; ctoready two workers)"
        )
        ratio = stats.equivalent_rate / theirs.equivalent_rate if theirs.equivalent_rate else 0
        out[f"ratio_{label.replace(' ', '_')}"] = round(ratio, 2)
        print(
            f"  ctoready ({label}) / oTree, journeys per second counted in requests: "
            f"{ratio:.1f}x   (target >= 5x)"
        )
    return out
