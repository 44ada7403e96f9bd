"""Sections 5 and 6: kill -9 during autosaves, and a backup taken under load, restored."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import load
from httpclient import Browser, HTTPError
from servers import BENCH_VAR, Server, Site, drop_database, pg_url, serve_ctoready

# Crash safety ---------------------------------------------------------------------------


async def _autosave_until_killed(
    server: Server, q: load.Questionnaire, people: int, seconds: float
) -> tuple[list[list[object]], int, int]:
    """People autosave without pause; after ``seconds`` the server gets SIGKILL."""
    acked: dict[tuple[str, str], list[object]] = {}
    errors_before_kill = 0
    killed = False
    flow = load.Ctoready(q)
    stats = load.Stats()

    async def person(n: int) -> None:
        nonlocal errors_before_kill
        rng = random.Random(n)
        browser = Browser("127.0.0.1", server.port, timeout=30)
        try:
            public_id, csrf = await flow.begin(browser, stats, rng)
            while True:
                for question in q.questions:
                    fields = flow.answer(question, rng)
                    seq = flow.seq()
                    fields[f"s-{question.id}"] = str(seq)
                    await flow.save(browser, stats, public_id, csrf, fields)
                    value: object = (
                        {
                            "best": fields[f"q-{question.id}-best"],
                            "worst": fields[f"q-{question.id}-worst"],
                        }
                        if question.type == "scenario"
                        else int(fields[f"q-{question.id}"])
                    )
                    acked[(public_id, question.id)] = [public_id, question.id, seq, value]
                    stats.completed += 1
        except (HTTPError, load.UnexpectedResponseError, OSError):
            if not killed:
                errors_before_kill += 1
        finally:
            await browser.close()

    tasks = [asyncio.create_task(person(n)) for n in range(people)]
    # The kill comes ``seconds`` after saving is under way (starting can be slow on a
    # busy machine), and within a minute whatever happens.
    for _ in range(300):
        if stats.completed >= people:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(seconds)
    killed = True
    server.kill()
    await asyncio.wait(tasks, timeout=60)
    return list(acked.values()), errors_before_kill, stats.completed


def crash(site: Site, people: int, seconds: float) -> dict[str, object]:
    print(f"\n== Crash safety: kill -9 during autosaves ({site.name}) ==", flush=True)
    site.prepare()
    q = load.questionnaire()
    server = serve_ctoready(site)
    try:
        acked, errors, total = asyncio.run(_autosave_until_killed(server, q, people, seconds))
    finally:
        server.stop()
    server = serve_ctoready(site)  # restart: it must come back on the same database
    server.stop()
    path = BENCH_VAR / f"acks-{site.name}.json"
    path.write_text(json.dumps(acked))
    result = json.loads(site.python("dbcheck.py", "acks", str(path)))
    print(
        f"  {people} candidates autosaving for {seconds:.0f} s, then SIGKILL to every server "
        f"process; restarted. {total} saves acknowledged; the latest acknowledged answer to "
        f"each question: {result['acknowledged']}, found in the database {result['found']} "
        f"(target: all); errors before the kill: {errors}"
    )
    for row in result["missing"]:
        print(f"    MISSING {row}")
    return {**result, "saves_acknowledged": total, "errors_before_kill": errors}


# Backup drill ---------------------------------------------------------------------------

# Rows only ever added while candidates take the assessment (sessions are replaced).
GROWING = ("assessments_attempt", "assessments_answer", "assessments_link", "reports_report")


def _restored_site(site: Site) -> Site:
    if site.is_postgres:
        return Site(f"{site.name}-restored", pg_url(site.database_url or "", "bench_restored"))
    return Site(f"{site.name}-restored")


async def _load_with_backup(
    site: Site, server: Server, people: int, seconds: float, target: Path
) -> tuple[dict[str, int], dict[str, int], str]:
    q = load.questionnaire()
    run = asyncio.create_task(
        load.run(
            load.Ctoready(q),
            host="127.0.0.1",
            port=server.port,
            people=people,
            seconds=seconds,
            warmup=1,
        )
    )
    await asyncio.sleep(1 + seconds / 3)
    before = json.loads(await asyncio.to_thread(site.python, "dbcheck.py", "counts"))["counts"]
    said = await asyncio.to_thread(site.ctoready, "backup", "-o", str(target))
    after = json.loads(await asyncio.to_thread(site.python, "dbcheck.py", "counts"))["counts"]
    stats = await run
    if stats.errors:
        print(f"  load errors during the backup: {stats.errors} {stats.error_samples[:2]}")
    return before, after, said.strip()


def _fresh(restored: Site) -> None:
    restored.var_dir.mkdir(parents=True, exist_ok=True)
    if restored.is_postgres:
        from servers import recreate_database

        recreate_database(restored.database_url or "")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{restored.sqlite_path}{suffix}").unlink(missing_ok=True)


def backup(site: Site, people: int, seconds: float) -> dict[str, object]:
    print(f"\n== Backup drill ({site.name}) ==", flush=True)
    site.prepare()
    restored = _restored_site(site)
    busy, quiet = BENCH_VAR / f"busy-{site.name}.backup", BENCH_VAR / f"quiet-{site.name}.backup"
    server = serve_ctoready(site)
    try:
        before, after, said = asyncio.run(_load_with_backup(site, server, people, seconds, busy))
    finally:
        server.stop()
    print(f"  during load: {said}")
    _fresh(restored)
    print("  " + restored.ctoready("restore", str(busy)).strip())
    got = json.loads(restored.python("dbcheck.py", "counts"))
    inside = all(before.get(t, 0) <= got["counts"].get(t, -1) <= after.get(t, 0) for t in GROWING)
    print(
        f"  integrity: {got['integrity']}; rows per table between the counts taken just "
        f"before and just after the backup: {'yes' if inside else 'NO'}"
    )
    for table in GROWING:
        print(
            f"    {table:<24} before {before.get(table, 0):>8,}  restored "
            f"{got['counts'].get(table, 0):>8,}  after {after.get(table, 0):>8,}"
        )
    site.ctoready("backup", "-o", str(quiet))
    source = json.loads(site.python("dbcheck.py", "counts"))["counts"]
    refused = restored.ctoready("restore", str(quiet), check=False)
    clean_refusal = "not empty" in refused and "Traceback" not in refused
    restored.ctoready("restore", str(quiet), "--force")
    again = json.loads(restored.python("dbcheck.py", "counts"))
    equal = again["counts"] == source
    print(
        f"  quiescent backup restored over it: refused without --force: "
        f"{'yes' if clean_refusal else 'NO'}; with --force, equal row counts in all "
        f"{len(source)} tables: {'yes' if equal else 'NO'}; integrity: {again['integrity']}"
    )
    if not equal:
        for table in sorted(set(source) | set(again["counts"])):
            if source.get(table) != again["counts"].get(table):
                print(
                    f"    {table}: source {source.get(table)} restored {again['counts'].get(table)}"
                )
    if restored.is_postgres:
        drop_database(restored.database_url or "")
    return {
        "busy_integrity": got["integrity"],
        "busy_within_bounds": inside,
        "refused_without_force": clean_refusal,
        "quiet_equal_counts": equal,
        "quiet_integrity": again["integrity"],
    }
