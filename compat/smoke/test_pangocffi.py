"""pangocffi and pangocairocffi (in-line ABI over the system pango, with cairocffi; the
pangocffi sdist lacks the helpers its tests import): layouts, fonts, attributes, drawing."""
import cairocffi
import pangocairocffi
import pangocffi
import pytest


@pytest.fixture
def context():
    surface = cairocffi.ImageSurface(cairocffi.FORMAT_ARGB32, 300, 100)
    return surface, cairocffi.Context(surface)


def test_version():
    assert pangocffi.pango_version() >= 14400
    assert pangocffi.pango_version_string().count(".") == 2


def test_units_round_trip():
    assert pangocffi.units_from_double(1.5) == 1536
    assert pangocffi.units_to_double(1536) == 1.5


def test_layout_text_size_and_lines(context):
    surface, ctx = context
    layout = pangocairocffi.create_layout(ctx)
    layout.text = "Hello world"
    assert layout.text == "Hello world"
    width, height = layout.get_size()
    assert width > 0 and height > 0
    assert layout.get_line_count() == 1
    layout.width = pangocffi.units_from_double(30)
    layout.wrap = pangocffi.WrapMode.WORD
    assert layout.get_line_count() >= 2
    assert layout.wrap == pangocffi.WrapMode.WORD


def test_font_description_fields():
    desc = pangocffi.FontDescription()
    desc.family = "Sans"
    desc.size = pangocffi.units_from_double(20)
    desc.weight = pangocffi.Weight.BOLD
    desc.style = pangocffi.Style.ITALIC
    assert desc.family == "Sans" and desc.size == 20 * 1024
    # (this pangocffi gives the weight as an int, the style as its enum)
    assert desc.weight == pangocffi.Weight.BOLD.value and desc.style == pangocffi.Style.ITALIC
    copy = desc.copy()
    assert copy.family == "Sans" and copy.pointer != desc.pointer


def test_bigger_font_makes_bigger_layout(context):
    _, ctx = context
    sizes = []
    for points in (10, 30):
        layout = pangocairocffi.create_layout(ctx)
        desc = pangocffi.FontDescription()
        desc.family = "Sans"
        desc.size = pangocffi.units_from_double(points)
        layout.font_description = desc
        layout.text = "Size"
        sizes.append(layout.get_size()[1])
    assert sizes[1] > 2 * sizes[0]


def test_markup_and_attributes(context):
    _, ctx = context
    layout = pangocairocffi.create_layout(ctx)
    layout.apply_markup("<b>bold</b> plain")
    assert layout.text == "bold plain"
    attrs = pangocffi.AttrList()
    attr = pangocffi.Attribute.from_size(pangocffi.units_from_double(24), 0, 4)
    assert (attr.start_index, attr.end_index) == (0, 4)
    attrs.insert(attr)
    layout.attributes = attrs


def test_drawing_puts_ink_on_the_surface(context):
    surface, ctx = context
    ctx.set_source_rgb(0, 0, 0)
    layout = pangocairocffi.create_layout(ctx)
    layout.text = "Ink"
    pangocairocffi.show_layout(ctx, layout)
    surface.flush()
    assert any(bytes(surface.get_data()))
    ink, logical = layout.get_extents()
    assert logical.width > 0 and ink.width > 0
