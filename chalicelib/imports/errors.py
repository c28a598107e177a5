"""Domain errors of imports."""

from chalicelib import errors
from chalicelib.errors import StorageUnavailable as StorageUnavailable  # defined once, in the kernel
from chalicelib.errors import UploadNotFound as UploadNotFound


class ImportNotFound(errors.NotFound):
    code = "import_not_found"


class ImportNotReady(errors.Conflict):
    code = "import_not_ready"


class RowNotFound(errors.NotFound):
    code = "import_row_not_found"


class RowNotFixable(errors.ValidationFailed):
    code = "import_row_not_fixable"


class ImportBusy(errors.Conflict):
    code = "import_in_progress"


class UploadMissing(errors.Conflict):
    code = "upload_missing"
