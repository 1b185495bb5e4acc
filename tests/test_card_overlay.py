"""The field overlay (ui.card_overlay): boxes on the preview, confidences, the local second opinion.

The comparison and the drawing are tested directly. The pages run in AppTest against the
built-in sandbox, with the local reading either faked (``cardocr.read_card`` replaced by a
read of the test's choosing: fast) or real (``@pytest.mark.ocr``). Live mode is a replay
server standing in for Verihubs, answering with fields the test picks.
"""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

import cardocr
from cardocr import CardFields, CardRead, FieldRead
from sandbox.samples import catalogue
from tests.apptest_helpers import messages, open_page, shown_text
from tests.replay import Reply
from ui import backend, card_overlay

SAMPLES = {sample.file: sample for sample in catalogue()}
CARD = SAMPLES["npwp15-card.png"]  # the cards cardocr reads today: npwp15-card.png and npwp15-card.pdf
LABEL = "Show where each field was read"
UNAVAILABLE = "The field overlay is unavailable: the offline OCR engine cannot run on this computer."


def fake_read(**texts: str) -> CardRead:
    """A local reading of CARD (1400 × 880 px) with distinct confidences; ``texts`` replace what it reads."""
    truth = {**CARD.fields, **texts}
    reads = {
        "npwp": FieldRead("npwp", truth["npwp"], 0.995, ((65, 327, 1327, 400),)),
        "name": FieldRead("name", truth["name"], 0.97, ((67, 428, 427, 477),)),
        "nik": FieldRead("nik", truth["nik"], 0.88, ((67, 502, 586, 543),)),
        "address": FieldRead("address", truth["address"], 0.915, ((63, 564, 723, 607), (67, 618, 762, 653))),
    }
    fields = CardFields(truth["npwp"], truth["name"], truth["nik"], truth["address"])
    return CardRead(fields, reads, page=1, size=(1400, 880), engine="fake")


FAKE_CONFIDENCES = [
    "Read with 99% confidence",
    "Read with 97% confidence",
    "Read with 88% confidence",
    "Read with 91% confidence",
]


def reading(monkeypatch, read: CardRead | None) -> list[bytes]:
    """Make the app's local reading return ``read``; returns the documents it was asked to read."""
    asked: list[bytes] = []

    def read_card(data: bytes, engine=None):
        asked.append(data)
        return read

    monkeypatch.setattr(cardocr, "read_card", read_card)
    return asked


def no_engine(monkeypatch) -> None:
    def default_engine():
        raise cardocr.EngineUnavailable("tesseract is not installed")

    monkeypatch.setattr(cardocr, "default_engine", default_engine)


def preview_urls(at) -> list[str]:
    """The media URLs of the pictures on the page (each names its bytes' hash)."""
    found, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        if type(node).__name__ == "Image":
            found += [image.url for image in node.proto.imgs]
        stack.extend(getattr(node, "children", {}).values())
    return found


def extracted(page: str, sample: str = CARD.file):
    """The page with the sample card extracted (the sandbox knows its samples: no OCR)."""
    at = open_page(page)
    at.button(key=f"{page}_sample_{sample}").click().run()
    at.button(key="npwp_submit" if page == "npwp" else "journey_extract").click().run()
    assert not at.exception, at.exception
    return at


def overlay_on(at, key: str, timeout: float = 30):
    at.toggle(key=key).set_value(True).run(timeout=timeout)
    assert not at.exception, at.exception
    return at


def card_reads(at) -> list[str]:
    return [text for text in messages(at, "markdown") if "The card reads" in text]


# --- The comparison, the notes and the drawing (plain functions) ----------------------------


def test_disagreements_marks_exactly_the_fields_that_differ():
    api = {"npwp": "58.761.234.2-017.000", "name": "Siti  Rahayu", "nik": "3171014708900003", "address": "JL. MERDEKA NO. 12"}
    local = {
        "npwp": "587612342017000",  # the same digits, printed differently: agrees
        "name": " SITI RAHAYU ",  # case and spaces only: agrees
        "nik": "3171014708900008",  # one digit: differs
        "address": "JL. MERDEKA NO. 21",  # differs
    }
    assert card_overlay.disagreements(api, local) == {"nik": "3171014708900008", "address": "JL. MERDEKA NO. 21"}
    assert card_overlay.disagreements(api, {**local, "nik": api["nik"], "address": api["address"].lower()}) == {}


