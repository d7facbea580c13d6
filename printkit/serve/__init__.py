"""`printkit serve`: a local web page that previews a workspace's decks and edits their cards.

editor.py changes deck files (round-trip YAML); previews.py builds and rasterises; pages.py
writes the HTML; server.py is the HTTP handling. Only the command imports this package, so
`printkit build` never pays for pypdfium2, ruamel.yaml or watchfiles.
"""
