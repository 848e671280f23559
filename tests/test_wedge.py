from kiosk.ceremony.wedge import WedgeBuffer

NIP = "196804111993031009"


def feed(buf, text, start=0.0, gap=5.0):
    bursts, t = [], start
    for ch in text:
        b = buf.key(ch, t)
        if b:
            bursts.append(b)
        t += gap
    return bursts, t


def test_fast_burst_ended_by_enter():
    buf = WedgeBuffer()
    bursts, _ = feed(buf, NIP + "\r")
    assert [(b.text, b.ended_by) for b in bursts] == [(NIP, "enter")]


def test_tab_ends_a_burst_too():
    bursts, _ = feed(WedgeBuffer(), NIP + "\t")
    assert bursts[0].ended_by == "tab"


def test_human_typing_is_not_a_scan():
    buf = WedgeBuffer()
    bursts, t = feed(buf, NIP + "\r", gap=140.0)
    assert bursts == [] and buf.tick(t + 500) is None


def test_no_enter_ends_after_a_pause():
    buf = WedgeBuffer()
    bursts, t = feed(buf, NIP)
    assert bursts == [] and buf.pending == NIP
    assert buf.tick(t) is None                    # not yet: the pause is not long enough
    burst = buf.tick(t + 200)
    assert burst.text == NIP and burst.ended_by == "pause"


def test_prefix_and_suffix_are_kept_for_the_payload_parser():
    bursts, _ = feed(WedgeBuffer(), "]Q1" + NIP + "#\r")
    assert bursts[0].text == "]Q1" + NIP + "#"


def test_a_slow_key_after_a_burst_ends_it():
    buf = WedgeBuffer()
    _, t = feed(buf, NIP)
    burst = buf.key("7", t + 300)
    assert burst.text == NIP and buf.pending == "7"


def test_short_bursts_are_ignored():
    bursts, _ = feed(WedgeBuffer(), "12\r")
    assert bursts == []


def test_two_scans_back_to_back():
    buf = WedgeBuffer()
    a, t = feed(buf, NIP + "\r")
    b, _ = feed(buf, "200012312024211001\r", start=t + 400)
    assert [x.text for x in a + b] == [NIP, "200012312024211001"]


def test_a_human_key_just_before_a_scan_does_not_glue_on():
    buf = WedgeBuffer()
    assert buf.key("5", 0.0) is None
    bursts, _ = feed(buf, NIP + "\r", start=400.0)
    assert bursts[0].text == NIP