def test_a_field_the_card_reading_missed_is_no_opinion_and_one_the_api_missed_is():
    assert card_overlay.disagreements({"name": "SITI RAHAYU", "nik": None}, {"name": "", "nik": "3171014708900003"}) == {
        "nik": "3171014708900003"
    }
    assert card_overlay.disagreements({"npwp": "1"}, {"npwp": "no digits", "id": "x"}) == {}  # nothing to compare


def test_normalised_compares_numbers_by_digits_and_text_by_words():
    assert card_overlay.normalised("npwp", "58.761.234.2-017.000") == "587612342017000"
    assert card_overlay.normalised("nik", "NIK : 3171 0147") == "31710147"
    assert card_overlay.normalised("address", " jl.  merdeka\tno. 12 ") == "JL. MERDEKA NO. 12"
    assert card_overlay.normalised("name", None) == ""


def test_confidence_is_said_in_words_and_never_rounded_up_to_certainty():
    assert card_overlay.confidence_text(0.97) == "Read with 97% confidence"
    assert card_overlay.confidence_text(0.999) == "Read with 99% confidence"
    assert card_overlay.confidence_text(1.0) == "Read with 99% confidence"  # a reading is never certain
    assert card_overlay.confidence_text(1.7) == "Read with 99% confidence"


def test_overlay_from_a_reading_keeps_plain_data_and_leaves_the_reading_alone():
    read = fake_read(name="SITI RAHAJU")
    before = repr(read)
    overlay = card_overlay.overlay_from(read, CARD.fields)
    assert overlay.size == (1400, 880) and overlay.page == 1
    assert overlay.boxes["address"] == ((63, 564, 723, 607), (67, 618, 762, 653))
    assert overlay.confidence == {"npwp": 0.995, "name": 0.97, "nik": 0.88, "address": 0.915}
    assert overlay.differs == {"name": "SITI RAHAJU"}
    assert repr(read) == before


def test_boxes_are_scaled_to_the_preview_outlined_in_their_colour_and_labelled():
    picture = Image.new("RGB", (700, 440), "white")
    boxes = {"name": ((100, 200, 500, 300),), "address": ((100, 500, 900, 560), (100, 600, 1000, 660))}
    drawn = card_overlay.draw_boxes(picture, (1400, 880), boxes, flagged={"address"})
    assert picture.getpixel((50, 100)) == (255, 255, 255)  # a copy was drawn on, not the preview
    # name: (100, 200, 500, 300) at half size is (50, 100, 250, 150); outlined in blue.
    for point in [(50, 125), (250, 125), (150, 150), (51, 140)]:
        assert drawn.getpixel(point) == card_overlay.BLUE, point
    assert drawn.getpixel((150, 125)) == (255, 255, 255)  # the field itself is not covered
    # address, flagged: amber, both lines, at half size.
    for point in [(50, 265), (450, 265), (50, 315), (500, 315)]:
        assert drawn.getpixel(point) == card_overlay.AMBER, point
    # Each field's label sits on a tag of its colour just above its first line, in white letters.
    tag = [drawn.getpixel((x, y)) for x in range(50, 110) for y in range(80, 99)]
    assert card_overlay.BLUE in tag and (255, 255, 255) in tag
    assert card_overlay.AMBER in [drawn.getpixel((x, y)) for x in range(50, 110) for y in range(235, 249)]
    nothing = card_overlay.draw_boxes(picture, (0, 0), boxes)
    assert nothing.tobytes() == picture.tobytes()


