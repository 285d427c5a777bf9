"""The PDF commands as a user runs them: exit codes, messages, files."""

from __future__ import annotations

import json

from vsm_desktop.store.store import Store

from conftest import PASSPHRASE, cli_env, run_cli
from pdf_support import full_review, needs_poppler

pytestmark = needs_poppler


def _store(store_path):
    with Store.initialise(store_path, PASSPHRASE, author="Gwenllian Ŵyn") as store:
        final = full_review(store, reference="L000001")
        draft = full_review(store, reference="L000002", surname="Evans", finalise=False)
    return final, draft


def test_export_verify_and_trust_from_the_command_line(store_path, tmp_path):
    final, draft = _store(store_path)
    out = tmp_path / "pep.pdf"
    result = run_cli("export-pdf", "--store", store_path, "--review", final[:10], "--lang", "both", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Signed with this profile's own certificate" in result.stdout and "not encrypted" in result.stdout
    cert = tmp_path / "root.pem"
    result = run_cli("export-cert", "--store", store_path, "--out", cert)
    assert result.returncode == 0 and cert.read_text().startswith("-----BEGIN CERTIFICATE-----")
    untrusted = run_cli("verify", out)
    assert untrusted.returncode == 2
    assert "Signed by: Gwenllian Ŵyn" in untrusted.stdout and "not yet by a local authority" in untrusted.stdout
    assert "Traceback" not in untrusted.stderr and "Ŵyn" not in untrusted.stderr   # no names in logs
    trusted = run_cli("verify", out, "--trust", cert, "--json")
    assert trusted.returncode == 0
    report = json.loads(trusted.stdout)
    assert report["signatures"][0]["trusted"] and report["signatures"][0]["self_issued"]
    damaged = tmp_path / "damaged.pdf"
    data = bytearray(out.read_bytes())
    at = data.index(b"/Title") + 8
    data[at] ^= 0x01
    damaged.write_bytes(bytes(data))
    assert run_cli("verify", damaged, "--trust", cert).returncode == 1
    # A draft: watermarked and unsigned by default; asking to sign it is a usage error.
    draft_out = tmp_path / "draft.pdf"
    result = run_cli("export-pdf", "--store", store_path, "--review", draft, "--out", draft_out)
    assert result.returncode == 0 and "draft" in result.stdout
    assert run_cli("verify", draft_out).returncode == 1
    refused = run_cli("export-pdf", "--store", store_path, "--review", draft, "--out", tmp_path / "x.pdf", "--sign")
    assert refused.returncode == 2 and "never signed" in refused.stderr


def test_pack_and_bad_input_from_the_command_line(store_path, tmp_path):
    _store(store_path)
    out = tmp_path / "pack.pdf"
    result = run_cli("pack", "--store", store_path, "--out", out, "--school", "Llŷn", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "2 learners" in result.stdout and "no finalised" not in result.stdout
    assert "[" not in result.stderr                     # no progress bar without a terminal
    assert run_cli("pack", "--store", store_path, "--out", out, "--learners", "NOBODY").returncode == 2
    assert run_cli("pack", "--store", store_path, "--out", out, "--due-before", "soon").returncode == 2
    assert run_cli("export-pdf", "--store", store_path, "--review", "ffffffffff", "--out", out).returncode == 2
    assert run_cli("export-pdf", "--store", store_path, "--review", "x", "--out", tmp_path / "no" / "a.pdf",
                   env=cli_env()).returncode == 2
    not_pdf = tmp_path / "not.pdf"
    not_pdf.write_text("hello")
    assert run_cli("verify", not_pdf).returncode == 1
    assert run_cli("verify", tmp_path / "missing.pdf").returncode == 2
    bad_trust = run_cli("verify", out, "--trust", not_pdf)
    assert bad_trust.returncode == 2 and "not a certificate" in bad_trust.stderr


def test_the_commands_cost_nothing_until_they_run():
    """Building the command line (and importing the PDF package) loads neither reportlab nor pyHanko."""
    import subprocess
    import sys

    code = ("import sys; from vsm_desktop import cli; cli.build_parser(); "
            "import vsm_desktop.pdf.export, vsm_desktop.pdf.pack, vsm_desktop.pdf.verify, vsm_desktop.pdf.mypep; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'pyhanko', 'pypdf', 'asn1crypto'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env())
    assert result.stdout.strip() == "[]", result.stderr
