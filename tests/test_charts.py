"""ui.charts: all 18 bands as equal categories, the returned one (or an off-table label) highlighted."""

from kyc.salary import parse_range
from ui.charts import band_frame, salary_chart


def test_all_18_bands_in_order_with_one_highlighted():
    frame = band_frame(parse_range("5.5-6.5JT"))
    assert len(frame) == 18 and list(frame["order"]) == list(range(1, 19))
    assert list(frame.loc[frame["returned"], "band"]) == ["5.5-6.5"]


def test_a_label_outside_the_table_is_drawn_in_its_place():
    frame = band_frame(parse_range(">20.5JT"))
    assert list(frame.loc[frame["returned"], "label"]) == [">20.5JT"]
    assert int(frame.loc[frame["returned"], "order"].iloc[0]) == 12


def test_bars_have_equal_height_not_the_bands_bounds():
    spec = salary_chart(parse_range("85-100JT")).to_dict()
    cells = spec["layer"][0]
    assert cells["mark"]["type"] == "rect"
    assert cells["encoding"]["y"]["field"] == "bottom" and cells["encoding"]["y2"]["field"] == "top"
    assert spec["layer"][0]["transform"][0] == {"calculate": "0", "as": "bottom"}