def test_a_tilted_line_is_outlined_along_its_corners_not_by_its_box():
    picture = Image.new("RGB", (400, 400), "white")
    tilted = ((40, 100), (360, 60), (364, 100), (44, 140))  # a line rising to the right
    drawn = card_overlay.draw_boxes(picture, (400, 400), {"name": ((40, 60, 364, 140),)}, outlines={"name": (tilted,)})
    edge = [drawn.getpixel((200, y)) for y in range(77, 84)]  # the top edge, half way along
    assert card_overlay.BLUE in edge
    assert drawn.getpixel((362, 138)) == (255, 255, 255)  # the box's bottom right corner: not drawn


def test_a_field_in_glare_says_so_under_the_field(monkeypatch):
    read = fake_read()
    reads = dict(read.reads)
    reads["address"] = FieldRead("address", read.reads["address"].text[:20], 0.9, read.reads["address"].boxes, True)
    reading(monkeypatch, CardRead(read.fields, reads, page=1, size=(1400, 880), engine="fake"))
    at = overlay_on(extracted("npwp"), "npwp_overlay")
    assert any(card_overlay.GLARE_NOTE in text for text in messages(at, "caption"))
    assert sum(card_overlay.GLARE_NOTE in text for text in messages(at, "caption")) == 1


def test_labels_on_a_tightly_printed_card_cover_no_field_and_are_big_enough_to_read():
    # The sample card's lines are closer together than a label is tall: a label above each line
    # would hide the line before it. The page shows the 900-pixel preview about 400 pixels wide.
    picture = Image.new("RGB", (900, 566), "white")
    read = card_overlay.overlay_from(fake_read(), CARD.fields)
    drawn = card_overlay.draw_boxes(picture, read.size, read.boxes, flagged={"nik"})
    scale, inset = 900 / 1400, 5
    for name, lines in read.boxes.items():
        for left, top, right, bottom in lines:
            inner = [
                drawn.getpixel((x, y))
                for x in range(round(left * scale) + inset, round(right * scale) - inset)
                for y in range(round(top * scale) + inset, round(bottom * scale) - inset)
            ]
            assert set(inner) == {(255, 255, 255)}, name  # no label over the field's text
    tags = [drawn.getpixel((x, y)) for x in range(900) for y in range(566)]
    assert tags.count(card_overlay.BLUE) > 3 * 1500 and tags.count(card_overlay.AMBER) > 1000
    assert card_overlay.DARK_INK in tags  # dark letters on the amber tag, white ones on blue
    # Name's tag, just right of its line: at least 24 pixels tall, some 11 on the page.
    column = round(427 * scale) + 8
    assert sum(drawn.getpixel((column, y)) == card_overlay.BLUE for y in range(566)) >= 24


def test_a_label_goes_beside_its_field_when_the_line_above_is_another_field():
    lines = [(100, 100, 300, 130)]
    above = [(100, 60, 400, 98)]  # the previous field, 2 pixels higher
    spot = card_overlay._tag_place(lines, (60, 24), 2, (700, 440), above)
    assert spot[0] >= 298 and spot[1] >= 98 - 24  # to the right of the line, not over the one above
    assert card_overlay._tag_place(lines, (60, 24), 2, (700, 440), []) == (100, 78, 160, 102)  # room above: there
    edge = [(600, 100, 700, 130)]
    beside = card_overlay._tag_place(edge, (60, 24), 2, (700, 440), [(600, 60, 700, 98)])
    assert beside[2] <= 700  # never cut off by the picture's edge


def test_draw_turns_a_jpeg_preview_into_a_drawn_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (700, 440), "white").save(out, "JPEG")
    drawn = Image.open(io.BytesIO(card_overlay.draw(out.getvalue(), (700, 440), {"nik": ((100, 100, 300, 140),)})))
    assert drawn.format == "JPEG" and drawn.size == (700, 440)
    red, green, blue = drawn.getpixel((200, 100))
    assert blue > 180 and red < 90  # blue, give or take JPEG


def test_card_layout_says_why_instead_of_raising(monkeypatch):
    no_engine(monkeypatch)
    assert backend.card_layout(b"anything") == (None, UNAVAILABLE)
    monkeypatch.undo()

    def broken(data, engine=None):
        raise ValueError("a bug inside the reader")

    monkeypatch.setattr(cardocr, "read_card", broken)
    layout, reason = backend.card_layout(b"anything")
    assert layout is None and reason.startswith("The field overlay is unavailable:") and "bug" not in reason
    reading(monkeypatch, None)
    assert backend.card_layout(b"no card here") == (None, None)
    read = fake_read()
    reading(monkeypatch, read)
    assert backend.card_layout(CARD.read()) == (read, None)


