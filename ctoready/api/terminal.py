"""The assessment in a terminal: rich prompts, a progress bar, resume where you left off."""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.prompt import Confirm, Prompt
from rich.table import Table

from ctoready.api.takeclient import Backend, StateFile, TakeError

QUIT, SKIP = "q", "s"


class QuitError(Exception):
    """The person typed q: everything answered so far is already saved."""


@dataclass
class Options:
    instrument: str | None
    context: str | None
    lang: str
    out_dir: Path
    new: bool = False


class Session:
    def __init__(self, console: Console, backend: Backend, state: StateFile) -> None:
        self.console, self.backend, self.state = console, backend, state
        self.aid = self.token = ""
        self.last_seq = 0

    # Starting and resuming

    def run(self, options: Options) -> int:
        try:
            attempt = self._resume(options) or self._start(options)
            if attempt["status"] == "in_progress":
                self._answer_all(attempt)
                if not self._confirm_finish():
                    raise QuitError
                summary = self.backend.finish(self.aid, self.token)
            elif attempt["status"] == "finished":
                summary = self.backend.summary(self.aid, self.token)
            else:
                self.console.print("[red]This assessment has expired.[/] Start again with --new.")
                return 1
        except QuitError:
            self.console.print(
                "\nYour answers are saved. Run [bold]ctoready take[/] again to continue."
            )
            return 0
        self._show_summary(summary)
        self._save_reports(options.out_dir)
        return 0

    def _resume(self, options: Options) -> dict[str, Any] | None:
        saved = self.state.get(self.backend.target)
        if saved is None:
            return None
        if options.new:
            self.state.forget(self.backend.target)
            return None
        try:
            attempt = self.backend.attempt(saved["attempt"], saved["token"])
        except TakeError as exc:
            if exc.status not in {401, 404}:
                raise
            self.console.print("Your saved assessment is no longer available; starting anew.")
            self.state.forget(self.backend.target)
            return None
        self.aid, self.token = saved["attempt"], saved["token"]
        if attempt["status"] == "in_progress":
            progress = attempt["progress"]
            self.console.print(
                f"Welcome back: {progress['answered']} of {progress['total']} questions "
                "answered. Carrying on where you left off."
            )
        return attempt

    def _start(self, options: Options) -> dict[str, Any]:
        listed = [i for i in self.backend.instruments() if i["locale"] == options.lang]
        listed = listed or self.backend.instruments()
        if options.instrument:
            listed = [i for i in listed if i["id"] == options.instrument]
        if not listed:
            raise TakeError("not_found", "No published instrument matches.")
        instrument = listed[0]
        self.console.print(
            Panel(
                f"{instrument['description']}\n\nAbout {instrument['estimated_minutes']} "
                "minutes. Type [bold]q[/] at any question to stop; your answers are saved "
                "and [bold]ctoready take[/] resumes. Type [bold]s[/] to skip a question.",
                title=instrument["title"],
            )
        )
        context = options.context or self._choose_context(instrument["contexts"])
        started = self.backend.start(
            instrument=instrument["id"], context=context, lang=options.lang
        )
        self.aid, self.token = started["attempt"]["id"], started["token"]
        self.state.put(self.backend.target, self.aid, self.token)
        return dict(started["attempt"])

    def _choose_context(self, contexts: list[dict[str, Any]]) -> str:
        self.console.print("\n[bold]The role you are aiming for[/]")
        for number, context in enumerate(contexts, start=1):
            self.console.print(f"  {number}. {context['name']}")
        choice = self._ask("Your choice", [str(n) for n in range(1, len(contexts) + 1)])
        if choice in {QUIT, SKIP}:
            raise QuitError
        return str(contexts[int(choice) - 1]["id"])

    # Answering

    def _answer_all(self, attempt: dict[str, Any]) -> None:
        start = attempt["next_page"] or 1
        for row in attempt["progress"]["pages"]:
            if row["number"] < start:
                continue
            page = self.backend.page(self.aid, self.token, row["number"])
            pending = [q for q in page["questions"] if q["answer"] is None]
            if not pending:
                continue
            self._page_header(page)
            answered = page["answered"]
            for question in pending:
                self._progress(answered, page["total"])
                if self._ask_question(question, page["stem"]):
                    answered += 1

    def _page_header(self, page: dict[str, Any]) -> None:
        self.console.rule(f"Page {page['number']} of {page['pages']}: {page['title']}")
        if page["intro"]:
            self.console.print(page["intro"])
        if page["stem"]:
            self.console.print(f"[italic]{page['stem']}[/]")

    def _progress(self, answered: int, total: int) -> None:
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            ProgressBar(total=max(total, 1), completed=answered, width=40),
            f"{answered}/{total} answered",
        )
        self.console.print(grid)

    def _ask_question(self, question: dict[str, Any], page_stem: str | None) -> bool:
        """Ask, save, and say whether it was answered (False when skipped)."""
        self.console.print(f"\n[bold]{question['number']}. {self._text(question, page_stem)}[/]")
        value = self._value(question)
        if value is None:
            return False
        result = self.backend.save(self.aid, self.token, question["id"], value, self._seq())
        if not result["saved"]:
            self.console.print("[yellow]A newer answer from elsewhere was kept.[/]")
        return True

    def _text(self, question: dict[str, Any], page_stem: str | None) -> str:
        if question["type"] == "scenario":
            return f"{question['title'] or ''}\n{question['text']}\n{question['question'] or ''}"
        scale = question["scale"]
        if scale and scale["stem"] and scale["stem"] != page_stem:
            return f"{scale['stem']} {question['text']}"
        return str(question["text"])

    def _value(self, question: dict[str, Any]) -> Any:
        if question["type"] == "likert":
            return self._likert(question["scale"])
        options = question["options"]
        for number, option in enumerate(options, start=1):
            self.console.print(f"  {number}. {option['text']}")
        numbers = [str(n) for n in range(1, len(options) + 1)]
        if question["type"] == "scenario" and question["mode"] == "rate_each":
            return self._rate_each(options)
        if question["type"] == "scenario":
            return self._best_worst(options, numbers)
        choice = self._ask("Your answer", numbers)
        return None if choice == SKIP else options[int(choice) - 1]["id"]

    def _likert(self, scale: dict[str, Any]) -> Any:
        labels = [f"{p['value']} {p['label']}" for p in scale["points"]]
        choices = [str(p["value"]) for p in scale["points"]]
        if scale["no_opportunity"]:
            labels.append(f"n {scale['no_opportunity']}")
            choices.append("n")
        self.console.print("  " + " · ".join(labels))
        choice = self._ask("Your answer", choices)
        if choice == SKIP:
            return None
        return "na" if choice == "n" else int(choice)

    def _best_worst(self, options: list[dict[str, Any]], numbers: list[str]) -> Any:
        best = self._ask("Most effective", numbers)
        if best == SKIP:
            return None
        worst = self._ask("Least effective", [n for n in numbers if n != best])
        if worst == SKIP:
            return {"best": options[int(best) - 1]["id"]}
        return {"best": options[int(best) - 1]["id"], "worst": options[int(worst) - 1]["id"]}

    def _rate_each(self, options: list[dict[str, Any]]) -> Any:
        ratings = {}
        for number, option in enumerate(options, start=1):
            rating = self._ask(f"Rate {number} from 1 to 5", ["1", "2", "3", "4", "5"])
            if rating != SKIP:
                ratings[option["id"]] = int(rating)
        return ratings or None

    def _ask(self, prompt: str, choices: list[str]) -> str:
        answer = Prompt.ask(
            f"{prompt} [dim]({'/'.join(choices)}, s skip, q quit)[/]",
            choices=[*choices, SKIP, QUIT],
            show_choices=False,
            console=self.console,
        )
        if answer == QUIT:
            raise QuitError
        return answer

    def _seq(self) -> int:
        """Milliseconds, strictly increasing: a later answer always wins."""
        self.last_seq = max(self.last_seq + 1, time.time_ns() // 1_000_000)
        return self.last_seq

    def _confirm_finish(self) -> bool:
        attempt = self.backend.attempt(self.aid, self.token)
        progress = attempt["progress"]
        missing = progress["total"] - progress["answered"]
        self.console.rule("Review")
        note = f" {missing} left unanswered." if missing else ""
        self.console.print(f"You answered {progress['answered']} of {progress['total']}.{note}")
        return Confirm.ask(
            "Finish now and see your report? Answers cannot change afterwards",
            console=self.console,
        )

    # The report

    def _show_summary(self, summary: dict[str, Any]) -> None:
        readiness = summary["readiness"]
        headline = (
            f"{readiness['score']} (likely {readiness['low']}–{readiness['high']})"
            if readiness
            else "not enough answers to say"
        )
        lines = [f"Readiness for {summary['context']}: [bold]{headline}[/]"]
        if summary.get("level_range"):
            lines.append(
                "Between {} and {} (the range crosses a cut-off)".format(*summary["level_range"])
            )
        if summary["level"]:
            lines.append(f"{summary['level']}: {summary['level_text']}")
        if summary.get("missing_experience"):
            missing = "; ".join(summary["missing_experience"])
            lines.append(f"Experience to gain (not a weakness): {missing}")
        self.console.print(Panel("\n".join(lines), title="Your CTO readiness report"))
        table = Table("Area", "Score", "Likely range", "Reading")
        for scale in summary["scales"]:
            value = scale["value"]
            table.add_row(
                scale["name"],
                str(value["score"]) if value else "—",
                f"{value['low']}–{value['high']}" if value else "—",
                scale["classification"].replace("_", " "),
            )
        self.console.print(table)
        for label, key in (
            ("Strengths", "strengths"),
            ("Development areas", "developments"),
            ("Experience gaps", "experience_gaps"),
        ):
            if summary[key]:
                self.console.print(f"[bold]{label}:[/] {', '.join(summary[key])}")
        judgement = summary.get("judgement")
        index = (
            f"{judgement['score']} (likely {judgement['low']}–{judgement['high']})"
            if judgement
            else "not enough scenarios answered for an index"
        )
        key = summary.get("judgement_key") or "our provisional key"
        self.console.print(f"[bold]Situational judgement:[/] {index}; compared with {key}")
        for label, key in (("Role fit", "role_reading"), ("CTO type", "type_reading")):
            reading = summary.get(key)
            if reading:
                self.console.print(f"[bold]{label}:[/] {reading['preference']} {reading['scores']}")
                self.console.print(f"  {reading['combined']}")
                if reading.get("note"):
                    self.console.print(f"  {reading['note']}")

    def _save_reports(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt in ("json", "pdf"):
            path = out_dir / f"cto-readiness-{self.aid}.{fmt}"
            path.write_bytes(self.backend.report(self.aid, self.token, fmt))
            self.console.print(f"Saved the {fmt.upper()} report: {path.resolve()}")
