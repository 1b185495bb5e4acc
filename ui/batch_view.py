"""The batch page: upload many applicants or cards, check them, run them with progress and Stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from kyc import documents
from kyc.documents import DocumentError
from kyc.errors import KycError
from ui import calls, state
from ui.setup import PageContext
from ui.text import esc
from workflows import batch, batch_results
from workflows.applicant_file import ApplicantFileError, read_applicants, template_csv
from workflows.batch import BatchJob

INCOME_JOB, NPWP_JOB = "batch_income_job", "batch_npwp_job"
STATUS_LABELS = {
    "hit": "Hit",
    "no_record": "No record",
    "error": "Error",
    "detected": "Detected",
    "not_detected": "Not detected",
    "failed": "Failed",
    "not_sent": "Not sent",
}
POLL_SECONDS = 0.5


def controls(prefix: str, default_workers: int) -> tuple[int, float | None]:
    left, right = st.columns(2)
    workers = left.number_input(
        "Concurrent calls", 1, 16, default_workers, key=f"{prefix}_workers", help="How many calls are in flight at once."
    )
    rps = right.number_input(
        "Requests per second (0 = no cap)",
        0.0,
        100.0,
        0.0,
        step=1.0,
        key=f"{prefix}_rps",
        help="A cap that keeps a run within the vendor's rate limit.",
    )
    return int(workers), (float(rps) or None)


def _run_button(label: str, key: str, job_key: str, ready: bool) -> bool:
    """The run button: off when there is nothing to send, or while this kind of job still runs."""
    running = (state.get(job_key) or {}).get("job")
    busy = running is not None and not running.done
    return st.button(label, key=key, type="primary", icon=":material/play_arrow:", disabled=not ready or busy)


def _start(
    key: str,
    make_call: Callable[[], Callable[[Any], Any]],
    items: list[Any],
    classify: Callable[[Any], str],
    workers: int,
    rps: float | None,
    context: dict[str, Any],
) -> None:
    try:
        call = make_call()
    except KycError as error:
        calls.show_error(error)
        return
    state.put(key, {"job": BatchJob(call, items, classify, workers, rps), "recorded": False, **context})
    st.rerun()


def _progress(key: str, statuses: tuple[str, ...], results: Callable[[dict[str, Any], list[batch.RowOutcome]], None]) -> None:
    """Live counts while a job runs (polled by a fragment), then the results once it is done."""
    run = state.get(key)
    if not run:
        return
    job: BatchJob = run["job"]

    def body() -> None:
        outcomes = job.snapshot()
        totals = batch.count(outcomes, statuses)
        st.progress(len(outcomes) / max(job.total, 1), text=f"{len(outcomes)} of {job.total} rows done")
        for column, status in zip(st.columns(len(statuses)), statuses):
            column.metric(STATUS_LABELS[status], totals[status])
        if not job.done:
            st.button(
                "Stop",
                key=f"{key}_stop",
                icon=":material/stop_circle:",
                on_click=job.stop,
                help="Send nothing more. Calls already sent finish; the rest are marked not sent.",
            )
        elif not run["recorded"]:
            run["recorded"] = True
            for outcome in outcomes:
                record = outcome.error.record if outcome.error else getattr(outcome.result, "record", None)
                state.remember(record, outcome.error.code if outcome.error else None)
            st.rerun()  # leave the polling fragment: the run is over

    if job.done:
        body()
        results(run, job.snapshot())
    else:
        st.fragment(run_every=POLL_SECONDS)(body)()


# --- Income -------------------------------------------------------------------------------


def income(ctx: PageContext) -> None:
    st.markdown(
        "Upload applicants with the income API's columns: `name`, `phone_number`, `id_number` (required), "
        "and `sex`, `birthdate`, `package`, `email`, `address_employee`."
    )
    st.download_button(
        "Download the template CSV",
        template_csv(),
        "kyc-applicants-template.csv",
        "text/csv",
        key="batch_template",
        icon=":material/download:",
    )
    upload = st.file_uploader("Applicants (CSV or XLSX)", type=["csv", "xlsx"], key="batch_file")
    if upload is None:
        _progress(INCOME_JOB, batch.STATUSES, _income_results)
        return
    try:
        rows = read_applicants(upload.getvalue(), upload.name)
    except ApplicantFileError as error:
        st.error(esc(error), icon=":material/table_rows:")  # it quotes the file's headers
        return
    valid = [row for row in rows if row.valid]
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "line": row.line,
                    "name": row.values.get("name", ""),
                    "phone_number": row.values.get("phone_number", ""),
                    "id_number": row.values.get("id_number", ""),
                    "ok": "yes" if row.valid else "no",
                    "problems": row.describe_problems(),
                }
                for row in rows
            ]
        ),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(rows), 400),
    )
    flagged = len(rows) - len(valid)
    st.caption(f"{len(valid)} rows ready to send" + (f"; {flagged} flagged and not sent" if flagged else "") + ".")
    workers, rps = controls("batch", ctx.settings.batch_workers)
    if _run_button(f"Verify {len(valid)} applicants", "batch_run", INCOME_JOB, ready=bool(valid)):
        requests = [row.request for row in valid]
        _start(
            INCOME_JOB,
            lambda: ctx.income_client().verify,
            requests,
            batch.income_status,
            workers,
            rps,
            {"requests": requests, "lines": [row.line for row in valid]},
        )
    _progress(INCOME_JOB, batch.STATUSES, _income_results)


def _income_results(run: dict[str, Any], outcomes: list[batch.RowOutcome]) -> None:
    table = batch_results.income_table(run["requests"], run["lines"], outcomes)
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.download_button(
        "Download results (CSV)",
        batch_results.to_csv(table),
        "kyc-batch-income.csv",
        "text/csv",
        key="batch_results_csv",
        icon=":material/download:",
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Salary bands of the hits**")
        bands = pd.DataFrame(batch_results.band_distribution(outcomes))
        st.altair_chart(
            alt.Chart(bands)
            .mark_bar(color="#1d4ed8")
            .encode(
                x=alt.X("band:N", sort=list(bands["band"]), title="Band (IDR million)", axis=alt.Axis(labelAngle=-45)),
                y=alt.Y("count:Q", title="Applicants", axis=alt.Axis(tickMinStep=1)),
                tooltip=["band", "count"],
            )
            .properties(height=240),
            width="stretch",
        )
    with right:
        st.markdown("**Match rate per field** (of the hits that sent it)")
        rates = pd.DataFrame([r for r in batch_results.match_rates(run["requests"], outcomes) if r["compared"]])
        if rates.empty:
            st.caption("No compared fields yet.")
        else:
            st.altair_chart(
                alt.Chart(rates)
                .mark_bar(color="#16a34a")
                .encode(
                    x=alt.X("rate:Q", title="MATCH", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
                    y=alt.Y("field:N", title=None, sort=None),
                    tooltip=["field", "matched", "compared"],
                )
                .properties(height=240),
                width="stretch",
            )


# --- NPWP ---------------------------------------------------------------------------------


def npwp(ctx: PageContext) -> None:
    files = st.file_uploader(
        "NPWP cards (JPEG, PNG or PDF, 5 MB each at most)",
        type=["jpg", "jpeg", "png", "pdf"],
        accept_multiple_files=True,
        key="batch_npwp_files",
    )
    if not files:
        _progress(NPWP_JOB, batch.NPWP_STATUSES, _npwp_results)
        return
    ready, problems = [], []
    for upload in files:
        data = upload.getvalue()
        try:
            info = documents.inspect(data, upload.name)
        except DocumentError as error:
            problems.append({"file": upload.name, "problem": error.message})
            continue
        if info.over_limit:
            problems.append(
                {"file": upload.name, "problem": f"{info.size_label}: over the 5 MB limit (shrink it on the NPWP page)"}
            )
            continue
        ready.append((info.suggested_filename, data))
    if problems:
        st.warning(f"{len(problems)} file(s) cannot be sent:", icon=":material/block:")
        st.dataframe(pd.DataFrame(problems), hide_index=True, width="stretch")
    workers, rps = controls("batch_npwp", ctx.settings.batch_workers)
    if _run_button(f"Extract {len(ready)} cards", "batch_npwp_run", NPWP_JOB, ready=bool(ready)):
        # The sidebar lists income scenarios here; one the NPWP API also knows (slow, quota) applies.
        scenario = ctx.scenario if ctx.scenario in ctx.catalog.scenario_names("npwp") else None

        def make_call() -> Callable[[Any], Any]:
            client = ctx.settings.npwp_client(scenario)
            return lambda item: client.extract(item[1], item[0])

        _start(NPWP_JOB, make_call, ready, batch.npwp_status, workers, rps, {"names": [name for name, _ in ready]})
    _progress(NPWP_JOB, batch.NPWP_STATUSES, _npwp_results)


def _npwp_results(run: dict[str, Any], outcomes: list[batch.RowOutcome]) -> None:
    table = batch_results.npwp_table(run["names"], outcomes)
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.download_button(
        "Download results (CSV)",
        batch_results.to_csv(table),
        "kyc-batch-npwp.csv",
        "text/csv",
        key="batch_npwp_results_csv",
        icon=":material/download:",
    )
