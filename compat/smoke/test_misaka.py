"""misaka (API mode over its bundled hoedown; its sdist's tests need its own runner, not
pytest): rendering, extensions, renderer callbacks from C, smartypants, escaping."""
import misaka


def test_html_basic():
    assert misaka.html("# Title\n\nsome *em* and **strong**") == (
        "<h1>Title</h1>\n\n<p>some <em>em</em> and <strong>strong</strong></p>\n")


def test_extensions_tables_and_fenced_code():
    text = "| a | b |\n|---|---|\n| 1 | 2 |\n\n```py\nx = 1\n```\n"
    out = misaka.html(text, extensions=("tables", "fenced-code"))
    assert "<table>" in out and "<td>1</td>" in out
    assert '<code class="language-py">x = 1' in out
    assert "<table>" not in misaka.html(text)


def test_render_flags():
    assert "&lt;b&gt;" in misaka.html("<b>x</b>", render_flags=("escape",))
    assert "<b>" not in misaka.html("<b>x</b>", render_flags=("skip-html",))


def test_python_renderer_callbacks():
    class Shout(misaka.HtmlRenderer):
        def header(self, content, level):
            return "<h%d>%s!</h%d>\n" % (level, content.upper(), level)

        def codespan(self, text):
            return "[%s]" % text

    md = misaka.Markdown(Shout(), extensions=("fenced-code",))
    assert md("## hi there\n\nuse `x`") == "<h2>HI THERE!</h2>\n\n<p>use [x]</p>\n"


def test_base_renderer_partial():
    class Words(misaka.BaseRenderer):
        def paragraph(self, content):
            return content

        def normal_text(self, text):
            return text.upper()

        def emphasis(self, content):
            return "_%s_" % content

    assert misaka.Markdown(Words())("a *b* c") == "A _B_ C"


def test_toc_renderer():
    out = misaka.Markdown(misaka.HtmlTocRenderer())("# One\n\n## Two\n")
    assert '<a href="#one">One</a>' in out or "toc_0" in out


def test_smartypants_and_escape():
    assert misaka.smartypants('"quoted" -- dash') == "&ldquo;quoted&rdquo; &ndash; dash"
    assert misaka.escape_html("<a href='x'>") == "&lt;a href=&#39;x&#39;&gt;"
    assert misaka.escape_html("a/b", escape_slash=True) == "a&#47;b"


def test_safer_renderer_rewrites_links():
    renderer = misaka.SaferHtmlRenderer(link_rewrite="https://go/?u={url}")
    out = misaka.Markdown(renderer)("[x](https://example.com/a b) [j](javascript:alert)")
    assert '<a href="https://go/?u=https%3A//example.com/a%20b">x</a>' in out
    assert 'href="javascript' not in out
