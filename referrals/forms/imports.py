from django import forms

from cre_portal.forms import GDSForm

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".zip")
# Both an .xlsx workbook and a .zip archive are ZIP files, which start with these bytes.
ZIP_SIGNATURE = b"PK\x03\x04"
WRONG_TYPE = "The selected file must be an Excel workbook (.xlsx) or a ZIP file of CSV files"


class CaseImportUploadForm(GDSForm):
    submit_label = "Upload and check"
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "An Excel workbook (.xlsx) with sheets named children, referrals and "
            "missing_episodes, or a ZIP file of children.csv, referrals.csv and "
            "missing_episodes.csv. Any of them may be left out. Up to 20 MB."
        ),
        max_length=255,
        widget=forms.FileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
        error_messages={
            "required": "Select a file to import",
            "empty": "The selected file is empty",
            "invalid": "Select a file to import",
            "missing": "Select a file to import",
            "max_length": "The name of the selected file must be 255 characters or fewer",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(WRONG_TYPE)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 20 MB")
        signature = upload.read(len(ZIP_SIGNATURE))
        upload.seek(0)
        if signature != ZIP_SIGNATURE:
            raise forms.ValidationError(WRONG_TYPE)
        return upload
