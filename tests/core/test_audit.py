from motcua.core.audit import GENESIS, event_hash, first_broken_link


def chain(payloads):
    prev, out = GENESIS, []
    for p in payloads:
        h = event_hash(prev, p)
        out.append((p, prev, h))
        prev = h
    return out


PAYLOADS = [
    {"seq": i, "action": a, "note": "ghi chú"}
    for i, a in enumerate(["receive", "approve", "issue"])
]


def test_intact_chain():
    assert first_broken_link(chain(PAYLOADS)) is None


def test_changed_content_is_found():
    events = chain(PAYLOADS)
    payload, prev, h = events[1]
    events[1] = ({**payload, "note": "đã sửa"}, prev, h)
    assert first_broken_link(events) == 1


def test_removed_event_is_found():
    events = chain(PAYLOADS)
    del events[1]
    assert first_broken_link(events) == 1


def test_hash_does_not_depend_on_key_order():
    assert event_hash(GENESIS, {"a": 1, "b": "ờ"}) == event_hash(GENESIS, {"b": "ờ", "a": 1})
