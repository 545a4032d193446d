"""A rep's portable copy (docs/export-format.md): everything they own in one versioned
JSON file — ``drillcoach export`` gathers it (contents.py) and writes it (document.py);
``drillcoach import`` reads it back and brings it into a home (merge.py)."""

from drillcoach.portability.contents import Export, PackFile, gather
from drillcoach.portability.document import FORMAT, VERSION, document, dumps, read_export
from drillcoach.portability.merge import Imported, import_export

__all__ = [
    "FORMAT",
    "VERSION",
    "Export",
    "Imported",
    "PackFile",
    "document",
    "dumps",
    "gather",
    "import_export",
    "read_export",
]
