"""PDFs of PEPs: the PEP document, My PEP, PEP packs, PAdES signing and verification.

    export.py    what the CLI and the UI call: export_review, export_pack
    document.py  one review as reportlab flowables, every section of the PEP in order
    mypep.py     the learner's one-page summary
    pack.py      many learners in one PDF: cover, contents, bookmarks
    layout.py    page, styles, header, footer, watermark, deferred page numbers
    lang.py      labels in Welsh, English or both, whatever the interface language
    fonts.py     the embedded Noto Sans (resources/fonts)
    signing.py   the profile's key and certificate in the store; pyHanko signing
    verify.py    pyHanko validation: intact, unmodified, trusted
    cli.py       export-pdf, pack, verify, export-cert

Core only (no Qt). reportlab and pyHanko are imported inside functions, so importing this
package costs nothing at application start-up.
"""
