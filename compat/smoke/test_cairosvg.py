"""cairosvg over cairocffi (in-line ABI over the system cairo; cairosvg's sdist ships no
tests): SVG to PNG, PDF, PS and SVG, with pixels checked through cairocffi."""
import io
import struct
import zlib

import cairocffi
import cairosvg

SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
  <rect x="0" y="0" width="20" height="20" fill="#ff0000"/>
  <rect x="20" y="0" width="20" height="20" fill="#0000ff" opacity="0.5"/>
  <text x="2" y="15" font-size="10">Hi</text>
</svg>"""


def pixels(png):
    """The ARGB32 surface of a PNG, read back by cairo."""
    surface = cairocffi.ImageSurface.create_from_png(io.BytesIO(png))
    return surface, bytes(surface.get_data())


def pixel(surface, data, x, y):
    offset = y * surface.get_stride() + 4 * x
    b, g, r, a = struct.unpack_from("4B", data, offset)
    return r, g, b, a


def test_png_size_and_colours():
    png = cairosvg.svg2png(bytestring=SVG)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    surface, data = pixels(png)
    assert (surface.get_width(), surface.get_height()) == (40, 20)
    assert pixel(surface, data, 15, 2) == (255, 0, 0, 255)
    r, g, b, a = pixel(surface, data, 35, 2)
    assert r == 0 and g == 0 and 120 <= a <= 135 and b == a      # premultiplied half blue


def test_scale_and_output_size():
    surface, _ = pixels(cairosvg.svg2png(bytestring=SVG, scale=2))
    assert (surface.get_width(), surface.get_height()) == (80, 40)
    surface, _ = pixels(cairosvg.svg2png(bytestring=SVG, output_width=20))
    assert surface.get_width() == 20


def test_pdf_and_ps():
    pdf = cairosvg.svg2pdf(bytestring=SVG)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-10:]
    ps = cairosvg.svg2ps(bytestring=SVG)
    assert ps.startswith(b"%!PS")


def test_svg_output_and_file_objects():
    out = io.BytesIO()
    cairosvg.svg2svg(file_obj=io.BytesIO(SVG), write_to=out)
    assert b"<svg" in out.getvalue()


def test_gradient_and_path():
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
      <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/>
      <stop offset="1" stop-color="#fff"/></linearGradient></defs>
      <path d="M0 0 H10 V10 H0 Z" fill="url(#g)"/></svg>"""
    surface, data = pixels(cairosvg.svg2png(bytestring=svg))
    left, right = pixel(surface, data, 0, 5), pixel(surface, data, 9, 5)
    assert left[0] < 40 and right[0] > 215 and left[3] == right[3] == 255
    assert zlib.crc32(data) == zlib.crc32(bytes(surface.get_data()))
