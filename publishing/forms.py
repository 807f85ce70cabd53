"""Forms: the image and document form bases that add the upload checks of
publishing.validators to every Wagtail upload (single, multiple and chooser uploads), and the
bulk import upload form.

Enabled in settings with::

    WAGTAILIMAGES_IMAGE_FORM_BASE = "publishing.forms.CheckedImageForm"
    WAGTAILDOCS_DOCUMENT_FORM_BASE = "publishing.forms.CheckedDocumentForm"
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from publishing import importfile, validators


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, with the header-only checks run before Willow opens the file
    (Willow/Pillow would refuse a bomb too, but as an unexplained "not a valid image")."""

    def to_python(self, data):
        if data and hasattr(data, "read"):
            validators.validate_image_upload(data)
            data.seek(0)
        return super().to_python(data)


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field is made by Wagtail's form factory (and left out of the multiple-upload edit
        # form), so it is upgraded here rather than declared.
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField) and not isinstance(field, CheckedImageField):
            field.__class__ = CheckedImageField


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            validators.validate_document_upload(file)
            file.seek(0)
        return file


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="导入文件",
        help_text="JSON Lines（.jsonl）、JSON、CSV 或 Excel（.xlsx），字段见导入格式说明；"
        "最大 20 MB。",
    )
    publish = forms.BooleanField(
        label="直接发布",
        required=False,
        help_text="仅对您有发布权限的城市生效；其他情况保存为草稿并提交审核。",
    )
    atomic = forms.BooleanField(
        label="全部成功才导入",
        required=False,
        help_text="勾选后，只要有一行出错，整个文件都不导入。",
    )

    # 20,000 rows (the background import limit, publishing.jobs.MAX_ROWS) at about 1–2 KB each.
    MAX_SIZE = 40 * 1024 * 1024

    def __init__(self, *args, can_publish=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError("文件不能超过 40 MB，请拆分后导入。")
        extension = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in importfile.EXTENSIONS:
            raise forms.ValidationError("请上传 .jsonl、.json、.csv 或 .xlsx 文件。")
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
