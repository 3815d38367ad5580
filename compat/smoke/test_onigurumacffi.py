"""onigurumacffi's API (its sdist ships no tests): compile, match, search, regsets, errors."""
import pytest

import onigurumacffi


def test_search_groups_and_spans():
    pattern = onigurumacffi.compile(r"(\w+)@(\w+)\.com")
    assert pattern.number_of_captures() == 2
    match = pattern.search("mail: bob@example.com, then")
    assert match.group() == "bob@example.com"
    assert match.group(1) == "bob" and match.group(2) == "example"
    assert match.span() == (6, 21) and match.start(2) == 10 and match.end(1) == 9
    assert match.expand(r"\2:\1") == "example:bob"
    assert pattern.search("nothing here") is None


def test_match_is_anchored_at_start():
    pattern = onigurumacffi.compile("ab+")
    assert pattern.match("xabbb") is None
    assert pattern.match("xabbb", start=1).group() == "abbb"
    assert pattern.search("xabbb").span() == (1, 5)


def test_non_ascii_offsets_are_in_characters():
    match = onigurumacffi.compile("é+").search("caféé!")
    assert match.group() == "éé" and match.span() == (3, 5)


def test_search_flags():
    pattern = onigurumacffi.compile("^a")
    assert pattern.search("abc").span() == (0, 1)
    assert pattern.search("abc", flags=onigurumacffi.OnigSearchOption.NOTBOL) is None


def test_regset_finds_the_first_matching_pattern():
    regset = onigurumacffi.compile_regset("z+", "b+", "c")
    index, match = regset.search("aabbcc")
    assert index == 1 and match.group() == "bb"
    index, match = regset.search("xyz")
    assert index == 0 and match.span() == (2, 3)
    assert regset.search("qqq") == (-1, None)


def test_bad_pattern_raises_with_oniguruma_message():
    with pytest.raises(onigurumacffi.OnigError) as info:
        onigurumacffi.compile("(unclosed")
    assert "end pattern with unmatched parenthesis" in str(info.value)


def test_many_patterns_are_freed():
    for i in range(2000):
        assert onigurumacffi.compile("a{%d}" % (i % 7 + 1)).search("a" * 8) is not None