# --- The pages, with the local reading faked ---------------------------------------------


@pytest.mark.parametrize("page, key", [("npwp", "npwp_overlay"), ("journey", "journey_overlay")])
def test_the_toggle_is_there_off_and_reads_nothing_until_turned_on(page, key, monkeypatch):
    asked = reading(monkeypatch, fake_read())
    at = open_page(page)
    toggle = at.toggle(key=key)
    assert toggle.label == LABEL and toggle.value is False
    at = extracted(page)
    assert not any(text.startswith("Read with") for text in messages(at, "caption"))
    assert asked == []


def test_with_the_overlay_on_the_npwp_page_draws_the_boxes_and_gives_each_confidence(monkeypatch):
    asked = reading(monkeypatch, fake_read())
    at = extracted("npwp")
    plain = preview_urls(at)
    assert len(plain) == 1
    at = overlay_on(at, "npwp_overlay")
    assert asked == [CARD.read()]
    captions = messages(at, "caption")
    for text in FAKE_CONFIDENCES:
        assert text in captions
    assert "Boxes and second opinions are KYC Studio's own reading of the card on this computer" in shown_text(at)
    drawn = preview_urls(at)
    assert len(drawn) == 1 and drawn != plain  # the same place, another picture: the drawn copy
    assert card_reads(at) == [] and not at.warning  # the sandbox's answer and the reading agree
    assert CARD.fields["name"] in shown_text(at)
    at.toggle(key="npwp_overlay").set_value(False).run()
    assert preview_urls(at) == plain


def test_a_field_the_card_reads_differently_is_marked_in_sandbox_mode_too(monkeypatch):
    reading(monkeypatch, fake_read(name="SITI RAHAJU"))
    at = overlay_on(extracted("npwp"), "npwp_overlay")
    assert card_reads(at) == [":orange-badge[:material/compare_arrows: The card reads] SITI RAHAJU"]
    assert any("The card reads differently from the answer: Name." in text for text in messages(at, "warning"))
    assert CARD.fields["name"] in shown_text(at)  # the answer itself is still what the panel shows


def test_with_the_overlay_on_the_journey_draws_the_boxes_and_gives_each_confidence(monkeypatch):
    reading(monkeypatch, fake_read(nik="3171014708900008"))
    at = extracted("journey")
    plain = preview_urls(at)
    at = overlay_on(at, "journey_overlay")
    for text in FAKE_CONFIDENCES:
        assert text in messages(at, "caption")
    assert preview_urls(at) != plain
    assert card_reads(at) == [":orange-badge[:material/compare_arrows: The card reads] 3171014708900008"]
    assert at.text_input(key="journey_name").value == CARD.fields["name"]  # step 2 goes on as before


def test_a_card_the_local_reading_finds_nothing_on_says_so_and_draws_nothing(monkeypatch):
    reading(monkeypatch, None)
    at = extracted("npwp")
    plain = preview_urls(at)
    at = overlay_on(at, "npwp_overlay")
    assert any("found no NPWP" in text for text in messages(at, "info"))
    assert preview_urls(at) == plain and CARD.fields["name"] in shown_text(at)


@pytest.mark.parametrize("page, key", [("npwp", "npwp_overlay"), ("journey", "journey_overlay")])
def test_without_an_ocr_engine_the_page_says_so_and_still_shows_the_fields(page, key, monkeypatch):
    no_engine(monkeypatch)
    at = overlay_on(extracted(page), key)
    assert UNAVAILABLE in messages(at, "info")
    text = shown_text(at)
    for value in (CARD.fields["name"], CARD.fields["nik"], CARD.fields["address"]):
        assert value in text
    assert "Valid NIK" in text and not at.error and "Traceback" not in text
    assert not any(caption.startswith("Read with") for caption in messages(at, "caption"))


