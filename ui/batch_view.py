"""The batch page: upload many applicants or cards, check them, run them with progress and Stop."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from kyc import documents
from kyc.documents import DocumentError
from kyc.errors import KycError
from ui import access, backend, calls, charts, i18n, state
from ui.i18n import _, ngettext, tr
from ui.setup import PageContext
from ui.text import esc
from workflows import batch, batch_results, budget
from workflows.applicant_file import ApplicantFileError, read_applicants, template_csv

INCOME_JOB, NPWP_JOB = "batch_income_job", "batch_npwp_job"
STATUS_LABELS = batch_results.STATUS_LABELS
POLL_SECONDS = 0.5


def controls(prefix: str, default_workers: int) -> tuple[int, float | None]:
    left, right = st.columns(2)
    workers = left.number_input(
        _("Concurrent calls"),
        1,
        16,
        default_workers,
        key=f"{prefix}_workers",
        help=_("How many calls are in flight at once."),
    )
    rps = right.number_input(
        _("Requests per second (0 = no cap)"),
        0.0,
        100.0,
        0.0,
        step=1.0,
        key=f"{prefix}_rps",
        help=_("A cap that keeps a run within the vendor's rate limit."),
    )
    return int(workers), (float(rps) or None)


def _current(key: str, source: str) -> dict[str, Any] | None:
    """This page's run, if it belongs to ``source`` (a digest of the uploaded file or files).

    Results belong to the file they ran on: a new file stops and forgets the last one's run.
    """
    run = state.get(key)
    if run and run["source"] != source:
        run["run"].stop()
        state.put(key, None)
        return None
    return run


def _run_button(label: str, key: str, run: dict[str, Any] | None, ready: bool, blocked: str | None) -> bool:
    """The run button: off when there is nothing to send, while a pass still runs, or when
    ``blocked`` says why nothing can be sent (shown beside it)."""
    busy = run is not None and run["run"].running
    left, right = st.columns([1, 3], vertical_alignment="center")
    if blocked:
        right.caption(f":material/block: {esc(blocked)}")
    return left.button(label, key=key, type="primary", icon=":material/play_arrow:", disabled=not ready or busy or bool(blocked))


def _confirmed(key: str, source: str, count: int, api: str) -> bool:
    """Live mode: the run button asked for this; True once the person confirms the billed calls.

    Says how many billed calls the run makes and what is left of the day's budget on this
    server; a run the budget cannot hold whole stops at the budget (``workflows.budget``).
    """
    asked = f"{key}_confirm"
    if state.get(asked) != source:
        return False
    prefix = "batch" if key == INCOME_JOB else "batch_npwp"
    vendor = backend.VENDORS[api]
    current = backend.meter()
    usage = current.usage(api)
    calls_line = ngettext(
        "This batch makes {count} billed call to {vendor}.", "This batch makes {count} billed calls to {vendor}.", count
    ).format(count=count, vendor=vendor)
    left = None if usage is None else usage.left
    if usage is None:
        budget_line = _("Today's count of live calls on this server cannot be read.")
    elif usage.limit is None:
        budget_line = ngettext(
            "No daily limit is set on this server ({used} live call today).",
            "No daily limit is set on this server ({used} live calls today).",
            usage.used,
        ).format(used=usage.used)
    elif left == 0:
        budget_line = backend.spent_text(api) or ""
    elif left is not None and left < count:
        budget_line = _(
            "Today's budget on this server has {left} of {limit} calls left: the run stops after {left}, "
            "and the rest stay unsent (Resume sends them once there is budget again)."
        ).format(left=left, limit=usage.limit)
    else:
        budget_line = _("Today's budget on this server has {left} of {limit} calls left.").format(left=left, limit=usage.limit)
    st.warning(f"{esc(calls_line)}  \n{esc(budget_line)}", icon=":material/payments:")
    sendable = count if left is None else min(count, left)
    row = st.container(horizontal=True)  # buttons as wide as their words, in either language
    go = row.button(
        ngettext("Send {count} billed call", "Send {count} billed calls", sendable).format(count=sendable),
        key=f"{prefix}_confirm",
        type="primary",
        icon=":material/send:",
        disabled=sendable == 0 or (usage is None and current.budget.limit is not None),
    )
    if row.button(_("Cancel"), key=f"{prefix}_cancel", icon=":material/close:"):
        state.put(asked, None)
        st.rerun()
    if go:
        state.put(asked, None)
    return go


def _go(clicked: bool, key: str, source: str, count: int, billed: str | None) -> bool:
    """True when ``count`` calls for ``source`` should start now: on the click in the sandbox; in
    live mode (``billed`` names the API) the click asks first, and True comes once it is confirmed."""
    if billed is None:
        return clicked
    if clicked:
        state.put(f"{key}_confirm", source)
    return _confirmed(key, source, count, billed)


def _start(
    key: str,
    make_call: Callable[[], Callable[[Any], Any]],
    run: dict[str, Any],
    indices: list[int] | None,
    workers: int,
    rps: float | None,
) -> None:
    """Start a pass of ``run`` over ``indices`` (every item by default), then redraw."""
    try:
        call = make_call()
    except KycError as error:
        calls.show_error(error)
        return
    run["run"].start(call, indices, workers, rps)
    run["job"] = run["run"].job  # tests and the poller wait on the pass itself
    state.put(key, run)
    st.rerun()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds >= 60:
        return _("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=f"{seconds % 60:02d}")
    return _("{seconds} s").format(seconds=seconds)


def _pace_line(pace: batch.Pace, running: bool) -> str:
    parts = [_("{duration} elapsed").format(duration=_duration(pace.elapsed))]
    if pace.rate:
        parts.append(_("{rate} rows a second").format(rate=tr().number(pace.rate, 1)))
        if running and pace.remaining is not None:
            parts.append(_("about {duration} left").format(duration=_duration(pace.remaining)))
    return " · ".join(parts)


def _progress(
    key: str,
    statuses: tuple[str, ...],
    total: int,
    results: Callable[[dict[str, Any]], None],
    again: Callable[[str, list[int]], None],
    billed: str | None = None,
) -> None:
    """Live counts while a pass runs (polled by a fragment), then the results, Resume and Retry.

    ``billed`` names the API in live mode: Resume and Retry then ask first (``_go``), as the run did.
    """
    run = state.get(key)
    if not run:
        return
    batch_run: batch.BatchRun = run["run"]

    words = tr()  # the fragment reruns on its own: its words are this run's language

    def body() -> None:
        _ = words.gettext
        if not access.signed_in():
            st.rerun(scope="app")  # the access code changed meanwhile: the page's sign-in takes over
        pace = batch_run.pace()
        outcomes = batch_run.outcomes()
        if batch_run.running:
            st.progress(
                pace.done / max(pace.total, 1),
                text=_("{done} of {total} sent so far").format(done=words.number(pace.done), total=words.number(pace.total)),
            )
        totals = batch.count(outcomes.values(), statuses)
        totals["not_sent"] += total - len(outcomes)  # flagged rows and rows not reached yet
        for column, status in zip(st.columns(len(statuses)), statuses):
            column.metric(_(STATUS_LABELS[status]), totals[status])
        st.caption(_pace_line(pace, batch_run.running))
        if batch_run.running:
            st.button(
                _("Stop"),
                key=f"{key}_stop",
                icon=":material/stop_circle:",
                on_click=batch_run.stop,
                help=_("Send nothing more. Calls already sent finish; the rest are marked not sent."),
            )
        elif run["recorded"] < batch_run.passes:
            run["recorded"] = batch_run.passes
            for outcome in batch_run.pass_outcomes():
                record = outcome.error.record if outcome.error else getattr(outcome.result, "record", None)
                state.remember(record, outcome.error.code if outcome.error else None)
            st.rerun()  # leave the polling fragment: the pass is over

    if batch_run.running:
        st.fragment(run_every=POLL_SECONDS)(body)()
        return
    body()
    outcomes = batch_run.outcomes()
    sent = sum(o.status != "not_sent" for o in outcomes.values())
    unsent, failed = batch_run.indices("not_sent"), batch_run.indices("failed")
    flagged = total - len(batch_run.items)
    counts = {"sent": words.number(sent), "unsent": words.number(total - sent), "flagged": words.number(flagged)}
    if flagged:
        summary = _("{sent} sent, {unsent} not sent ({flagged} flagged before sending).").format(**counts)
    else:
        summary = _("{sent} sent, {unsent} not sent.").format(**counts)
    st.markdown(f"**{summary}**")
    held = next((o.error for o in outcomes.values() if o.status == "not_sent" and o.error is not None), None)
    if held is not None:  # the day's budget of live calls stopped the run
        st.warning(esc(_stopped_by_budget(held, len(unsent))), icon=":material/payments:")
    row = st.container(horizontal=True)
    resume = bool(unsent) and row.button(
        _("Resume: send the {count} not sent").format(count=len(unsent)), key=f"{key}_resume", icon=":material/resume:",
        help=_("Sends only the rows a Stop left unsent; nothing already answered is sent again."),
    )  # fmt: skip
    retry = bool(failed) and row.button(
        _("Retry the {count} failed").format(count=len(failed)), key=f"{key}_retry", icon=":material/replay:",
        help=_("Sends only the rows whose call failed (a timeout, a vendor fault)."),
    )  # fmt: skip
    for clicked, indices, tag in ((resume, unsent, "resume"), (retry, failed, "retry")):
        if indices and _go(clicked, key, f"{run['source']}:{tag}", len(indices), billed):
            again(key, indices)
    results(run)


def _stopped_by_budget(error: KycError, unsent: int) -> str:
    """Why a run stopped short, said of the batch (each unsent row carries the error's own words)."""
    params = getattr(error, "params", {})
    if error.code != budget.REACHED_CODE or "limit" not in params:
        return error.message_in(i18n.current())
    return ngettext(
        "The run stopped at today's budget of {limit} live {api} calls on this server: {count} row was not sent. "
        "Resume sends it once there is budget again (after midnight WIB, or when KYC_LIVE_DAILY_LIMIT is raised).",
        "The run stopped at today's budget of {limit} live {api} calls on this server: {count} rows were not sent. "
        "Resume sends them once there is budget again (after midnight WIB, or when KYC_LIVE_DAILY_LIMIT is raised).",
        unsent,
    ).format(limit=params["limit"], api=_(params["api"]), count=unsent)


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _downloads(table: list[dict[str, Any]], stem: str, key: str) -> None:
    """CSV and Excel: machine names in row 1, the headings in the page's language in row 2."""
    words = tr()
    row = st.container(horizontal=True)
    row.download_button(
        _("Download results (CSV)"), batch_results.to_csv(table, words), f"{stem}.csv", "text/csv",
        key=key, icon=":material/download:",
    )  # fmt: skip
    row.download_button(
        _("Download results (Excel)"), batch_results.to_xlsx(table, words=words), f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx", icon=":material/download:",
    )  # fmt: skip


# --- Income -------------------------------------------------------------------------------


def income(ctx: PageContext) -> None:
    st.markdown(
        _(
            "Upload applicants with the income API's columns: `name`, `phone_number`, `id_number` (required), "
            "and `sex`, `birthdate`, `package`, `email`, `address_employee`."
        )
    )
    st.download_button(
        _("Download the template CSV"),
        template_csv(),
        "kyc-applicants-template.csv",
        "text/csv",
        key="batch_template",
        icon=":material/download:",
    )
    upload = st.file_uploader(_("Applicants (CSV or XLSX)"), type=["csv", "xlsx"], key="batch_file")
    workers, rps = int(state.get("batch_workers") or ctx.settings.batch_workers), (state.get("batch_rps") or None)

    def again(key: str, indices: list[int]) -> None:
        _start(key, lambda: ctx.income_client().verify, state.get(key), indices, workers, rps)

    billed = None if ctx.sandbox else "income"  # live: the run, Resume and Retry ask first

    if upload is None:
        run = state.get(INCOME_JOB)
        if run:
            st.caption(_("The results of **{file}**, which is no longer uploaded.").format(file=esc(run["filename"])))
            _progress(INCOME_JOB, batch.STATUSES, len(run["rows"]), _income_results, again, billed)
        return
    data = upload.getvalue()
    source = _digest(data)
    run = _current(INCOME_JOB, source)
    try:
        rows = read_applicants(data, upload.name, tr())  # its problems in the page's language
    except ApplicantFileError as error:
        st.error(esc(error), icon=":material/table_rows:")  # it quotes the file's headers
        return
    valid = [row for row in rows if row.valid]
    words = tr()
    st.dataframe(
        pd.DataFrame(
            [
                {
                    _("Line"): row.line,
                    _("Name"): row.values.get("name", ""),
                    _("Phone number"): row.values.get("phone_number", ""),
                    "NIK": row.values.get("id_number", ""),
                    _("Ready to send"): _("yes") if row.valid else _("no"),
                    _("Problems"): batch_results.describe_problems(row, words),
                }
                for row in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(rows), 400),
    )
    flagged = len(rows) - len(valid)
    if flagged:
        ready_line = ngettext(
            "{count} row ready to send; {flagged} flagged and not sent.",
            "{count} rows ready to send; {flagged} flagged and not sent.",
            len(valid),
        )
    else:
        ready_line = ngettext("{count} row ready to send.", "{count} rows ready to send.", len(valid))
    st.caption(ready_line.format(count=len(valid), flagged=flagged))
    workers, rps = controls("batch", ctx.settings.batch_workers)
    verify = ngettext("Verify {count} applicant", "Verify {count} applicants", len(valid)).format(count=len(valid))
    clicked = _run_button(verify, "batch_run", run, bool(valid), ctx.blocked("income"))
    if _go(clicked, INCOME_JOB, source, len(valid), billed):
        run = {
            "run": batch.BatchRun([row.request for row in valid], batch.income_status),
            "source": source,
            "filename": upload.name,
            "rows": rows,
            "recorded": 0,
        }
        _start(INCOME_JOB, lambda: ctx.income_client().verify, run, None, workers, rps)
    _progress(INCOME_JOB, batch.STATUSES, len(rows), _income_results, again, billed)


def _income_results(run: dict[str, Any]) -> None:
    batch_run: batch.BatchRun = run["run"]
    outcomes = batch_run.outcomes()
    words = tr()
    table = batch_results.income_table(run["rows"], outcomes, words)
    st.dataframe(pd.DataFrame(batch_results.labelled(table, words)), hide_index=True, width="stretch")
    _downloads(table, "kyc-batch-income", "batch_results_csv")
    left, right = st.columns(2)
    band = charts.band_histogram(batch_results.band_distribution(list(outcomes.values())), words=words)
    left.altair_chart(band, width="stretch")
    # The fields go in English: the chart says them in its words (ui.charts translates its rows).
    rates = charts.match_rate_bars(batch_results.match_rates(batch_run.items, list(outcomes.values())), words=words)
    if rates is None:
        right.caption(_("No field was compared: no hit sent sex, birth date, programs, email or address."))
    else:
        right.altair_chart(rates, width="stretch")


# --- NPWP ---------------------------------------------------------------------------------


def npwp(ctx: PageContext) -> None:
    files = st.file_uploader(
        _("NPWP cards (JPEG, PNG or PDF, 5 MB each at most)"),
        type=["jpg", "jpeg", "png", "pdf"],
        accept_multiple_files=True,
        key="batch_npwp_files",
    )
    workers, rps = int(state.get("batch_npwp_workers") or ctx.settings.batch_workers), (state.get("batch_npwp_rps") or None)
    # The sidebar lists income scenarios here; one the NPWP API also knows (slow, quota) applies.
    scenario = ctx.scenario if ctx.scenario in ctx.catalog.scenario_names("npwp") else None

    def make_call() -> Callable[[Any], Any]:
        client = backend.client(ctx.settings, "npwp", scenario)  # in live mode, under the day's budget
        return lambda item: client.extract(item[1], item[0])

    def again(key: str, indices: list[int]) -> None:
        _start(key, make_call, state.get(key), indices, workers, rps)

    billed = None if ctx.sandbox else "npwp"  # live: the run, Resume and Retry ask first

    if not files:
        run = state.get(NPWP_JOB)
        if run:
            st.caption(_("The results of the cards uploaded before, which are no longer uploaded."))
            _progress(NPWP_JOB, batch.NPWP_STATUSES, len(run["files"]), _npwp_results, again, billed)
        return
    datas = [upload.getvalue() for upload in files]
    source = _digest(*datas)
    run = _current(NPWP_JOB, source)
    ready, problems, listed = [], [], []
    lang = i18n.current()
    for upload, data in zip(files, datas):
        try:
            info = documents.inspect(data, upload.name)
        except DocumentError as error:
            problems.append({_("File"): upload.name, _("Problem"): error.message_in(lang)})
            listed.append((upload.name, error.message_in(lang)))
            continue
        if info.over_limit:
            problem = _("{size}: over the 5 MB limit (shrink it on the NPWP page)").format(size=info.size_label)
            problems.append({_("File"): upload.name, _("Problem"): problem})
            listed.append((upload.name, problem))
            continue
        ready.append((info.suggested_filename, data))
        listed.append((upload.name, None))
    if problems:
        st.warning(
            ngettext("{count} file cannot be sent:", "{count} files cannot be sent:", len(problems)).format(count=len(problems)),
            icon=":material/block:",
        )
        st.dataframe(pd.DataFrame(problems), hide_index=True, width="stretch")
    workers, rps = controls("batch_npwp", ctx.settings.batch_workers)
    extract = ngettext("Extract {count} card", "Extract {count} cards", len(ready)).format(count=len(ready))
    clicked = _run_button(extract, "batch_npwp_run", run, bool(ready), ctx.blocked("npwp"))
    if _go(clicked, NPWP_JOB, source, len(ready), billed):
        run = {
            "run": batch.BatchRun(ready, batch.npwp_status),
            "source": source,
            "files": listed,
            "recorded": 0,
        }
        _start(NPWP_JOB, make_call, run, None, workers, rps)
    _progress(NPWP_JOB, batch.NPWP_STATUSES, len(listed), _npwp_results, again, billed)


def _npwp_results(run: dict[str, Any]) -> None:
    words = tr()
    table = batch_results.npwp_table(run["files"], run["run"].outcomes(), words)
    st.dataframe(pd.DataFrame(batch_results.labelled(table, words)), hide_index=True, width="stretch")
    _downloads(table, "kyc-batch-npwp", "batch_npwp_results_csv")
