"""Domain errors of imports."""

from chalicelib import errors


class ImportNotFound(errors.NotFound):
    code = "import_not_found"


class ImportNotReady(errors.Conflict):
    code = "import_not_ready"


class RowNotFound(errors.NotFound):
    code = "import_row_not_found"


class RowNotFixable(errors.ValidationFailed):
    code = "import_row_not_fixable"


class StorageUnavailable(errors.ServiceUnavailable):
    code = "storage_unavailable"


class ImportBusy(errors.Conflict):
    code = "import_in_progress"


class UploadNotFound(errors.NotFound):
    code = "upload_not_found"


class UploadMissing(errors.Conflict):
    code = "upload_missing"
