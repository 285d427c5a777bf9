"""Files attached to a learner's record or to a PEP review, kept inside the encrypted store.

`content` attaches, lists, reads and removes them; `detect` recognises what a file is from its
content; `sync` moves their content to and from the sync server after the records; `cli` is
the command line (attach, attachments, extract, detach). Nothing here imports Qt.
"""
