"""Welsh alphabetical order in the core, the same on every platform."""

from vsm_desktop.i18n.collation import sort_key

WELSH_ORDER = ["Angharad", "Aled", "Anna", "Ap Rhys", "Aparri", "Bangor", "Banner", "Cyril", "Chris", "Dafydd",
               "Dylan", "Ddafydd", "Efa", "Ffion", "Gethin", "Gwenllïan", "Ngaio", "Heledd", "Iestyn", "Lowri",
               "Llan", "Llangollen", "Llinos", "Llŷr", "Mali", "Nia", "Osian", "Prys", "Phil", "Ruth", "Rhys",
               "sian", "Sian", "Siân", "Tudur", "Thomas", "Wil", "Ynyr"]


def test_welsh_alphabet():
    shuffled = sorted(WELSH_ORDER, key=lambda s: s[::-1])
    assert sorted(shuffled, key=lambda s: sort_key(s, "cy")) == WELSH_ORDER


def test_same_names_in_english_order():
    english = sorted(WELSH_ORDER, key=lambda s: sort_key(s, "en"))
    assert english.index("Chris") < english.index("Cyril")
    assert english.index("Llinos") < english.index("Lowri")
    assert english.index("Rhys") < english.index("Ruth")
    assert english.index("Ddafydd") < english.index("Dylan")


def test_compound_place_names_split_n_and_g():
    # Llan|gollen: n then g, so it sorts after Llanelli (n-e) and before Llanharan (n-h)... under the letter g.
    order = ["Llanelli", "Llangollen", "Llanharan"]
    assert sorted(order[::-1], key=lambda s: sort_key(s, "cy")) == order
    # Elsewhere ng is one letter, after g and before h: angen (a-ng) sorts before anadl (a-n).
    assert sorted(["anadl", "angen", "agor"], key=lambda s: sort_key(s, "cy")) == ["agor", "angen", "anadl"]
