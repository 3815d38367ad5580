"""sounddevice over the system PortAudio (its sdist ships no tests; no sound card here):
the library's version, the host APIs and device queries, settings objects, and errors."""
import pytest

import sounddevice as sd


def test_portaudio_version():
    number, text = sd.get_portaudio_version()
    assert number >= 1900 and "PortAudio" in text


def test_host_apis_are_listed_with_their_fields():
    apis = sd.query_hostapis()
    assert len(apis) >= 1
    for api in apis:
        assert set(api) >= {"name", "devices", "default_input_device", "default_output_device"}
        assert isinstance(api["name"], str) and api["name"]
        assert isinstance(api["devices"], list)
    assert sd.query_hostapis(0) == apis[0]


def test_device_list_matches_host_apis():
    devices = sd.query_devices()
    listed = sorted(d for api in sd.query_hostapis() for d in api["devices"])
    assert listed == list(range(len(devices)))


def test_unknown_device_raises():
    with pytest.raises(ValueError):
        sd.query_devices("no such device name at all")
    with pytest.raises(sd.PortAudioError):
        sd.check_output_settings(device=10000)


def test_default_settings_object():
    sd.default.samplerate = 22050
    sd.default.channels = 1, 2
    try:
        assert sd.default.samplerate == 22050
        assert tuple(sd.default.channels) == (1, 2)
    finally:
        sd.default.reset()
    assert sd.default.samplerate is None


def test_asio_settings_struct():
    # a cffi struct filled by sounddevice, read back through its fields
    settings = sd.AsioSettings(channel_selectors=[0, 1])
    assert list(settings._selectors) == [0, 1]
    assert settings._streaminfo.channelSelectors == settings._selectors
