"""kyc.salary: the spec's 18 bands and the tolerant label parser."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyc.salary import BANDS, LABELS, SalaryRangeError, parse_range

SPEC_LABELS = [
    "0-2.5JT",
    "2.5-3.5JT",
    "3.5-4.5JT",
    "4.5-5.5JT",
    "5.5-6.5JT",
    "6.5-7.5JT",
    "7.5-8.5JT",
    "8.5-10.5JT",
    "10.5-13JT",
    "13-16JT",
    "16-20JT",
    "20-30JT",
    "30-40JT",
    "40-55JT",
    "55-70JT",
    "70-85JT",
    "85-100JT",
    ">100JT",
]


def test_the_table_is_the_specs_18_bands_in_order():
    assert list(LABELS) == SPEC_LABELS
    assert BANDS[0].lower == 0 and BANDS[0].upper == 2_500_000
    assert BANDS[-1].lower == 100_000_000 and BANDS[-1].upper is None
    for below, above in zip(BANDS, BANDS[1:]):
        assert below.upper == above.lower  # contiguous, no gaps


@pytest.mark.parametrize("label", SPEC_LABELS)
def test_every_spec_label_parses_to_its_band(label):
    band = parse_range(label)
    assert band.index == SPEC_LABELS.index(label) + 1
    assert band.position == band.index


@pytest.mark.parametrize(
    "label, lower, upper, position",
    [
        (">20.5JT", 20_500_000, None, 12),  # the vendor's own example, not in the table
        ("2500001-3500000", 2_500_001, 3_500_000, 2),
        ("Rp 2.500.000 - 3.500.000", 2_500_000, 3_500_000, 2),
        ("2,5-3,5 juta", 2_500_000, 3_500_000, 2),
        ("<2.5JT", 0, 2_500_000, 1),
        ("20JT+", 20_000_000, None, 12),
        (">100.5JT", 100_500_000, None, 18),
        ("5,5-6,5", 5_500_000, 6_500_000, 5),  # bare small numbers are juta
        ("5.5–6.5JT", 5_500_000, 6_500_000, 5),  # en dash
        ("≥100JT", 100_000_000, None, 18),
    ],
)
def test_labels_outside_the_table(label, lower, upper, position):
    band = parse_range(label)
    assert (band.label, band.lower, band.upper) == (label, lower, upper)
    assert band.index is None
    assert band.position == position


@pytest.mark.parametrize("label", ["", "   ", "abc", "5-3JT", "1.2.3", "JT", None, 42, "9" * 80])
def test_unreadable_labels_raise_a_clear_error(label):
    with pytest.raises(SalaryRangeError) as info:
        parse_range(label)
    assert "salary range" in str(info.value)


def test_describe_reads_naturally():
    assert parse_range("5.5-6.5JT").describe() == "IDR 5.5-6.5 million"
    assert parse_range(">100JT").describe() == "above IDR 100 million"
    assert parse_range("0-2.5JT").describe() == "up to IDR 2.5 million"
    assert parse_range("5JT").describe() == "IDR 5 million"
    assert parse_range("2500001-3500000").describe() == "IDR 2.5-3.5 million"


# --- Properties: hostile input (issue "Hardening", "Hostile input everywhere") ---------------
#
# derandomize=True: every run (locally and in CI) tries the same examples, so a failure is
# reproducible and the suite never turns red on a rare draw; it also keeps no example database.

_PIECES = st.sampled_from(
    [
        "0",
        "1",
        "2",
        "5",
        "9",
        "12",
        "20",
        "100",
        "000",
        "2.5",
        "5,5",
        "20.5",
        "2.500.000",
        "JT",
        "jt",
        "Juta",
        "M",
        "MIO",
        "K",
        "RB",
        "ribu",
        ">",
        "<",
        ">=",
        "≥",
        "≤",
        "+",
        "-",
        "–",
        "—",
        "TO",
        "s/d",
        "sampai",
        "above",
        "under",
        ".",
        ",",
        " ",
        "  ",
        "Rp",
        "Rp.",
        "IDR",
        "\u00a0",
        "\t",
        "٣",
        "²",
        "1e5",
        "9" * 30,
        "0" * 70,
    ]
)
#: Labels built from the pieces real ones are made of, so most examples get past the regexes.
REALISTIC_LABELS = st.lists(_PIECES, max_size=10).map("".join)
#: Digits of every script (\d matches them all), separators and units.
DIGITY_LABELS = st.text(
    st.one_of(st.characters(categories=["Nd"]), st.sampled_from(list("0123456789.,-<>+ JTKMRBp"))), max_size=40
)


def _parses_or_refuses(label: str) -> None:
    """parse_range's contract: a SalaryBand with ordered bounds, or SalaryRangeError saying why."""
    try:
        band = parse_range(label)
    except SalaryRangeError as error:
        assert "salary range" in str(error)
        return
    assert band.label == label.strip()
    for bound in (band.lower, band.upper):
        assert bound is None or (isinstance(bound, int) and bound >= 0)
    if band.lower is not None and band.upper is not None:
        assert band.lower <= band.upper
    assert band.position is None or 1 <= band.position <= 18
    assert isinstance(band.describe(), str)


@settings(max_examples=500, deadline=timedelta(seconds=1), derandomize=True)  # a regex gone quadratic would show here
@given(st.text())
def test_any_text_parses_or_raises_salary_range_error(label):
    _parses_or_refuses(label)


@settings(max_examples=1500, deadline=timedelta(seconds=1), derandomize=True)  # a regex gone quadratic would show here
@given(st.one_of(REALISTIC_LABELS, DIGITY_LABELS))
def test_realistic_labels_parse_to_ordered_bounds_or_raise_salary_range_error(label):
    _parses_or_refuses(label)


@settings(max_examples=200, deadline=timedelta(seconds=1), derandomize=True)  # a regex gone quadratic would show here
@given(st.sampled_from(SPEC_LABELS), st.sampled_from(["", " ", "  ", "\t", "\n"]), st.sampled_from(["", " ", "\t"]))
def test_every_spec_label_round_trips(label, before, after):
    band = parse_range(before + label + after)
    assert band == BANDS[SPEC_LABELS.index(label)]
    assert parse_range(band.label) == band
    assert band.index == band.position == SPEC_LABELS.index(label) + 1


def test_only_ascii_digits_make_a_band():
    with pytest.raises(SalaryRangeError):
        parse_range("٣JT")  # Arabic-Indic three: not what TD sends, and not a number kyc.ids accepts
