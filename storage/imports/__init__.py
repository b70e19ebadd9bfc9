"""File imports: `import_file(factory, kind, path, options)`."""

from storage.imports.kinds import KINDS
from storage.imports.run import ImportRejected, ImportReport, import_file
from storage.imports.spec import Mapping, Options, Problem

__all__ = [
    "KINDS",
    "ImportRejected",
    "ImportReport",
    "Mapping",
    "Options",
    "Problem",
    "import_file",
]
