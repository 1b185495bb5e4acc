"""The applicant form, one component for the income page and the journey.

Its widget keys are the income API's field names with a prefix: none on the income page
(``name``, ``phone_number``, …), ``journey_`` in the journey (``journey_name``, …), so that
other pages and callbacks can fill it through session state before it is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from kyc.income import PROGRAMS, program_name
from ui.i18n import N_, _, tr
from ui.text import esc
from workflows.applicant import FIELDS, LABELS, Checked, check_applicant, shown_value, suggestions_from_nik

SEX_LABELS = {"": N_("Not sent"), "male": N_("Male"), "female": N_("Female")}


def keys(prefix: str = "") -> dict[str, str]:
    """Field name -> widget key."""
    return {name: prefix + name for name in FIELDS}


def empty(name: str) -> Any:
    """A field's empty value: no programs, or no text."""
    return [] if name == "package" else ""


def fill(values: Mapping[str, Any], prefix: str = "", clear: bool = False) -> None:
    """Put values into the form's widgets (from a callback, or before the form is drawn).

    ``clear`` empties the fields ``values`` does not name.
    """
    for name, key in keys(prefix).items():
        if name in values:
            st.session_state[key] = values[name]
        elif clear:
            st.session_state[key] = empty(name)


def _from_nik_key(prefix: str) -> str:
    return f"{prefix}from_nik"


def fill_from_card(name: str, nik: str, address: str, prefix: str = "") -> dict[str, str]:
    """Put a card's name, NIK and address into the form, with sex and birth date suggested from
    the NIK (a valid NIK encodes both); returns the suggestions, which the form marks "from the NIK"."""
    suggested = suggestions_from_nik(nik)
    fill({"name": name, "id_number": nik, "address_employee": address, **suggested}, prefix)
    st.session_state[_from_nik_key(prefix)] = suggested
    return suggested


def from_nik_note(prefix: str = "") -> str | None:
    """ "Sex (Female) and birth date (12 May 1985): from the NIK." while the form still holds the
    suggestions; None once they were changed or there were none."""
    suggested = st.session_state.get(_from_nik_key(prefix)) or {}
    kept = {name: value for name, value in suggested.items() if st.session_state.get(prefix + name) == value}
    if not kept:
        return None
    words = tr()
    parts = [(_(LABELS[name]).lower(), shown_value(name, value, words)) for name, value in kept.items()]
    if len(parts) == 1:
        said = _("{field} ({value}): from the NIK. Change it if the applicant's differs.").format(
            field=parts[0][0], value=parts[0][1]
        )
    else:
        said = _(
            "{first} ({first_value}) and {second} ({second_value}): from the NIK. Change them if the applicant's differ."
        ).format(first=parts[0][0], first_value=parts[0][1], second=parts[1][0], second_value=parts[1][1])
    return f"{said[0].upper()}{said[1:]}"


def form(
    form_key: str, submit_key: str, prefix: str = "", as_typed_key: str | None = None, blocked: str | None = None
) -> Checked | None:
    """Draw the form. On submit, return the checked applicant (errors included); else None.

    ``as_typed_key`` adds the "Send as typed" box that skips the app's own checks; ``blocked``
    (why nothing can be sent, e.g. live settings missing) disables the button and says why.
    """
    widget = keys(prefix)
    words = tr()  # bound now: Streamlit may call a format_func outside this run
    for name, key in widget.items():  # one place for the empty form, so a persona or another page can fill it
        st.session_state.setdefault(key, empty(name))
    with st.form(form_key, enter_to_submit=False):
        top = st.columns(3)
        top[0].text_input(_("Name *"), key=widget["name"], persist_state="session")
        top[1].text_input(
            _("Phone number *"),
            key=widget["phone_number"],
            placeholder=_("08…, 628… or +628…"),
            help=_("10 to 13 digits, starting +628, 628, 08 or 8."),
            persist_state="session",
        )
        top[2].text_input(
            _("NIK *"),
            key=widget["id_number"],
            placeholder=_("16 digits"),
            persist_state="session",
        )
        middle = st.columns(3)
        middle[0].selectbox(
            _(LABELS["sex"]),
            list(SEX_LABELS),
            key=widget["sex"],
            format_func=lambda value: words.gettext(SEX_LABELS.get(value, value)),
            persist_state="session",
        )
        middle[1].text_input(
            _(LABELS["birthdate"]), key=widget["birthdate"], placeholder=_("YYYY-MM-DD"), persist_state="session"
        )
        middle[2].text_input(_(LABELS["email"]), key=widget["email"], placeholder="name@example.com", persist_state="session")
        st.multiselect(
            _(LABELS["package"]),
            list(PROGRAMS),
            key=widget["package"],
            format_func=lambda c: f"{c} · {program_name(c, words.lang)}",
            placeholder=_("Not sent"),
            persist_state="session",
        )
        st.text_area(_(LABELS["address_employee"]), key=widget["address_employee"], height=68, persist_state="session")
        bottom = st.columns([3, 1])
        if as_typed_key:
            bottom[0].checkbox(
                _("Send as typed"),
                key=as_typed_key,
                help=_("Skip the app's checks, to see the vendor's own answer to a malformed field."),
            )
        if blocked:
            bottom[0].caption(f":material/block: {esc(blocked)}")
        submitted = bottom[1].form_submit_button(
            _("Verify income"), key=submit_key, type="primary", icon=":material/send:", width="stretch", disabled=bool(blocked)
        )
    note = from_nik_note(prefix)
    if note:
        st.caption(f":material/auto_awesome: {esc(note)}")
    st.caption(
        "\\" + _("* required. Sex, birth date, programs, email and address are optional: the API compares only what it receives.")
    )
    if not submitted:
        return None
    values = {name: st.session_state.get(key) for name, key in widget.items()}
    return check_applicant(values, as_typed=bool(as_typed_key and st.session_state.get(as_typed_key)), words=words)


def show_problems(checked: Checked) -> None:
    """What blocks sending (nothing was sent), and advice that does not block it."""
    if checked.errors:
        lines = "\n".join(f"- **{esc(_(LABELS[name]))}**: {esc(problem)}" for name, problem in checked.errors.items())
        st.error(_("Nothing was sent. Please correct:") + "\n" + lines, icon=":material/edit_note:")
    for name, note in checked.notes.items():
        st.warning(f"**{esc(_(LABELS[name]))}**: {esc(note)}", icon=":material/info:")