# --- Live mode: the local reading as a second opinion on the vendor's answer ---------------


def vendor_answer(**fields: str) -> bytes:
    result = {**CARD.fields, **fields}
    return json.dumps(
        {"message": "Success Extract Data", "data": {"id": "live-1", "reference_id": "ref-1", "result_data": result}}
    ).encode()


@pytest.fixture()
def live_vendor(monkeypatch, replay):
    """Live mode against a replay server that answers the NPWP call the way the test says."""
    for name, value in {
        "KYC_MODE": "live",
        "VERIHUBS_BASE_URL": replay.url,
        "VERIHUBS_APP_ID": "APPID-overlay",
        "VERIHUBS_API_KEY": "overlay-test-key",
    }.items():
        monkeypatch.setenv(name, value)
    return replay


def live_extracted(replay, answer: bytes):
    replay.route("/ocr/npwp", Reply(200, answer))
    at = open_page("npwp")
    assert at.radio(key="mode").value == "Live"
    at.file_uploader(key="npwp_file").set_value((CARD.file, CARD.read(), "image/png")).run()
    at.button(key="npwp_submit").click().run()
    assert not at.exception, at.exception
    assert replay.hits["/ocr/npwp"] == 1
    return at


def test_live_where_the_vendor_and_the_card_differ_the_panel_says_what_the_card_reads(live_vendor, monkeypatch):
    reading(monkeypatch, fake_read())
    at = live_extracted(live_vendor, vendor_answer(name="SITI RAHAJU", npwp="58.761.234.2-017.009"))
    at = overlay_on(at, "npwp_overlay")
    assert card_reads(at) == [
        ":orange-badge[:material/compare_arrows: The card reads] 58.761.234.2-017.000",
        ":orange-badge[:material/compare_arrows: The card reads] SITI RAHAYU",
    ]
    text = shown_text(at)
    assert "Boxes and second opinions are KYC Studio's own reading of the card on this computer, not Verihubs'." in text
    assert "SITI RAHAJU" in text  # Verihubs' answer stays the answer
    assert "overlay-test-key" not in text


# --- Real OCR --------------------------------------------------------------------------------


def read_for_real(sample) -> CardRead:
    try:
        read = cardocr.read_card(sample.read())
    except cardocr.EngineUnavailable:
        pytest.skip("no offline OCR engine here")
    assert read is not None, f"cardocr finds no NPWP on {sample.file}"
    return read


@pytest.mark.ocr
def test_real_reading_of_a_sample_card_on_the_npwp_page():
    read = read_for_real(CARD)
    at = extracted("npwp")
    plain = preview_urls(at)
    at = overlay_on(at, "npwp_overlay", timeout=120)
    captions = messages(at, "caption")
    for name, field_read in read.reads.items():
        assert card_overlay.confidence_text(field_read.confidence) in captions, name
    assert preview_urls(at) != plain
    expected = card_overlay.disagreements(CARD.fields, {name: r.text for name, r in read.reads.items()})
    assert len(card_reads(at)) == len(expected)


@pytest.mark.ocr
def test_real_reading_of_the_pdf_sample_in_the_journey():
    sample = SAMPLES["npwp15-card.pdf"]
    read = read_for_real(sample)
    at = extracted("journey", sample.file)
    plain = preview_urls(at)
    at = overlay_on(at, "journey_overlay", timeout=120)
    assert len([c for c in messages(at, "caption") if c.startswith("Read with")]) == len(read.reads)
    if read.page == 1:
        assert preview_urls(at) != plain
    else:
        assert preview_urls(at) == plain


@pytest.mark.ocr
def test_live_second_opinion_from_a_real_reading(live_vendor):
    read = read_for_real(CARD)
    assert read.reads["name"].text == "SITI RAHAYU"
    at = overlay_on(live_extracted(live_vendor, vendor_answer(name="SITI RAHAJU")), "npwp_overlay", timeout=120)
    assert ":orange-badge[:material/compare_arrows: The card reads] SITI RAHAYU" in card_reads(at)
    assert "not Verihubs'" in shown_text(at)
